"""The whole system on one machine: broker, one store per service, each service's API and worker,
and the operator console."""

import json
import os
import secrets
import sys
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devstack.ferretdb import start_ferretdb, store_backend, store_kind
from devstack.kafka import Broker, java_available, start_kafka, start_tansu
from devstack.kafka_cluster import start_kafka_cluster, stop_cluster
from devstack.paths import REPO_ROOT, RESOURCES
from devstack.postgres import NAME as POSTGRES
from devstack.postgres import postgres_url
from devstack.processes import (
    Spawned,
    free_port,
    free_ports_in_a_row,
    port_is_open,
    spawn,
    stop,
    wait_until,
)

if TYPE_CHECKING:
    from services.intake.service_layer.container import Intake

SERVICES = ("intake", "visits", "allowances")
# Fixed tokens, for machines only: the demonstration hospital's system and the console's
# operator, generated once per run directory (`machine-tokens.json`). Staff sign in.
MACHINE_TOKENS = {"hospital": "integration", "operator": "operator"}
# Signs staff tokens (every service) and the workbench's session cookie; development only.
DEV_SECRET_KEY = "dev-only-secret-key-not-for-deployment"
DEV_PORTAL_SECRET_KEY = "dev-only-portal-cookie-key-not-for-deployment"


@dataclass(frozen=True)
class StaffAccount:
    role: str
    community: str | None = None  # bound to it: the services show them no other


# The community whose worker and head the seeded accounts are, so that its work reaches them.
DEMO_COMMUNITY = "c01"
# One staff account per role that signs in to the workbench, seeded by `./dev up`.
STAFF_ACCOUNTS = {
    "clerk": StaffAccount("intake_clerk"),
    "visitor": StaffAccount("visitor", DEMO_COMMUNITY),
    "head": StaffAccount("community_head", DEMO_COMMUNITY),
    "officer": StaffAccount("allowance_officer"),
    "approver": StaffAccount("approver"),
    "admin": StaffAccount("district_admin"),
    "operator": StaffAccount("operator"),
}


@dataclass(frozen=True)
class Ports:
    kafka: int = 9092
    kafka_controller: int = 9093
    # more than one: a cluster of Kafka brokers (devstack.kafka_cluster), the first at the two
    # ports above, each next one two ports further on
    brokers: int = 1
    stores: dict[str, int] = field(
        default_factory=lambda: {"intake": 27017, "visits": 27018, "allowances": 27019}
    )
    apis: dict[str, int] = field(
        default_factory=lambda: {"intake": 8001, "visits": 8002, "allowances": 8003}
    )
    metrics: dict[str, int] = field(
        default_factory=lambda: {"intake": 9101, "visits": 9102, "allowances": 9103}
    )
    ops: int = 8000  # the operator console
    portal: int = 8080  # the staff workbench

    @classmethod
    def free(cls, brokers: int = 1) -> "Ports":
        """Ports free on loopback now, for a stack beside any other (tests, benchmarks)."""
        first_broker = free_ports_in_a_row(2 * brokers)
        return cls(
            kafka=first_broker,
            kafka_controller=first_broker + 1,
            brokers=brokers,
            stores={name: free_port() for name in SERVICES},
            apis={name: free_port() for name in SERVICES},
            metrics={name: free_port() for name in SERVICES},
            ops=free_port(),
            portal=free_port(),
        )

    def kafka_nodes(self) -> list[tuple[int, int]]:
        """Each broker's (client port, controller port)."""
        return [(self.kafka + 2 * n, self.kafka_controller + 2 * n) for n in range(self.brokers)]

    def all(self) -> list[int]:
        return [
            *(port for node in self.kafka_nodes() for port in node),
            *self.stores.values(),
            *self.apis.values(),
            *self.metrics.values(),
            self.ops,
            self.portal,
        ]


@dataclass(frozen=True)
class Infrastructure:
    broker: Broker
    stores: dict[str, str]  # service -> MongoDB URL
    store_kind: str = field(default_factory=store_kind)


def start_broker(run_dir: Path, ports: Ports, prefer_kafka: bool = True) -> Broker:
    if ports.brokers > 1:
        return start_kafka_cluster(run_dir, ports.kafka_nodes()).broker
    if prefer_kafka and java_available():
        return start_kafka(
            "kafka", run_dir, run_dir / "data" / "kafka", ports.kafka, ports.kafka_controller
        )
    print("devstack: Java or Maven not found; falling back to the Tansu broker", flush=True)
    return start_tansu("kafka", run_dir, ports.kafka)


def start_store(run_dir: Path, service: str, port: int) -> str:
    """The service's FerretDB, on the backend `ELDERCARE_STORE_BACKEND` names."""
    data_dir = run_dir / "data" / f"store-{service}"
    backend_url = None
    if store_backend() == "postgresql":
        backend_url = postgres_url(run_dir, f"store_{service}")
    start_ferretdb(f"store-{service}", run_dir, data_dir, port, backend_url)
    return f"mongodb://127.0.0.1:{port}/"


