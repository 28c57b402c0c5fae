"""A death reported in error, revoked, as a use case on stores in memory: the must-visit the
death cancelled reopens with its deadline moved on by the days the record was closed, a
festival visit only while its period runs, the pairing the death ended resumes, a must-visit
reported meanwhile opens now, work cancelled for another reason stays cancelled, and a second
delivery changes nothing."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from factories import registered_data
from memory_visits import memory_visits, obligation_records
from test_visits_use_cases import event, handle, incident, register

from services.visits.domain.campaigns import Target
from services.visits.domain.config import CommunityStaff
from services.visits.service_layer import campaigns, configuration, obligations, pairings
from services.visits.service_layer.container import Visits
from services.visits.service_layer.reopening import reopen_work
from shared.clock import FixedClock
from shared.events import Event, event_type
from shared.memory_stores import MemoryRecords

NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)
HOUR = timedelta(hours=1)
WHY = "death reported in error revoked: 医院误报"


@pytest.fixture
def visits() -> Visits:
    visits = memory_visits(NOW)
    configuration.set_community_staff(visits, CommunityStaff("xinhua", worker="wang", head="li"))
    configuration.set_community_staff(visits, CommunityStaff("dongfeng", worker="zhou"))
    register(visits, "e-1")
    return visits


def later(visits: Visits, by: timedelta) -> Visits:
    return replace(visits, clock=FixedClock(NOW + by))


def dies(visits: Visits, version: int = 2) -> None:
    fields = {"status": "deceased", "died_on": date(2026, 11, 29), "reported_by": "hospital"}
    data = registered_data("e-1", version, **fields)
    assert handle(visits, event(visits, "elder.deceased", "e-1", data))


def alive_again(visits: Visits, version: int = 3, **changes: Any) -> None:
    """The register's record active again, as the revocation's snapshot brings it."""
    revoked = {"revoked_died_on": date(2026, 11, 29), "reason": "医院误报"}
    sent = event(visits, "elder.death_revoked", "e-1", registered_data("e-1", version, **revoked))
    data = event_type(sent.type).load(sent)
    assert visits.elders.apply("e-1", version, sent.id, {**data, **changes})


def types(store: Any) -> list[str]:
    assert isinstance(store, MemoryRecords)
    return [e.type for e in store.announced]


def reopened_events(visits: Visits) -> list[Event]:
    announced = obligation_records(visits).announced
    return [e for e in announced if e.type == "obligation.reopened"]


def test_the_must_visit_reopens_later_by_the_time_closed_and_the_pairing_resumes(visits):
    handle(visits, incident(visits, "adm-1", "e-1", "hospitalised"))  # due in 70 hours
    due_at = visits.obligations.require("incident:adm-1").due_at
    pairings.start(visits, "p-1", "e-1", "vol-1", "小李", "volunteer", 2)
    dies(visits)
    assert visits.obligations.require("incident:adm-1").status == "cancelled"
    assert visits.pairings.require("p-1").status == "ended"

    a_day_on = later(visits, 24 * HOUR)
    alive_again(a_day_on)
    assert reopen_work(a_day_on, "e-1", "医院误报") is True
    reopened = visits.obligations.require("incident:adm-1")
    assert (reopened.status, reopened.cancelled_reason, reopened.closed_at) == ("open", None, None)
    assert reopened.due_at == due_at + 24 * HOUR
    assert (reopened.assignee, reopened.version) == ("wang", 3)
    [sent] = reopened_events(visits)
    assert (sent.subject, sent.data["reason"], sent.data["status"]) == ("e-1", WHY, "open")
    resumed = visits.pairings.require("p-1")
    assert (resumed.status, resumed.ended_on, resumed.end_reason) == ("active", None, None)
    assert types(visits.pairings) == ["pairing.started", "pairing.ended", "pairing.resumed"]

    assert reopen_work(a_day_on, "e-1", "医院误报") is False  # delivered again
    assert len(reopened_events(visits)) == 1
    assert types(visits.pairings)[-1] == "pairing.resumed"


def test_a_festival_visit_reopens_only_while_its_period_runs(visits):
    for campaign_id, due_on in (("c-1", date(2026, 11, 30)), ("c-2", date(2026, 12, 20))):
        campaigns.plan(
            visits,
            campaign_id,
            "li",
            name=f"慰问{campaign_id}",
            festival="double_ninth",
            target=Target(),
            gift="月饼",
            due_on=due_on,
        )
        campaigns.launch(visits, campaign_id)
    dies(visits)
    three_days_on = later(visits, 72 * HOUR)  # 2 December: c-1's period is over
    alive_again(three_days_on)
    assert reopen_work(three_days_on, "e-1", "医院误报") is True
    ended, running = (visits.obligations.require(f"campaign:c-{n}:e-1") for n in (1, 2))
    assert (ended.status, ended.cancelled_reason) == ("cancelled", "deceased")
    assert running.status == "open"
    assert running.due_at == datetime(2026, 12, 20, 16, tzinfo=UTC)  # its own day, not moved
    assert [e.data["obligation_id"] for e in reopened_events(visits)] == ["campaign:c-2:e-1"]


def test_work_cancelled_for_another_reason_stays_cancelled(visits):
    handle(visits, incident(visits, "adm-1", "e-1", "hardship"))
    obligations.cancel(visits, "incident:adm-1", "家属已探望")
    dies(visits)
    alive_again(visits)
    assert reopen_work(visits, "e-1", "医院误报") is False
    kept = visits.obligations.require("incident:adm-1")
    assert (kept.status, kept.cancelled_reason) == ("cancelled", "家属已探望")
    assert reopened_events(visits) == []


def test_a_must_visit_reported_while_the_register_said_dead_opens_now(visits):
    dies(visits)
    handle(visits, incident(visits, "adm-2", "e-1", "family_accident"))  # 48 hours
    assert visits.incidents.require("incident:adm-2").status == "dismissed"
    assert visits.obligations.get("incident:adm-2") is None

    four_days_on = later(visits, 96 * HOUR)  # its deadline passed meanwhile
    alive_again(four_days_on)
    assert reopen_work(four_days_on, "e-1", "医院误报") is True
    opened = visits.obligations.require("incident:adm-2")
    assert (opened.status, opened.assignee, opened.kind) == ("open", "wang", "mandatory")
    assert opened.due_at == NOW + 96 * HOUR + 48 * HOUR  # the trigger's hours from now
    kept = visits.incidents.require("incident:adm-2")
    assert (kept.status, kept.reason) == ("opened", None)
    assert types(obligation_records(visits)) == ["obligation.created"]
    assert reopen_work(four_days_on, "e-1", "医院误报") is False
    assert types(obligation_records(visits)) == ["obligation.created"]


def test_reopened_work_follows_the_community_the_elder_lives_in_now(visits):
    handle(visits, incident(visits, "adm-1", "e-1", "hospitalised"))
    dies(visits)
    alive_again(visits, community="dongfeng")
    assert reopen_work(visits, "e-1", "医院误报") is True
    moved = visits.obligations.require("incident:adm-1")
    assert (moved.status, moved.community, moved.assignee) == ("open", "dongfeng", "zhou")
    assert types(obligation_records(visits))[-2:] == [
        "obligation.reopened",
        "obligation.reassigned",
    ]


def test_nothing_reopens_for_an_elder_unknown_or_whose_record_is_closed_again(visits):
    handle(visits, incident(visits, "adm-1", "e-1", "hospitalised"))
    dies(visits)
    assert reopen_work(visits, "e-9", "医院误报") is False
    assert reopen_work(visits, "e-1", "医院误报") is False  # the record still says deceased
    assert visits.obligations.require("incident:adm-1").status == "cancelled"
    assert reopened_events(visits) == []
