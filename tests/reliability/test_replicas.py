"""Copies of a worker share its work, and its scheduled duties run once among them.

While the clients' stream runs, a second copy of visits' and allowances' workers joins each
consumer group: the partitions are split between the copies, and each scheduled duty is held by
one of them (its lease, `shared.leases`). The first copies are then stopped with SIGTERM (the
other copies take every partition and every duty over) and started again, and the second copies
are killed with -9 (their partitions go back). Then every service is read back against the
ledger of accepted requests: nothing lost, nothing applied twice.
"""

import time
from collections import defaultdict

import pytest
from figures import report
from ledger_audit import audit
from stack_control import Stack
from test_faults import CONSUMERS, Run
from traffic import Driver

from devstack.stack import SERVICES
from shared.events import Topics

PREFIX = "320586"  # address code of this suite's ID numbers (each suite has its own)
TAKE_OVER_SECONDS = 60.0


def partitions_held(stack: Stack, name: str, topic: str = Topics.ELDERS) -> set[str]:
    """The partitions of the topic (intake's elder topic, unless told) the worker copy
    consumes now."""
    samples = stack.metric(stack.worker_metrics_url(name), "eldercare_consumer_lag_messages")
    return {s["partition"] for s, _ in samples if s["topic"] == topic}


def split(stack: Stack, first: set[str], second: set[str]) -> bool:
    """Whether two copies hold the topic's partitions between them, each some, none both (as
    each copy reports them once it has heard of the rebalance)."""
    every = stack.infra.broker.partitions
    return bool(first) and bool(second) and not first & second and len(first | second) == every


def holds_all(stack: Stack, name: str, topic: str = Topics.ELDERS) -> bool:
    """Whether the worker copy consumes every partition of the topic."""
    return len(partitions_held(stack, name, topic)) == stack.infra.broker.partitions


def duties_held(stack: Stack, names: list[str]) -> dict[str, list[str]]:
    """Each scheduled duty, and the copies that hold its lease now."""
    held: dict[str, list[str]] = defaultdict(list)
    for name in names:
        for labels, value in stack.metric(
            stack.worker_metrics_url(name), "eldercare_duty_lease_held"
        ):
            if value == 1:
                held[labels["duty"]].append(name)
    return dict(held)


def wait_for(what: str, condition, shown, timeout: float = TAKE_OVER_SECONDS) -> float:
    """Seconds until `condition` holds; past `timeout`, fails with what `shown` shows."""
    started = time.monotonic()
    while not condition():
        late = time.monotonic() - started >= timeout
        assert not late, f"{what}: not within {timeout:.0f} s; {shown()}"
        time.sleep(0.5)
    return time.monotonic() - started


@pytest.mark.timeout(600)
def test_copies_of_a_worker_share_its_work_and_a_rebalance_loses_and_doubles_nothing(stack):
    driver = Driver({s: stack.api(s) for s in SERVICES}, stack.kafka("outside"), PREFIX)
    run = Run(stack, driver)
    driver.start()
    copies, duties = {}, {}
    try:
        time.sleep(8)
        for service in CONSUMERS:
            copies[service] = stack.start_replica(service, 1)
        for service in CONSUMERS:
            both = [f"{service}-worker", copies[service]]
            waited = wait_for(
                f"{service}: both copies consuming",
                lambda b=both: split(stack, *(partitions_held(stack, n) for n in b)),
                lambda b=both: {n: partitions_held(stack, n) for n in b},
            )
            run.observe(f"{service}: partitions split between two copies in", f"{waited:.1f} s")
            held = duties_held(stack, both)
            assert held and all(len(h) == 1 for h in held.values()), held
            duties[service] = set(held)
            run.observe(f"{service}: duties, each held by one copy", ", ".join(sorted(held)))

        for service in CONSUMERS:  # the first copies stop: the others take everything over
            name = f"{service}-worker"
            run.count_deliveries(service)
            assert stack.terminate(name) == "stopped", f"{name} needed SIGKILL"
            other = copies[service]
            waited = wait_for(
                f"{service}: the other copy takes every partition and duty",
                lambda o=other, d=duties[service]: (
                    holds_all(stack, o) and set(duties_held(stack, [o])) == d
                ),
                lambda o=other: (partitions_held(stack, o), duties_held(stack, [o])),
            )
            run.observe(
                f"{service}: everything taken over after SIGTERM of the first copy in",
                f"{waited:.1f} s",
            )
            lifted, expected = time.monotonic(), driver.ledger.expectation()
            stack.restart(name)
            run.recovered(f"{name} stopped with SIGTERM and started again", lifted, expected)

        for service in CONSUMERS:  # the second copies are killed: their partitions go back
            stack.kill(copies[service])
            name = f"{service}-worker"
            waited = wait_for(
                f"{service}: the first copy takes the partitions back",
                lambda n=name: holds_all(stack, n),
                lambda n=name: partitions_held(stack, n),
            )
            run.observe(
                f"{service}: partitions back after kill -9 of the copy in", f"{waited:.1f} s"
            )
    finally:
        driver.stop()

    settled = time.monotonic()
    run.progress.wait(driver.ledger.expectation(), settled, timeout=150)
    run.progress.outboxes_empty()
    found = audit(stack, driver.ledger)
    ledger = driver.ledger
    report(
        "reliability: copies of the workers, rebalanced under a steady stream",
        [
            ("accepted requests in all", sum(ledger.accepted.values())),
            *found.figures.items(),
            *found.verdict(),
            *((f"time to recover: {fault}", t) for fault, t in run.recoveries),
            *run.observed,
        ],
    )
    assert not ledger.unresolved, ledger.unresolved[:20]
    assert not driver.attempts.problems, driver.attempts.problems[:20]
    found.assert_none()
    assert ledger.accepted["registration"] > 100, "too little traffic to prove anything"
