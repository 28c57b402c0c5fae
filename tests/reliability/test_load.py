"""Load: 50 concurrent clients for 60 seconds against the running APIs (gunicorn), reading and
writing. No answer may be a 5xx, none may fail to come, and every write acknowledged must be
readable afterwards, in intake and in the other services' projections."""

import random
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from figures import report
from ledger_audit import Progress
from traffic import CLERK, COMMUNITIES, OFFICER, VISITOR, Expectation, national_id

from devstack.stack import SERVICES

PREFIX = "320585"
CLIENTS = 50
SECONDS = 60.0
KINDS = {  # what a client does next, and how often: staff mostly read, and write a fair share
    "register": 8,
    "update": 6,
    "read intake": 18,
    "search intake": 3,
    "read visits": 20,
    "list obligations": 10,
    "read allowances": 20,
    "list cycles": 5,
    "health": 10,
}


class Client(threading.Thread):
    def __init__(self, n: int, apis: dict[str, str], until: float) -> None:
        super().__init__(name=f"load-{n}")
        self.n = n
        self.apis = apis
        self.until = until
        self.rng = random.Random(1000 + n)
        self.session = requests.Session()
        self.timings: list[tuple[str, float]] = []
        self.statuses: Counter = Counter()
        self.failures: list[str] = []
        self.elders: dict[str, tuple[str, int, str]] = {}  # id -> (ID number, version, address)
        self.written = 0

    def run(self) -> None:
        kinds, weights = zip(*KINDS.items(), strict=True)
        while time.monotonic() < self.until:
            kind = self.rng.choices(kinds, weights)[0]
            if not self.elders and kind in (
                "update",
                "read intake",
                "read visits",
                "read allowances",
            ):
                kind = "register"
            self.request(kind)

    def request(self, kind: str) -> None:
        method, service, path, body, headers = self.plan(kind)
        started = time.monotonic()
        try:
            response = self.session.request(
                method, f"{self.apis[service]}{path}", json=body, headers=headers, timeout=60
            )
        except requests.RequestException as error:
            self.failures.append(f"{kind}: {type(error).__name__}: {error}")
            return
        self.timings.append((kind, time.monotonic() - started))
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.failures.append(f"{kind}: {response.status_code} {response.text[:200]}")
        elif kind == "register" and response.status_code == 201:
            elder = response.json()
            self.elders[elder["elder_id"]] = (body["national_id"], 1, body["address"])
        elif kind == "update" and response.status_code == 200:
            elder = response.json()
            self.elders[elder["elder_id"]] = (
                elder["national_id"],
                elder["version"],
                body["address"],
            )
        elif response.status_code not in (200, 201) and not (
            kind.startswith("read ") and service != "intake" and response.status_code == 404
        ):  # a projection may not have caught up with a registration just made
            self.failures.append(f"{kind}: {response.status_code} {response.text[:200]}")

    def plan(self, kind: str) -> tuple[str, str, str, dict | None, dict]:
        mine = self.rng.choice(list(self.elders)) if self.elders else None
        if kind == "register":
            self.written += 1
            number, born = national_id(PREFIX, self.n * 100_000 + self.written)
            body = {
                "national_id": number,
                "name": "孙凤兰",
                "sex": "male" if int(number[16]) % 2 else "female",
                "birth_date": born.isoformat(),
                "community": self.rng.choice(COMMUNITIES),
                "address": f"负载路{self.n}-{self.written}号",
            }
            return "POST", "intake", "/elders", body, CLERK
        if kind == "update":
            _, version, _ = self.elders[mine]
            body = {"version": version, "address": f"负载路{self.n}-{self.rng.random():.6f}号"}
            return "PATCH", "intake", f"/elders/{mine}", body, CLERK
        community = self.rng.choice(COMMUNITIES)
        return {
            "read intake": ("GET", "intake", f"/elders/{mine}", None, CLERK),
            "search intake": ("GET", "intake", f"/elders?community={community}", None, CLERK),
            "read visits": ("GET", "visits", f"/elders/{mine}", None, VISITOR),
            "list obligations": (
                "GET",
                "visits",
                f"/obligations?community={community}&status=open",
                None,
                VISITOR,
            ),
            "read allowances": ("GET", "allowances", f"/elders/{mine}", None, OFFICER),
            "list cycles": ("GET", "allowances", "/cycles", None, OFFICER),
            "health": ("GET", self.rng.choice(SERVICES), "/readyz", None, {}),
        }[kind]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@pytest.mark.timeout(400)
def test_fifty_clients_for_a_minute_no_5xx_and_no_lost_write(stack):
    apis = {service: stack.api(service) for service in SERVICES}
    until = time.monotonic() + SECONDS
    clients = [Client(n, apis, until) for n in range(CLIENTS)]
    started = time.monotonic()
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    took = time.monotonic() - started

    timings = [t for c in clients for t in c.timings]
    statuses = sum((c.statuses for c in clients), Counter())
    failures = [f for c in clients for f in c.failures]
    written = {e: state for c in clients for e, state in c.elders.items()}

    def read_back(item: tuple[str, tuple[str, int, str]]) -> str | None:
        elder_id, (number, version, address) = item
        stored = requests.get(f"{apis['intake']}/elders/{elder_id}", headers=CLERK, timeout=30)
        if stored.status_code == 200 and (
            stored.json()["national_id"],
            stored.json()["version"],
            stored.json()["address"],
        ) == (number, version, address):
            return None
        return f"intake {elder_id}: {stored.status_code} {stored.text[:200]}"

    with ThreadPoolExecutor(8) as pool:
        lost = [wrong for wrong in pool.map(read_back, written.items()) if wrong]
    caught_up = time.monotonic()
    expected = Expectation({e: v for e, (_, v, _) in written.items()}, {}, {})
    try:
        Progress(stack).wait(expected, caught_up, timeout=120)
    except AssertionError as behind:
        lost.append(f"projections: {behind}")

    by_kind: dict[str, list[float]] = {}
    for kind, seconds in timings:
        by_kind.setdefault(kind, []).append(seconds)
    every = [seconds for _, seconds in timings]
    report(
        f"reliability: load, {CLIENTS} concurrent clients for {SECONDS:.0f} s",
        [
            ("requests answered", len(timings)),
            ("requests per second", f"{len(timings) / took:.1f}"),
            ("latency p50 / p99 / max", _latencies(every)),
            *(
                (f"  {kind}: n, p50 / p99", f"{len(v)}, {_latencies(v, False)}")
                for kind, v in sorted(by_kind.items())
            ),
            *((f"answered {status}", n) for status, n in sorted(statuses.items())),
            ("5xx or no answer", len(failures)),
            ("writes acknowledged (registrations and changes)", sum(c.written for c in clients)),
            ("elders written, read back afterwards", len(written)),
            ("writes lost", len(lost)),
            ("projections caught up after the run", f"{time.monotonic() - caught_up:.1f} s"),
        ],
    )
    assert not failures, failures[:10]
    assert not lost, lost[:10]
    assert len(written) >= 30 and len(timings) >= 300, "too little load to prove anything"


def _latencies(values: list[float], with_max: bool = True) -> str:
    parts = [statistics.median(values), percentile(values, 0.99)]
    if with_max:
        parts.append(max(values))
    return " / ".join(f"{v * 1000:.0f} ms" for v in parts)
