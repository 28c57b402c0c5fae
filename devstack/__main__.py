"""`python -m devstack up|down|status`: run the whole system locally, without Docker."""

import argparse
import json
import sys
import urllib.request

from devstack.kafka_security import CREDENTIALS_FILE
from devstack.paths import REPO_ROOT, run_dir
from devstack.processes import StartupError, is_alive, read_pid
from devstack.stack import (
    SERVICES,
    Ports,
    busy_ports,
    intake_store,
    machine_token,
    seed_staff,
    staff_tokens,
    start_infrastructure,
    start_services,
    stop_all,
    write_state,
)


def up(brokers: int = 1) -> int:
    ports = Ports(brokers=brokers)
    busy = busy_ports(ports)
    if busy:
        print(
            f"devstack: ports already in use: {busy}. Is the system already running? "
            "Try `./dev down`, or stop whatever holds them.",
            file=sys.stderr,
        )
        return 1
    directory = run_dir()
    try:
        infra = start_infrastructure(directory, ports)
        write_state(directory, infra, ports)
        start_services(directory, infra, ports)
        apis = {name: f"http://127.0.0.1:{port}" for name, port in ports.apis.items()}
        staff = seed_staff(directory, apis, intake_store(infra, ports))
        tokens = staff_tokens(
            directory, apis["intake"], {name: password for name, (_, password) in staff.items()}
        )
    except (StartupError, OSError, RuntimeError) as error:
        print(f"devstack: start failed: {error}", file=sys.stderr)
        stop_all(directory)
        return 1
    print(f"\nbroker  {infra.broker.kind} at {infra.broker.bootstrap}")
    if infra.broker.secured:
        print(
            f"        sign-in: {directory / CREDENTIALS_FILE} (principal: password), "
            f"CA: {infra.broker.ca_file}"
        )
    for service in SERVICES:
        print(f"store   {service:<11} {infra.store_kind} at {infra.stores[service]}")
    for service in SERVICES:
        print(
            f"api     {service:<11} http://127.0.0.1:{ports.apis[service]}  "
            f"(OpenAPI: /openapi.json, metrics: /metrics)"
        )
    for service in SERVICES:
        print(f"worker  {service:<11} metrics at http://127.0.0.1:{ports.metrics[service]}/metrics")
    print(
        f"console ops         http://127.0.0.1:{ports.ops}/#token="
        f"{machine_token(directory, 'operator')}  "
        "(command line: ./dev ops lag | dlq list | outbox | health)"
    )
    print(f"portal  staff       http://127.0.0.1:{ports.portal}/  (the staff workbench)")
    for username, (role, password) in staff.items():
        shown = password or "(set before; not kept here)"
        print(f"        sign in as {username:<9} {shown:<16} {role}")
    print(f"\nlogs    {directory / 'logs'}")
    print(
        f"tokens  {directory / 'staff-tokens.json'}: a signed token per account above "
        f"({', '.join(tokens)}), valid for 8 hours; `./dev up` again for new ones"
    )
    print(f"        {directory / 'machine-tokens.json'}: the hospital's and the console's")
    print("stop    ./dev down")
    return 0


def down() -> int:
    for name, outcome in stop_all(run_dir()).items():
        if outcome != "not started":
            print(f"{name:<20} {outcome}")
    return 0


def status() -> int:
    directory = run_dir()
    state_file = directory / "state.json"
    if state_file.exists():
        state = json.loads(state_file.read_text())
        print(f"broker: {state['broker']} at {state['bootstrap']}")
    pids = directory / "pids"
    names = sorted(p.stem for p in pids.glob("*.pid")) if pids.exists() else []
    for name in names:
        pid = read_pid(name, directory)
        alive = pid is not None and is_alive(pid)
        print(f"{name:<20} pid {pid:<8} {'running' if alive else 'NOT RUNNING'}")
    if not names:
        print("nothing running")
    return 0


def openapi() -> int:
    """Write each running service's OpenAPI description, and the console's, into docs/openapi/."""
    state = json.loads((run_dir() / "state.json").read_text())
    target = REPO_ROOT / "docs" / "openapi"
    target.mkdir(parents=True, exist_ok=True)
    ports = {**state["ports"]["apis"], "ops": state["ports"]["ops"]}  # and the console
    for service in (*SERVICES, "ops"):
        url = f"http://127.0.0.1:{ports[service]}/openapi.json"
        with urllib.request.urlopen(url, timeout=10) as response:
            spec = json.load(response)
        path = target / f"{service}.json"
        path.write_text(json.dumps(spec, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="./dev", description=__doc__)
    parser.add_argument("command", choices=["up", "down", "status", "openapi"])
    parser.add_argument(
        "--brokers",
        type=int,
        choices=[1, 3],
        default=1,
        help="up: Kafka brokers to run; 3 is a cluster (KRaft quorum, every topic copied to 3, "
        "writes acknowledged by 2, 12 partitions)",
    )
    args = parser.parse_args()
    if args.command == "up":
        return up(args.brokers)
    commands = {"down": down, "status": status, "openapi": openapi}
    return commands[args.command]()


if __name__ == "__main__":
    sys.exit(main())
