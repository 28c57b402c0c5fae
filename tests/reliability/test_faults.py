"""Produce, inject faults, validate: nothing accepted is lost, nothing is applied twice.

Modelled on Kafka's own produce-validate-consume system tests. Client threads keep sending
registrations, changes, deaths, moves and reads to the real APIs, and other systems' events
(hospital admissions, hotline calls, some of them sent twice) to the inbound topic, while one
fault after another strikes the running system:

- SIGTERM of each worker and API under load (graceful: in-flight work finished and committed);
- SIGKILL of each worker and each API mid-stream, then a restart;
- the broker stopped for 30 seconds, then started again on the same log;
- each service's store stopped, then started again;
- duplicate delivery: committed offsets moved back over a range already applied, and applied
  events dead-lettered and replayed through the operator console.

After each fault the time to recover is measured: from the moment the fault is lifted until
every effect of every request accepted so far is visible downstream. At the end every service
is read back (databases and topics) against the ledger of accepted requests, and a festival
gift is paid to every low-income elder allowances knows, its roll opened with the allowances
API killed part-way and checked to the fen, down to the payment file.
"""

import time
from collections import Counter

import pytest
import requests
from figures import report
from ledger_audit import SYNTHETIC_DEAD_LETTER, Progress, audit
from payments import festival_roll
from stack_control import Stack
from traffic import CLERK, OFFICER, VISITOR, Driver

from devstack.stack import SERVICES
from shared.events import Topics

PREFIX = "320583"  # address code of this suite's ID numbers
BROKER_OUTAGE = 30.0
STORE_OUTAGE = 8.0
REWIND = 60  # elder events per partition consumed again
CONSUMERS = ("visits", "allowances")
READ_AS = {"intake": CLERK, "visits": VISITOR, "allowances": OFFICER}


class Run:
    """The faults of one run, with what was measured."""

    def __init__(self, stack: Stack, driver: Driver) -> None:
        self.stack = stack
        self.driver = driver
        self.progress = Progress(stack)
        self.recoveries: list[tuple[str, str]] = []
        self.deliveries: Counter = Counter()  # worker outcomes, summed over restarts
        self.observed: list[tuple[str, str]] = []

    def recovered(self, fault: str, lifted: float, expected) -> None:
        seconds = self.progress.wait(expected, lifted, timeout=150)
        gone = [
            n for s in SERVICES for n in (f"{s}-api", f"{s}-worker") if not self.stack.running(n)
        ]
        assert not gone, f"after {fault}: {gone} exited by themselves"
        self.recoveries.append((fault, f"{seconds:.1f} s"))
        print(f"{time.strftime('%H:%M:%S')} {fault}: recovered in {seconds:.1f} s", flush=True)

    def count_deliveries(self, service: str) -> None:
        """Keep what a worker counted before it goes (a SIGKILL loses its last moments)."""
        if service in CONSUMERS:
            for (_, outcome), n in self.stack.worker_counts(service).items():
                self.deliveries[outcome] += n

    def restart_after(self, name: str, fault: str, down: float) -> None:
        time.sleep(down)
        lifted, expected = time.monotonic(), self.driver.ledger.expectation()
        self.stack.restart(name)
        self.recovered(fault, lifted, expected)

    def observe(self, what: str, value: object) -> None:
        self.observed.append((what, str(value)))


def repeats(stack: Stack, service: str) -> int:
    """Elder events the worker found it had applied already. The first delivery of an elder
    event always changes the projection (its version is new), so on that topic this counts
    exactly the repeated deliveries."""
    counts = stack.worker_counts(service)
    return counts[(Topics.ELDERS, "duplicate")]


def wait_for_repeats(stack: Stack, service: str, at_least: int, timeout: float = 90) -> int:
    deadline = time.monotonic() + timeout
    seen = repeats(stack, service)
    while seen < at_least and time.monotonic() < deadline:
        time.sleep(0.5)
        seen = repeats(stack, service)
    return seen


def a_known_elder(driver: Driver) -> str:
    with driver.ledger.lock:
        return next(iter(driver.ledger.elders))


