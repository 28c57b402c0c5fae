"""The benchmark's own stack: devstack's broker, stores, APIs and workers on free ports in a
temporary run directory, stopped by PID at the end."""

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devstack.ferretdb import build_name
from devstack.kafka_security import SUPER_USER
from devstack.postgres import forget_postgres
from devstack.processes import read_pid
from devstack.stack import (
    SERVICES,
    Infrastructure,
    Ports,
    intake_store,
    seed_staff,
    service_env,
    staff_tokens,
    start_api,
    start_infrastructure,
    start_worker,
    stop_all,
    write_state,
)


@dataclass
class Stack:
    run_dir: Path
    ports: Ports
    infra: Infrastructure
    # the seeded staff accounts' signed tokens (devstack's seed_staff), by user name
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def bootstrap(self) -> str:
        return self.infra.broker.bootstrap

    def kafka(self, principal: str = SUPER_USER) -> dict[str, Any]:
        """kafka-python's options for a client signing in to the broker as `principal`."""
        return self.infra.broker.client_options(principal)

    def api(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports.apis[service]}"

    def store(self, service: str) -> str:
        return self.infra.stores[service]

    def processes(self) -> dict[str, int]:
        """Each service process by name (an API's gunicorn master; its workers are found
        through /proc), the workbench once it is started, and the servers."""
        names = [f"{s}-{role}" for s in SERVICES for role in ("api", "worker")]
        names += ["portal", "kafka", *(f"store-{s}" for s in SERVICES)]
        found = {name: read_pid(name, self.run_dir) for name in names}
        return {name: pid for name, pid in found.items() if pid is not None}

    def stop(self, keep: bool = False) -> dict[str, str]:
        outcomes = stop_all(self.run_dir)
        if not keep:
            shutil.rmtree(self.run_dir, ignore_errors=True)
            forget_postgres(self.run_dir)
        return outcomes


def start_stack() -> Stack:
    """Broker, one store per service, then each service's worker and API (no console), and
    devstack's staff accounts, signed in."""
    run_dir = Path(tempfile.mkdtemp(prefix="eldercare-bench-"))
    ports = Ports.free()
    try:
        infra = start_infrastructure(run_dir, ports)
        write_state(run_dir, infra, ports)
        stack = Stack(run_dir, ports, infra)
        for service in SERVICES:
            env = service_env(service, infra, ports, LOG_LEVEL="WARNING")
            start_worker(run_dir, service, env)
            start_api(run_dir, service, ports.apis[service], env)
        accounts = seed_staff(
            run_dir, {s: stack.api(s) for s in SERVICES}, intake_store(infra, ports)
        )
        passwords = {name: password for name, (_, password) in accounts.items()}
        stack.tokens = staff_tokens(run_dir, stack.api("intake"), passwords)
    except BaseException:
        stop_all(run_dir)
        raise
    return stack


def describe(stack: Stack) -> dict[str, str]:
    state = json.loads((stack.run_dir / "state.json").read_text())
    build = f"built as {build_name()} (see devstack/ferretdb.py)"
    store = f"{state['store_kind']}, one per service; {build}"
    return {"broker": stack.infra.broker.kind, "store": store}
