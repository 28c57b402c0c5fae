"""The audit line of a change: who was acting at the door, what changed, before and after."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from shared.audit import Actor, acting_as, change_line, current_actor
from shared.config import Settings
from shared.worker import Worker

AT = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Obligation:
    obligation_id: str
    assignee: str | None
    due_on: date
    version: int = 1


OPEN = Obligation("incident:h-1", "wang", date(2026, 12, 2))


def test_outside_every_door_the_system_is_acting():
    assert current_actor() == Actor("system")


def test_whoever_the_door_names_acts_inside_it_and_no_longer_after():
    with acting_as(Actor("li", "10.0.0.7")):
        with acting_as(Actor("urn:hospital", "kafka:incidents")):
            assert current_actor().user == "urn:hospital"
        assert current_actor() == Actor("li", "10.0.0.7")
    assert current_actor() == Actor("system")


def test_a_change_shows_only_the_changed_fields_before_and_after():
    moved = replace(OPEN, assignee="zhao", due_on=date(2026, 12, 3), version=2)
    with acting_as(Actor("li", "10.0.0.7")):
        line = change_line(AT, "obligation.reassigned", OPEN, moved)
    assert line == {
        "at": AT,
        "by": "li",
        "from": "10.0.0.7",
        "change": "obligation.reassigned",
        "version": 2,
        "before": {"assignee": "wang", "due_on": "2026-12-02"},
        "after": {"assignee": "zhao", "due_on": "2026-12-03"},
    }


def test_a_creation_shows_every_field_after_and_nothing_before():
    line = change_line(AT, "obligation.created", None, OPEN)
    assert (line["by"], line["from"], line["version"]) == ("system", None, 1)
    assert line["before"] == {}
    assert line["after"] == {
        "obligation_id": "incident:h-1",
        "assignee": "wang",
        "due_on": "2026-12-02",
    }


def test_a_scheduled_duty_acts_as_the_system_named_after_it():
    worker = Worker(Settings(service="t"), db=None)
    seen = []

    def detect_overdue() -> None:
        seen.append(current_actor())
        worker.stop.set()

    worker._repeat("overdue", 60.0, detect_overdue)
    assert seen == [Actor("system:overdue", "schedule")]
    assert current_actor() == Actor("system")
