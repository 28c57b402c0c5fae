"""Visits' use cases and handlers on stores in memory: what an event does to the work, which
events it announces, and that a redelivered event changes nothing."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from factories import registered_data
from memory_visits import memory_visits, obligation_records
from pymongo.errors import ServerSelectionTimeoutError
from visits_handling import consumed

from services.visits.domain.activity_figures import Period
from services.visits.domain.config import CommunityStaff
from services.visits.domain.home_care_report import home_care_visits
from services.visits.domain.venues import VenueTerms
from services.visits.service_layer import (
    activity_queries,
    configuration,
    obligations,
    occasions,
    queries,
    reports,
    teams,
    venues,
    visit_records,
)
from services.visits.service_layer.activity_figures import activity_figures
from services.visits.service_layer.container import Visits
from services.visits.service_layer.reorganisations import follow_reorganisation
from services.visits.service_layer.schedule import detect_overdue
from shared.audit import Actor
from shared.errors import Conflict, NotFound
from shared.events import Event, new_event

NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.fixture
def visits() -> Visits:
    return memory_visits(NOW)


def event(visits: Visits, type_: str, elder_id: str, data: dict[str, Any]) -> Event:
    source = "urn:eldercare:d1:intake"
    return new_event(type_, elder_id, data, source=source, district="d1", at=NOW)


def handle(visits: Visits, sent: Event) -> bool:
    """As the consumer does: the handler of the event's type, with its data as loaded."""
    return consumed(visits, sent)


def register(visits: Visits, elder_id: str, version: int = 1, **fields: Any) -> bool:
    data = registered_data(elder_id, version, **fields)
    return handle(visits, event(visits, "elder.registered", elder_id, data))


def incident(visits: Visits, incident_id: str, elder_id: str, trigger: str) -> Event:
    data = {
        "incident_id": incident_id,
        "elder_id": elder_id,
        "trigger": trigger,
        "occurred_at": NOW - 2 * HOUR,
        "reported_by": "city-hospital",
        "reference": f"ref-{incident_id}",
        "note": None,
    }
    return event(visits, "incident.reported", elder_id, data)


def announced(visits: Visits) -> list[str]:
    return [e.type for e in obligation_records(visits).announced]


def test_an_incident_for_an_unknown_elder_waits_then_opens_once_the_elder_is_known(visits):
    sent = incident(visits, "adm-1", "e-1", "hospitalised")
    assert handle(visits, sent) is True
    assert visits.incidents.require("incident:adm-1").status == "waiting"
    assert visits.obligations.get("incident:adm-1") is None
    assert handle(visits, sent) is False  # redelivered: still one waiting incident

    configuration.set_community_staff(visits, CommunityStaff("xinhua", worker="wang", head="li"))
    assert register(visits, "e-1") is True
    opened = visits.obligations.require("incident:adm-1")
    assert (opened.status, opened.assignee, opened.community) == ("open", "wang", "xinhua")
    assert opened.due_at == NOW - 2 * HOUR + 72 * HOUR  # 生病住院: 72 hours by default
    assert visits.incidents.require("incident:adm-1").status == "opened"
    assert announced(visits) == ["obligation.created"]
    assert handle(visits, sent) is False and announced(visits) == ["obligation.created"]


def test_a_visit_that_meets_the_obligation_closes_it_and_a_second_visit_id_conflicts(visits):
    register(visits, "e-1")
    handle(visits, incident(visits, "adm-2", "e-1", "hardship"))
    visited_at = NOW - HOUR
    facts = {
        "visitor": "wang",
        "visited_at": visited_at,
        "kind": "home",
        "meets": ["incident:adm-2"],
    }
    visit = visit_records.record(visits, "v-1", "e-1", "wang", findings="送米", **facts)
    met = visits.obligations.require("incident:adm-2")
    assert (met.status, met.visit_id) == ("met", visit.visit_id)
    assert announced(visits) == ["obligation.created", "obligation.met"]
    again = visit_records.record(visits, "v-1", "e-1", "wang", findings="送米", **facts)
    assert again == visit and announced(visits) == ["obligation.created", "obligation.met"]
    with pytest.raises(Conflict):
        visit_records.record(visits, "v-1", "e-1", "wang", findings="另一次", **facts)
    with pytest.raises(NotFound):
        visit_records.record(visits, "v-2", "e-unknown", "wang", **facts)