@pytest.mark.timeout(720)
def test_nothing_lost_nothing_doubled_under_faults(stack):
    driver = Driver({s: stack.api(s) for s in SERVICES}, stack.kafka("outside"), PREFIX)
    run = Run(stack, driver)
    began = time.monotonic()
    driver.start()
    try:
        time.sleep(8)
        graceful_stops(run)
        kills(run)
        broker_outage(run)
        store_outages(run)
        offsets_rewound(run)
        dead_letters_replayed(run)
    finally:
        driver.stop()
    streamed = time.monotonic() - began

    settled = time.monotonic()
    run.progress.wait(driver.ledger.expectation(), settled, timeout=150)
    run.progress.outboxes_empty()
    for service in CONSUMERS:
        run.count_deliveries(service)
    found = audit(stack, driver.ledger)
    wrong_money, money = festival_roll(stack, driver.ledger)

    ledger, attempts = driver.ledger, driver.attempts
    report(
        "reliability: faults under a steady stream",
        [
            ("stream duration", f"{streamed:.0f} s"),
            ("operations started by the clients", driver.operations),
            *((f"accepted: {kind}", n) for kind, n in sorted(ledger.accepted.items())),
            ("accepted requests in all", sum(ledger.accepted.values())),
            *((f"sent again: {kind}", n) for kind, n in sorted(ledger.resent.items())),
            *((f"attempts answered {k}", n) for k, n in sorted(attempts.outcomes.items())),
            *((f"ambiguous, resolved: {k}", n) for k, n in ledger.resolved_by_reading.items()),
            ("slowest 503 answer", f"{attempts.slowest_503:.2f} s"),
            *found.figures.items(),
            *((f"deliveries {k} (workers' own counts)", n) for k, n in run.deliveries.items()),
            *money,
            *found.verdict(),
            ("client-visible problems (5xx, hangs, wrong answers)", len(attempts.problems)),
            *((f"time to recover: {fault}", t) for fault, t in run.recoveries),
            *run.observed,
            ("settling after the stream", f"{time.monotonic() - settled:.1f} s"),
        ],
    )
    assert not ledger.unresolved, ledger.unresolved[:20]
    assert not attempts.problems, attempts.problems[:20]
    found.assert_none()
    assert not wrong_money, wrong_money[:20]
    assert ledger.accepted["registration"] > 500, "too little traffic to prove anything"
    assert min(ledger.accepted.values()) > 10, ledger.accepted


def graceful_stops(run: Run) -> None:
    """SIGTERM under load: each process stops within its grace period, a worker having
    committed what it applied (so its successor is handed no repeat), an API having answered
    the requests it had taken."""
    stack = run.stack
    for service in SERVICES:
        name = f"{service}-worker"
        run.count_deliveries(service)
        assert stack.terminate(name) == "stopped", f"{name} needed SIGKILL"
        run.restart_after(name, f"SIGTERM {name}, restart", down=2)
    for service in CONSUMERS:  # restarted above; intake's relay also stopped cleanly
        repeated = repeats(stack, service)
        run.observe(f"elder events handed to {service} again after its SIGTERM", repeated)
        assert repeated == 0, f"{service} was handed {repeated} deliveries again"
    for service in SERVICES:
        name = f"{service}-api"
        assert stack.terminate(name) == "stopped", f"{name} needed SIGKILL"
        run.restart_after(name, f"SIGTERM {name}, restart", down=1)


def kills(run: Run) -> None:
    for service in SERVICES:
        name = f"{service}-worker"
        run.count_deliveries(service)
        run.stack.kill(name)
        run.restart_after(name, f"kill -9 {name}, restart", down=3)
    for service in SERVICES:
        name = f"{service}-api"
        run.stack.kill(name)
        run.restart_after(name, f"kill -9 {name}, restart", down=2)


def broker_outage(run: Run) -> None:
    """The APIs keep taking requests (they write only to their stores); readiness says the
    broker is unreachable, liveness is unaffected; everything flows again after."""
    stack = run.stack
    stopped = time.monotonic()
    assert stack.stop_broker() == "stopped"
    time.sleep(2)
    for service in SERVICES:
        live, ready, body = stack.health(service)
        assert (live, ready) == (200, 503), (service, body)
        assert body["checks"]["kafka"].startswith("unreachable"), body
        assert body["checks"]["mongodb"] == "ok", body
    run.observe("broker down: /healthz, /readyz of every API", "200, 503 (kafka unreachable)")
    accepted_before = sum(run.driver.ledger.accepted.values())
    time.sleep(max(0.0, BROKER_OUTAGE - (time.monotonic() - stopped)))
    accepted_during = sum(run.driver.ledger.accepted.values()) - accepted_before
    run.observe("requests accepted while the broker was down", accepted_during)
    assert accepted_during > 0, "the APIs must keep working without the broker"
    lifted, expected = time.monotonic(), run.driver.ledger.expectation()
    stack.start_broker()
    run.recovered(f"broker stopped {BROKER_OUTAGE:.0f} s, started again", lifted, expected)
    for service in SERVICES:
        assert stack.health(service)[1] == 200