def start_infrastructure(run_dir: Path, ports: Ports) -> Infrastructure:
    broker = start_broker(run_dir, ports)
    stores = {name: start_store(run_dir, name, ports.stores[name]) for name in SERVICES}
    return Infrastructure(broker, stores)


def service_env(service: str, infra: Infrastructure, ports: Ports, **extra: str) -> dict[str, str]:
    return {
        "PYTHONPATH": str(REPO_ROOT),
        **infra.broker.client_env(service),
        "MONGO_URL": infra.stores[service],
        "METRICS_PORT": str(ports.metrics[service]),
        "ELDERCARE_SECRET_KEY": DEV_SECRET_KEY,
        "ELDERCARE_DISTRICT_FILE": str(RESOURCES / "demo-district.json"),
        **extra,
    }


def start_api(
    run_dir: Path, service: str, port: int, env: dict[str, str], name: str | None = None
) -> Spawned:
    return _start_gunicorn(
        run_dir,
        name or f"{service}-api",
        f"services.{service}.entrypoints.app:create_app()",
        port,
        env,
    )


def ops_env(infra: Infrastructure, ports: Ports, **extra: str) -> dict[str, str]:
    """The console watches the services as started here (see ops/config.py)."""
    return {
        "PYTHONPATH": str(REPO_ROOT),
        **infra.broker.client_env("operator"),
        "OPS_APIS": ",".join(f"{s}=http://127.0.0.1:{ports.apis[s]}" for s in SERVICES),
        "OPS_WORKER_METRICS": ",".join(
            f"{s}=http://127.0.0.1:{ports.metrics[s]}/metrics" for s in SERVICES
        ),
        "ELDERCARE_SECRET_KEY": DEV_SECRET_KEY,  # staff who sign in use their own tokens
        **extra,
    }


def start_ops(run_dir: Path, port: int, env: dict[str, str]) -> Spawned:
    env = {"OPS_ACCESS_LOG": str(run_dir / "ops-access-log.jsonl"), **env}
    return _start_gunicorn(run_dir, "ops", "ops.entrypoints.app:create_app()", port, env)


def portal_env(ports: Ports, **extra: str) -> dict[str, str]:
    """The workbench calls the APIs as started here (see portal/config.py)."""
    return {
        "PYTHONPATH": str(REPO_ROOT),
        "PORTAL_APIS": ",".join(f"{s}=http://127.0.0.1:{ports.apis[s]}" for s in SERVICES),
        "PORTAL_SECRET_KEY": DEV_PORTAL_SECRET_KEY,
        **extra,
    }


def start_portal(run_dir: Path, port: int, env: dict[str, str], name: str = "portal") -> Spawned:
    return _start_gunicorn(run_dir, name, "portal.app:create_app()", port, env)


def machine_tokens(run_dir: Path) -> str:
    """`ELDERCARE_TOKENS` of the stack in `run_dir`: MACHINE_TOKENS, each a random token of 43
    characters, kept in `machine-tokens.json`."""
    kept = _kept(run_dir, "machine-tokens.json")
    for name in MACHINE_TOKENS:
        kept.setdefault(name, secrets.token_urlsafe(32))
    _keep(run_dir, "machine-tokens.json", kept)
    return ",".join(f"{kept[name]}:{name}:{role}" for name, role in MACHINE_TOKENS.items())


def machine_token(run_dir: Path, name: str) -> str:
    """The fixed token of the machine `name` (of MACHINE_TOKENS) in `run_dir`."""
    machine_tokens(run_dir)
    return _kept(run_dir, "machine-tokens.json")[name]


def intake_store(infra: Infrastructure, ports: Ports, **extra: str) -> "Intake":
    """Intake's service layer on the stack's store, as its API runs it."""
    from services.intake.bootstrap import bootstrap
    from shared.config import Settings

    return bootstrap(Settings.from_env("intake", service_env("intake", infra, ports, **extra)))


def seed_staff(
    run_dir: Path, apis: dict[str, str], intake: "Intake"
) -> dict[str, tuple[str, str | None]]:
    """One staff account per role (STAFF_ACCOUNTS), created once (through intake's service
    layer) with a random password kept in `staff-accounts.json` of the run directory, and
    visits told that `visitor` and `head` are DEMO_COMMUNITY's worker and head; username ->
    (role, password or None when the account was made otherwise)."""
    from services.intake.service_layer.users import create_user

    passwords: dict[str, str] = _kept(run_dir, "staff-accounts.json")
    accounts: dict[str, tuple[str, str | None]] = {}
    for username, account in STAFF_ACCOUNTS.items():
        if intake.users.get(username) is None:
            password = secrets.token_urlsafe(12)
            create_user(intake, username, password, [account.role], account.community)
            passwords[username] = password
        accounts[username] = (account.role, passwords.get(username))
    _keep(run_dir, "staff-accounts.json", passwords)
    admin = sign_in(apis["intake"], "admin", passwords.get("admin", ""))
    staffing = {"worker": "visitor", "head": "head"}
    _call("PUT", f"{apis['visits']}/config/communities/{DEMO_COMMUNITY}", admin, staffing)
    return accounts