def test_open_work_past_its_deadline_is_flagged_overdue_once_and_escalated_to_the_head(visits):
    configuration.set_community_staff(visits, CommunityStaff("xinhua", worker="wang", head="li"))
    register(visits, "e-1")
    handle(visits, incident(visits, "adm-3", "e-1", "family_accident"))  # 48 hours
    assert detect_overdue(visits).overdue == 0
    later = memory_clock_moved(visits, 50 * HOUR)
    first = detect_overdue(later)
    assert (first.overdue, first.escalated) == (1, 1)
    assert later.obligations.require("incident:adm-3").escalated
    assert detect_overdue(later).overdue == 0  # flagged once


def test_a_death_cancels_open_work_and_later_versions_of_the_elder_win(visits):
    register(visits, "e-1")
    handle(visits, incident(visits, "adm-4", "e-1", "worries"))
    fields = {"status": "deceased", "died_on": date(2026, 11, 28), "reported_by": "registry"}
    dead = event(visits, "elder.deceased", "e-1", registered_data("e-1", 3, **fields))
    assert handle(visits, dead) is True
    assert visits.obligations.require("incident:adm-4").status == "cancelled"
    assert register(visits, "e-1", version=1) is False  # an older version comes late
    assert visits.elders.get("e-1").status == "deceased"
    with pytest.raises(Conflict):
        obligations.reassign(visits, "incident:adm-4", "zhao")


def memory_clock_moved(visits: Visits, by: timedelta) -> Visits:
    """The same stores, read by a clock `by` later."""
    from dataclasses import replace

    from shared.clock import FixedClock

    return replace(visits, clock=FixedClock(NOW + by))


def test_the_key_target_list_holds_active_key_targets_the_never_visited_first(visits):
    register(visits, "e-1", key_target_reasons=["living_alone"])
    register(visits, "e-2", key_target_reasons=["low_income", "disabled"])
    register(visits, "e-3")  # no reason: not listed
    register(visits, "e-4", key_target_reasons=["empty_nest"], community="dongfeng")
    fields = {"status": "deceased", "died_on": date(2026, 11, 20), "reported_by": "registry"}
    register(visits, "e-5", key_target_reasons=["living_alone"])
    handle(visits, event(visits, "elder.deceased", "e-5", registered_data("e-5", 2, **fields)))
    contact = {"elder_id": "e-2", "version": 1, "address": "新华路3号", "phone": None}
    handle(visits, event(visits, "elder.contact_changed", "e-2", contact))
    facts = {"visitor": "wang", "kind": "home"}
    visit_records.record(visits, "v-1", "e-1", "wang", visited_at=NOW - 48 * HOUR, **facts)
    visit_records.record(visits, "v-2", "e-1", "wang", visited_at=NOW - 2 * HOUR, **facts)

    report = reports.key_targets(visits, "xinhua")
    listed = [(t.elder_id, t.reasons, t.last_visited_at) for t in report.targets]
    assert listed == [
        ("e-2", ("low_income", "disabled"), None),  # never visited: first
        ("e-1", ("living_alone",), NOW - 2 * HOUR),  # its latest visit
    ]
    assert (report.targets[0].address, report.targets[1].address) == ("新华路3号", None)
    assert [s.community for s in report.staff] == ["xinhua"]
    whole = reports.key_targets(visits, None)
    assert [t.elder_id for t in whole.targets] == ["e-4", "e-2", "e-1"]  # dongfeng sorts first


def test_the_home_care_month_counts_visits_due_made_and_overdue(visits):
    configuration.set_community_staff(visits, CommunityStaff("xinhua", worker="wang", head="li"))
    register(visits, "e-1")
    register(visits, "e-2", community="dongfeng")
    handle(visits, incident(visits, "adm-5", "e-1", "hospitalised"))  # due Dec 2, 06:30
    handle(visits, incident(visits, "adm-6", "e-2", "family_accident"))  # due Dec 1, 06:30
    facts = {"visitor": "wang", "kind": "home", "meets": ["incident:adm-5"]}
    visit_records.record(visits, "v-5", "e-1", "wang", visited_at=NOW - HOUR, **facts)
    later = memory_clock_moved(visits, 80 * HOUR)  # Dec 2, 16:30: adm-6 is overdue, open
    # the services' counts are an aggregation of the store: the endpoint's test has them
    report = home_care_visits("2026-12", later.obligations.each({}), [], later.clock.now())
    dongfeng, xinhua = report.communities  # in order of name
    assert (xinhua.must_visits.due, xinhua.must_visits.made, xinhua.must_visits.overdue) == (
        1,
        1,
        0,
    )
    assert (dongfeng.must_visits.due, dongfeng.must_visits.made, dongfeng.must_visits.overdue) == (
        1,
        0,
        1,
    )
    assert report.district.must_visits.due == 2 and report.district.home_care_visits.due == 0
    with pytest.raises(ServerSelectionTimeoutError):  # reaches past the stores: fails at once
        reports.home_care_month(later, "2026-12")


