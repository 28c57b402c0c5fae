"""The monthly home-care report's visit figures, counted exactly over a month lived through
on stores in memory: the visits to home-care households and the must-visits whose deadline
falls in the month (the district's month), each due (cancelled ones aside), made, and overdue
(made after the deadline, or still not made once it passed), per community and for the
district; and the services delivered in the month."""

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from factories import registered_data
from memory_visits import memory_visits, with_memory_reports
from visits_handling import consumed

from services.visits.domain.config import CommunityStaff
from services.visits.domain.home_care_report import HomeCareVisitReport, VisitFigures, Work
from services.visits.domain.visit_records import ServiceGiven
from services.visits.service_layer import configuration, obligations, reports, visit_records
from services.visits.service_layer.container import Visits
from services.visits.service_layer.schedule import generate_month
from shared.clock import FixedClock
from shared.events import new_event

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the district's zone (the settings' default)


def local(day: int, hour: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def visits() -> Visits:
    return with_memory_reports(memory_visits(local(1, 9).astimezone(UTC)))


def at(visits: Visits, moment: datetime) -> None:
    clock = visits.clock
    assert isinstance(clock, FixedClock)
    clock.move_to(moment)


def handle(visits: Visits, type_: str, subject: str, data: dict[str, Any]) -> None:
    sent = new_event(
        type_,
        subject,
        data,
        source="urn:eldercare:d1:intake",
        district="d1",
        at=visits.clock.now(),
    )
    consumed(visits, sent)


def register(visits: Visits, elder_id: str, community: str, **fields: Any) -> None:
    data = registered_data(elder_id, 1, community=community, **fields)
    handle(visits, "elder.registered", elder_id, data)


def incident(visits: Visits, incident_id: str, elder_id: str, trigger: str, when: datetime) -> None:
    """A must-visit reported as it happens: its deadline counts from `when`."""
    at(visits, when)
    data = {
        "incident_id": incident_id,
        "elder_id": elder_id,
        "trigger": trigger,
        "occurred_at": when,
        "reported_by": "city-hospital",
        "reference": None,
        "note": None,
    }
    handle(visits, "incident.reported", elder_id, data)


def visited(
    visits: Visits, visit_id: str, elder_id: str, when: datetime, meets: str, *services: Any
) -> None:
    at(visits, when)
    visit_records.record(
        visits,
        visit_id,
        elder_id,
        "wang",
        visitor="wang",
        visited_at=when,
        kind="home",
        meets=[meets],
        services=list(services),
    )


def work(figures: VisitFigures) -> tuple[Work, Work]:
    return figures.home_care_visits, figures.must_visits


def november(visits: Visits) -> None:
    """xinhua: home-care e-1, e-2, e-3, e-7, and e-9, a key target not in home care;
    dongfeng: home-care e-4, e-5, e-8. Routine visits are due by the end of 25 November."""
    for community in ("xinhua", "dongfeng"):
        configuration.set_community_staff(visits, CommunityStaff(community, "wang", "li"))
    for elder_id in ("e-1", "e-2", "e-3", "e-7"):
        register(visits, elder_id, "xinhua", home_care=True)
    register(visits, "e-9", "xinhua", key_target_reasons=["living_alone"])
    for elder_id in ("e-4", "e-5", "e-8"):
        register(visits, elder_id, "dongfeng", home_care=True)
    generate_month(visits, "2026-11")

    incident(visits, "i-1", "e-7", "hospitalised", local(3, 10))  # due 6 Nov 10:00
    visited(visits, "v-1", "e-7", local(4, 10), "incident:i-1")  # made in time
    incident(visits, "i-2", "e-3", "worries", local(5, 10))  # due 10 Nov
    at(visits, local(6, 10))
    obligations.cancel(visits, "incident:i-2", "家属已说明，无需走访")
    obligations.cancel(visits, "routine:e-7:2026-11", "本月住院，由必访代替")
    incident(visits, "i-3", "e-8", "hardship", local(10, 10))  # due 13 Nov 10:00
    medical = ServiceGiven("medical", 2)
    visited(visits, "v-2", "e-1", local(10, 12), "routine:e-1:2026-11", medical)
    visited(visits, "v-3", "e-2", local(12, 10), "routine:e-2:2026-11")
    visited(visits, "v-4", "e-8", local(15, 10), "incident:i-3")  # made, two days late
    meals = ServiceGiven("meals", 3)
    visited(visits, "v-5", "e-8", local(20, 9), "routine:e-8:2026-11", meals)
    incident(visits, "i-4", "e-1", "hospitalised", local(20, 10))  # due 23 Nov 10:00
    incident(visits, "i-5", "e-4", "family_accident", local(20, 10))  # due 22 Nov, never made
    visited(visits, "v-6", "e-1", local(22, 10), "incident:i-4")  # made in time
    incident(visits, "i-6", "e-2", "hardship", local(25, 10))  # due 28 Nov: not yet
    # due 1 December 01:00 in the district, which is still 30 November in UTC
    incident(visits, "i-7", "e-5", "neighbour_dispute", local(26, 1))
    visited(visits, "v-7", "e-4", local(26, 10), "routine:e-4:2026-11")  # a day late
    at(visits, local(27, 10))


def test_the_built_month_has_the_deadlines_the_rules_give(visits):
    november(visits)
    assert visits.obligations.require("routine:e-3:2026-11").due_at == local(26, 0)
    assert visits.obligations.require("key_target:e-9:2026-11").due_at == local(26, 0)
    assert visits.obligations.require("incident:i-5").due_at == local(22, 10)
    edge = visits.obligations.require("incident:i-7").due_at
    assert edge == local(1, 1, month=12) and edge.astimezone(UTC).month == 11


def test_the_months_home_care_visits_and_must_visits_are_due_made_and_overdue(visits):
    november(visits)
    report = reports.home_care_month(visits, "2026-11")
    assert isinstance(report, HomeCareVisitReport)
    assert [row.community for row in report.communities] == ["dongfeng", "xinhua"]
    dongfeng, xinhua = report.communities
    # home care: e-1, e-2 made in time, e-3 never made, e-7's cancelled; e-9's is no home care
    # must-visits: i-1, i-4 made in time, i-6 not yet due, i-2 cancelled
    assert work(xinhua) == (Work(due=3, made=2, overdue=1), Work(due=3, made=2, overdue=0))
    # home care: e-8 made in time, e-4 made late, e-5 never made
    # must-visits: i-3 made late, i-5 never made, i-7 due in December
    assert work(dongfeng) == (Work(due=3, made=2, overdue=2), Work(due=2, made=1, overdue=2))
    assert report.district.community == ""
    assert work(report.district) == (Work(due=6, made=4, overdue=3), Work(due=5, made=3, overdue=2))


def test_the_months_services_are_counted_by_community_and_the_report_is_late(visits):
    november(visits)
    report = reports.home_care_month(visits, "2026-11")
    dongfeng, xinhua = report.communities
    assert (xinhua.services["medical"], xinhua.services["meals"]) == (2, 0)
    assert (dongfeng.services["medical"], dongfeng.services["meals"]) == (0, 3)
    assert sum(report.district.services.values()) == 5
    assert report.filed is not None
    # not handed in, and the report day (the 25th, none other said) has passed
    assert (report.filed.due_on, report.filed.handed_in, report.filed.late) == (
        date(2026, 11, 25),
        False,
        True,
    )


def test_one_communitys_report_and_the_next_month_that_holds_the_edge(visits):
    november(visits)
    mine = reports.home_care_month(visits, "2026-11").only("dongfeng")
    assert work(mine.district) == (Work(due=3, made=2, overdue=2), Work(due=2, made=1, overdue=2))
    december = reports.home_care_month(visits, "2026-12")
    assert [row.community for row in december.communities] == ["dongfeng"]
    assert work(december.district) == (Work(0, 0, 0), Work(due=1, made=0, overdue=0))
