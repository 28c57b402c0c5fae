"""The leases that decide which copy of a worker runs each scheduled duty, on the real store:
one holder at a time, renewed by it, taken over once it runs out or is given up, a fencing
token raised at each change of hands, and two copies of a worker running a duty once."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from shared.config import Settings
from shared.leases import DutyLeases, holder_name
from shared.mongo import connect
from shared.worker import Worker

NOW = datetime(2026, 12, 5, 2, tzinfo=UTC)
TERM = timedelta(seconds=90)


class Clock:
    def __init__(self) -> None:
        self.at = NOW

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def db(settings):
    database = connect(settings)
    yield database
    database.client.drop_database(database.name)


def test_one_holder_at_a_time_and_a_new_token_at_each_change_of_hands(db):
    clock = Clock()
    first, second = DutyLeases(db, "a", clock), DutyLeases(db, "b", clock)
    assert first.take("overdue", TERM) == 1
    assert second.take("overdue", TERM) is None
    clock.at += timedelta(seconds=60)
    assert first.take("overdue", TERM) == 1, "renewed by its holder, same token"
    clock.at += timedelta(seconds=80)
    assert second.take("overdue", TERM) is None, "the renewal held it on"
    assert first.holds("overdue", 1)

    clock.at += timedelta(seconds=91)  # the holder stalled past its term
    assert second.take("overdue", TERM) == 2
    assert not first.holds("overdue", 1), "fenced: the old token no longer holds"
    assert first.take("overdue", TERM) is None, "the stalled holder stands down"
    assert first.take("monthly", TERM) == 1, "each duty has a lease of its own"

    second.give_up("overdue")  # stopping: another may take over at once
    assert first.take("overdue", TERM) == 3


def test_copies_racing_for_a_new_lease_get_it_once(db):
    tokens: list[int | None] = []
    start = threading.Barrier(8)

    def race(name: str) -> None:
        start.wait()
        tokens.append(DutyLeases(db, name).take("reminders", TERM))

    threads = [threading.Thread(target=race, args=(f"copy-{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(tokens, key=lambda t: t or 0) == [None] * 7 + [1]


def test_two_copies_of_a_worker_run_a_duty_once_and_the_other_takes_over_when_it_stops(db):
    runs: list[str] = []
    copies = []
    for name in ("a", "b"):
        worker = Worker(Settings(service="t"), db)
        worker.leases = DutyLeases(db, name)
        copies.append(worker)

    def job(name: str) -> None:
        runs.append(name)

    threads = [
        threading.Thread(target=w._repeat, args=("overdue", 0.1, lambda n=n: job(n)))
        for w, n in zip(copies, ("a", "b"), strict=True)
    ]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    assert len(runs) >= 5 and len(set(runs)) == 1, runs  # one copy ran every pass
    holder = runs[0]
    stopping = copies[0] if holder == "a" else copies[1]
    stopping.stop.set()  # it gives the lease up as it stops
    before = len(runs)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not [r for r in runs[before:] if r != holder]:
        time.sleep(0.1)
    for worker in copies:
        worker.stop.set()
    for thread in threads:
        thread.join()
    assert [r for r in runs[before:] if r != holder], "the other copy took the duty over"


def test_a_copy_restarted_after_a_crash_holds_its_leases_again_at_once(db):
    clock = Clock()
    name = holder_name(Settings(service="visits", replica="2"))
    assert name.endswith("/visits/2")
    assert DutyLeases(db, name, clock).take("overdue", TERM) == 1
    clock.at += timedelta(seconds=30)  # killed, and started again under the same name
    assert DutyLeases(db, name, clock).take("overdue", TERM) == 1
    other = holder_name(Settings(service="visits", replica="3"))
    assert DutyLeases(db, other, clock).take("overdue", TERM) is None