def test_work_due_by_the_end_of_a_day_is_in_a_list_due_by_that_midnight(visits):
    """Work due by the end of a day is due at the next midnight: `due_by` that midnight takes
    it in (a worklist's "today", or a week ending on Sunday); `due_before` it does not."""
    register(visits, "e-1")
    handle(visits, incident(visits, "adm-1", "e-1", "hardship"))
    due_at = visits.obligations.require("incident:adm-1").due_at
    found, total = queries.obligations(visits, {"due_by": due_at}, 0, 10)
    assert total == 1 and found[0].obligation_id == "incident:adm-1"
    assert queries.obligations(visits, {"due_before": due_at}, 0, 10)[1] == 0
    assert queries.obligations(visits, {"due_by": due_at - HOUR}, 0, 10)[1] == 0


def test_a_merge_takes_the_venues_teams_and_courses_of_the_communities_merged_away(visits):

    room = venues.open_venue(visits, "v1", "xinhua", "activity_room", VenueTerms("活动室", 60.0))
    team = teams.form(visits, "t1", "xinhua", "culture_sports", "dance", "舞蹈队")
    kept = teams.form(visits, "t2", "dongfeng", "culture_sports", "singing", "合唱队")
    merged = {"target": "xinfeng", "retired": ["xinhua"], "worker": None, "head": None}
    assert follow_reorganisation(visits, merged) is True
    assert visits.activities.venues.require(room.venue_id).community == "xinfeng"
    assert visits.activities.teams.require(team.team_id).community == "xinfeng"
    assert visits.activities.teams.require(kept.team_id).community == "dongfeng"
    assert follow_reorganisation(visits, merged) is False  # applied again: nothing moves


def test_the_activity_figures_are_kept_until_a_write_of_their_records(visits):
    register(visits, "e-1")
    year = Period(date(2026, 1, 1), date(2026, 12, 31))
    team = teams.form(visits, "t1", "xinhua", "culture_sports", "dance", "舞蹈队", date(2026, 1, 1))
    before = activity_figures(visits, year)
    assert before["district"]["teams"]["total"] == {"teams": 1, "members": 0}
    worked_out = visits.activities.figures.kept
    assert activity_figures(visits, year) is before and len(worked_out) == 1  # kept
    teams.join(visits, team.team_id, {"elder_id": "e-1"}, date(2026, 2, 1))
    after = activity_figures(visits, year)
    assert after["district"]["teams"]["total"] == {"teams": 1, "members": 1}
    stamp = visits.activities.stamp.current()
    assert visits.activities.teams.add(team) is False  # there already: nothing written
    assert visits.activities.stamp.current() == stamp
    assert activity_figures(visits, year) is after


def test_the_activity_lists_filter_by_what_is_asked_and_list_the_latest_first(visits):
    register(visits, "e-1")
    dance = teams.form(
        visits, "t1", "xinhua", "culture_sports", "dance", "舞蹈队", date(2026, 1, 1)
    )
    teams.form(visits, "t2", "dongfeng", "culture_sports", "singing", "合唱队", date(2026, 1, 1))
    teams.join(visits, dance.team_id, {"elder_id": "e-1"}, date(2026, 2, 1))
    for n, day in enumerate((date(2026, 3, 1), date(2026, 5, 1), date(2026, 4, 1))):
        occasions.hold_activity(visits, f"o{n}", "xinhua", "排练", "dance", day, Actor("wang"))
    found, total = activity_queries.teams(visits, {"person": "elder:e-1"}, 0, 10)
    assert (total, [t.team_id for t in found]) == (1, ["t1"])
    asked = {"community": "xinhua", "held_from": date(2026, 3, 15), "held_to": date(2026, 5, 1)}
    held, total = activity_queries.occasions(visits, asked, 0, 10)
    assert (total, [o.held_on for o in held]) == (2, [date(2026, 5, 1), date(2026, 4, 1)])
    assert activity_queries.occasions(visits, {"community": "dongfeng"}, 0, 10)[1] == 0


def test_the_work_of_several_elders_is_listed_at_once(visits):
    for elder_id, incident_id in (("e-1", "adm-1"), ("e-2", "adm-2"), ("e-3", "adm-3")):
        register(visits, elder_id)
        handle(visits, incident(visits, incident_id, elder_id, "hardship"))
    found, total = queries.obligations(visits, {"elder_id": ["e-1", "e-3"]}, 0, 10)
    assert (total, sorted(o.elder_id for o in found)) == (2, ["e-1", "e-3"])
