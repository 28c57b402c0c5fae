"""How far ahead open work is reminded of: work due within the district's `due_within_hours`
(24 by default) gets a due-soon reminder, to its assignee or else the community's worker; work
due later gets none until it comes within the window."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from factories import registered_data
from memory_visits import memory_visits
from visits_handling import consumed

from services.visits.domain.config import CommunityStaff
from services.visits.service_layer import configuration
from services.visits.service_layer.container import Visits
from services.visits.service_layer.reminders import remind
from shared.clock import FixedClock
from shared.events import new_event
from shared.reminders import ReminderRules

NOW = datetime(2026, 11, 29, 2, tzinfo=UTC)  # 10:00 in the district: no quiet hours set
HOUR = timedelta(hours=1)


@pytest.fixture
def visits() -> Visits:
    """Two must-visits of xinhua: one due in 40 hours, one in 50."""
    visits = memory_visits(NOW)
    configuration.set_community_staff(visits, CommunityStaff("xinhua", worker="wang", head="li"))
    for elder_id in ("e-1", "e-2"):
        handle(visits, "elder.registered", elder_id, registered_data(elder_id))
    reported(visits, "in-40", "e-1", "hardship", NOW + 40 * HOUR - 72 * HOUR)
    reported(visits, "in-50", "e-2", "hospitalised", NOW + 50 * HOUR - 72 * HOUR)
    return visits


def handle(visits: Visits, type_: str, subject: str, data: dict[str, Any]) -> None:
    source = "urn:eldercare:d1:intake"
    sent = new_event(type_, subject, data, source=source, district="d1", at=NOW)
    consumed(visits, sent)


def reported(visits: Visits, incident_id: str, elder_id: str, trigger: str, when: datetime) -> None:
    data = {
        "incident_id": incident_id,
        "elder_id": elder_id,
        "trigger": trigger,
        "occurred_at": when,
        "reported_by": "hotline",
        "reference": None,
        "note": None,
    }
    handle(visits, "incident.reported", elder_id, data)


def due_soon(visits: Visits) -> dict[str, Any]:
    return {r.subject: r for r in visits.reminders.each({"cause": "due_soon"})}


def later(visits: Visits, hours: int) -> None:
    clock = visits.clock
    assert isinstance(clock, FixedClock)
    clock.move_to(NOW + hours * HOUR)


def test_the_work_is_due_in_40_and_50_hours(visits):
    due = {o.obligation_id: o.due_at - NOW for o in visits.obligations.each({})}
    assert due == {"incident:in-40": 40 * HOUR, "incident:in-50": 50 * HOUR}


def test_a_48_hour_window_reminds_of_the_work_due_in_40_hours_not_in_50(visits):
    configuration.set_reminders(visits, ReminderRules(due_within_hours=48))
    assert remind(visits).created == 1
    reminded = due_soon(visits)
    assert set(reminded) == {"incident:in-40"}
    one = reminded["incident:in-40"]
    assert (one.reminder_id, one.recipients, one.urgent) == (
        "due_soon:incident:in-40",
        ("wang",),
        False,
    )
    assert "约40小时" in one.text
    assert list(visits.reminders.each({"cause": "overdue"})) == []

    later(visits, 3)  # the other is due in 47 hours now: inside the window
    assert remind(visits).created == 1
    assert set(due_soon(visits)) == {"incident:in-40", "incident:in-50"}


def test_the_default_24_hours_reminds_of_neither_until_one_comes_within_a_day(visits):
    assert visits.config.get().reminders.due_within_hours == 24
    assert remind(visits).created == 0
    assert due_soon(visits) == {}
    later(visits, 17)  # due in 23 hours and 33
    assert remind(visits).created == 1
    assert set(due_soon(visits)) == {"incident:in-40"}