def store_outages(run: Run) -> None:
    """While a service's store is down its API answers 503 problem+json at once (not a hang,
    not a 500), readiness is false and liveness true; its worker waits the outage out."""
    stack = run.stack
    for service in SERVICES:
        stopped = time.monotonic()
        assert stack.stop_store(service) == "stopped"
        live, ready, body = stack.health(service)
        assert (live, ready) == (200, 503), (service, body)
        assert body["checks"]["mongodb"].startswith("unreachable"), body
        assert body["checks"]["kafka"] == "ok", body
        started = time.monotonic()
        url = f"{stack.api(service)}/elders/{a_known_elder(run.driver)}"
        answer = requests.get(url, headers=READ_AS[service], timeout=30)
        took = time.monotonic() - started
        assert answer.status_code == 503, answer.text
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert answer.headers["Retry-After"] == "5"
        assert took < 6, f"{service} took {took:.1f}s to say it cannot answer"
        run.observe(
            f"{service} store down: /healthz, /readyz, GET /elders/<id>",
            f"{live}, {ready} (mongodb unreachable), 503 problem+json in {took:.1f} s",
        )
        time.sleep(max(0.0, STORE_OUTAGE - (time.monotonic() - stopped)))
        lifted, expected = time.monotonic(), run.driver.ledger.expectation()
        stack.start_store(service)
        run.recovered(f"{service} store stopped {STORE_OUTAGE:.0f} s", lifted, expected)


def offsets_rewound(run: Run) -> None:
    """Each consumer is stopped, its committed offsets moved back over events it has applied,
    and restarted: every repeated delivery must be absorbed (counted as a duplicate)."""
    stack = run.stack
    for service in CONSUMERS:
        run.count_deliveries(service)
        assert stack.terminate(f"{service}-worker") == "stopped"
    repeated = {s: stack.rewind(s, [Topics.ELDERS], REWIND) for s in CONSUMERS}
    lifted, expected = time.monotonic(), run.driver.ledger.expectation()
    for service in CONSUMERS:
        stack.restart(f"{service}-worker")
    run.recovered("offsets moved back, consumed again", lifted, expected)
    for service in CONSUMERS:
        absorbed = wait_for_repeats(stack, service, repeated[service])
        run.observe(
            f"{service}: elder events consumed again / absorbed as duplicates",
            f"{repeated[service]} / {absorbed}",
        )
        assert repeated[service] > 0
        assert absorbed >= repeated[service], f"{service} applied a repeated delivery again"


def dead_letters_replayed(run: Run) -> None:
    """Events visits has applied are dead-lettered as its consumer would, then replayed in bulk
    with the operator console: applied once, and a second replay is refused."""
    stack = run.stack
    ledger = run.driver.ledger
    with ledger.lock:
        keys = {e.elder_id.encode() for e in list(ledger.elders.values())[:200]}
    elder_events = [r for r in stack.read_topic(Topics.ELDERS) if r.key in keys][:16]
    incidents = [r for r in stack.read_topic(Topics.INCIDENTS) if r.key in keys][:8]
    letters = elder_events + incidents
    before = {service: repeats(stack, service) for service in CONSUMERS}
    stack.dead_letter("visits", letters, SYNTHETIC_DEAD_LETTER)
    console = stack.console()
    outcomes = console.replay_all("reliability", "visits", SYNTHETIC_DEAD_LETTER)
    assert len(outcomes) == len(letters)
    assert all(o.outcome.startswith("replayed to") for o in outcomes), outcomes
    again = console.try_replay(outcomes[0].dead_letter, "reliability")
    assert "already" in again.outcome, again
    assert console.replay_all("reliability", "visits", SYNTHETIC_DEAD_LETTER) == []
    for service in CONSUMERS:  # the replayed elder events reach both consumers of the topic
        absorbed = wait_for_repeats(stack, service, before[service] + len(elder_events))
        absorbed -= before[service]
        run.observe(
            f"dead letters replayed: elder events / absorbed by {service} as duplicates",
            f"{len(elder_events)} / {absorbed}",
        )
        assert absorbed >= len(elder_events)
    run.observe("dead letters replayed: incidents and calls", len(incidents))