def sign_in(intake_api: str, username: str, password: str) -> str:
    """A signed token of the staff member, from intake's `POST /auth/token`."""
    answer = _call(
        "POST", f"{intake_api}/auth/token", "", {"username": username, "password": password}
    )
    return str(answer["access_token"])


def staff_tokens(run_dir: Path, intake_api: str, accounts: dict[str, str | None]) -> dict[str, str]:
    """Each seeded account signed in (username -> token, which expires like any staff
    token, within 12 hours), kept in `staff-tokens.json` for curl and scripts."""
    tokens = {
        username: sign_in(intake_api, username, password)
        for username, password in accounts.items()
        if password
    }
    _keep(run_dir, "staff-tokens.json", tokens)
    return tokens


def _kept(run_dir: Path, name: str) -> dict[str, str]:
    path = run_dir / name
    return json.loads(path.read_text()) if path.exists() else {}


def _keep(run_dir: Path, name: str, values: dict[str, str]) -> None:
    path = run_dir / name
    path.write_text(json.dumps(values, indent=2))
    os.chmod(path, 0o600)


def _call(method: str, url: str, token: str, body: dict[str, Any]) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"{method} {url}: {error.code} {error.read().decode()}") from None


def _start_gunicorn(run_dir: Path, name: str, app: str, port: int, env: dict[str, str]) -> Spawned:
    spawned = spawn(
        name,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "8",
            "--graceful-timeout",
            "10",
            # A kept-alive connection is closed by the client, not under it: a server that
            # closes one the client is just reusing makes that request fail without an answer.
            "--keep-alive",
            "75",
            app,
        ],
        run_dir,
        env=env,
        cwd=REPO_ROOT,
    )
    wait_until(spawned, lambda: _http_ok(f"http://127.0.0.1:{port}/healthz"), 60, "answering")
    return spawned


def start_worker(
    run_dir: Path, service: str, env: dict[str, str], name: str | None = None
) -> Spawned:
    """The service's worker; `name` another copy's (with its own `ELDERCARE_REPLICA` and
    `METRICS_PORT` in `env`)."""
    spawned = spawn(
        name or f"{service}-worker",
        [
            sys.executable,
            "-m",
            f"services.{service}.entrypoints.worker",
        ],
        run_dir,
        env=env,
        cwd=REPO_ROOT,
    )
    ready = f"http://127.0.0.1:{env['METRICS_PORT']}/readyz"
    wait_until(spawned, lambda: _http_ok(ready), 60, "ready")
    return spawned


def start_services(run_dir: Path, infra: Infrastructure, ports: Ports, **extra: str) -> None:
    """Each service's worker and API, then the operator console watching them and the staff
    workbench calling them."""
    extra = {"ELDERCARE_TOKENS": machine_tokens(run_dir), **extra}
    for service in SERVICES:
        env = service_env(service, infra, ports, **extra)
        start_worker(run_dir, service, env)
        start_api(run_dir, service, ports.apis[service], env)
    start_ops(run_dir, ports.ops, ops_env(infra, ports, **extra))
    start_portal(run_dir, ports.portal, portal_env(ports, **extra))


def stop_services(run_dir: Path) -> dict[str, str]:
    names = ["portal", "ops"] + [f"{s}-api" for s in SERVICES] + [f"{s}-worker" for s in SERVICES]
    return {name: stop(name, run_dir) for name in names}


def stop_all(run_dir: Path) -> dict[str, str]:
    """Stop everything started in `run_dir`, services before the servers they use."""
    outcomes = stop_services(run_dir)
    for name in [f"store-{s}" for s in SERVICES] + [POSTGRES, "kafka"]:
        outcomes[name] = stop(name, run_dir)
    return outcomes | stop_cluster(run_dir)


def busy_ports(ports: Ports) -> list[int]:
    return [port for port in ports.all() if port_is_open("127.0.0.1", port)]


def write_state(run_dir: Path, infra: Infrastructure, ports: Ports) -> None:
    """What runs where, for `./dev status` and the console's command line (which signs in to
    the broker as `operator`: hence readable by this user alone)."""
    state = {
        "broker": infra.broker.kind,
        "bootstrap": infra.broker.bootstrap,
        "kafka_env": infra.broker.client_env("operator"),
        "stores": infra.stores,
        "store_kind": infra.store_kind,
        "ports": asdict(ports),
    }
    path = run_dir / "state.json"
    path.write_text(json.dumps(state, indent=2))
    os.chmod(path, 0o600)


def _http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.status == 200
