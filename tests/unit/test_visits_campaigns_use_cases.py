"""Campaigns as use cases on stores in memory: planned, then launched with one obligation per
elder of the target group, each to the community's worker (a door-to-door check: to the
worker of the elder's building), launched again for those who joined the group since, and
followed by community and building."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from memory_visits import memory_visits, obligation_records, with_memory_reports
from test_visits_use_cases import event, handle, register

from services.visits.domain.calendar import end_of_day
from services.visits.domain.campaigns import Target
from services.visits.domain.config import CommunityStaff
from services.visits.domain.obligations import Obligation
from services.visits.service_layer import campaigns, configuration, obligations, visit_records
from services.visits.service_layer.container import Visits
from shared.clock import FixedClock
from shared.errors import NotFound, RuleViolation

NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)  # 16:30 in Shanghai
DUE = date(2026, 12, 10)


@pytest.fixture
def visits() -> Visits:
    visits = memory_visits(NOW)
    configuration.set_community_staff(visits, CommunityStaff("xinhua", worker="wang", head="li"))
    configuration.set_community_staff(visits, CommunityStaff("dongfeng", worker="zhou"))
    register(visits, "e-1", low_income=True)
    register(visits, "e-2")  # not low income: not in a low-income campaign
    register(visits, "e-3", community="dongfeng", low_income=True)
    return visits


def later(visits: Visits, by: timedelta) -> Visits:
    return replace(visits, clock=FixedClock(NOW + by))


def festival(visits: Visits, campaign_id: str = "c-1", **changes: Any) -> None:
    facts: dict[str, Any] = {
        "name": "重阳节慰问",
        "festival": "double_ninth",
        "target": Target(low_income=True),
        "gift": "月饼",
        "due_on": DUE,
        **changes,
    }
    campaigns.plan(visits, campaign_id, "li", **facts)


def announced(visits: Visits) -> list[tuple[str, str]]:
    return [(e.type, e.subject) for e in obligation_records(visits).announced]


def work(visits: Visits, campaign_id: str = "c-1") -> dict[str, Obligation]:
    return {o.elder_id: o for o in visits.obligations.each({"source": f"campaign:{campaign_id}"})}


def cell(visits: Visits, cell_id: str, kind: str, **more: Any) -> None:
    data = {"cell_id": cell_id, "version": 1, "community": "xinhua", "kind": kind, "name": cell_id}
    data.update({"status": "active", "change": "opened", **more})
    assert handle(visits, event(visits, "grid.cell_changed", cell_id, data))


def home(visits: Visits, household_id: str, members: list[str], cell_id: str | None) -> None:
    data = {
        "household_id": household_id,
        "version": 1,
        "community": "xinhua",
        "household_type": "living_alone",
        "type_source": "rules",
        "members": members,
        "persons": len(members),
        "status": "active",
        "cell_id": cell_id,
    }
    assert handle(visits, event(visits, "household.formed", household_id, data))


def test_a_campaign_is_planned_as_given_and_refused_what_it_cannot_be(visits):
    festival(visits)
    planned = visits.campaigns.require("c-1")
    assert (planned.name, planned.gift, planned.due_on) == ("重阳节慰问", "月饼", DUE)
    assert (planned.created_by, planned.created_at, planned.launched_at) == ("li", NOW, None)
    assert [line["change"] for line in visits.campaigns.history("c-1")] == ["campaign.planned"]
    refused = {
        "due_on": {"due_on": date(2026, 11, 28)},
        "gift": {"gift": " "},
        "purpose": {"purpose": "census"},
        "target": {"target": Target(household_types=("castle",))},
    }
    for field, wrong in refused.items():
        with pytest.raises(RuleViolation) as refusal:
            festival(visits, f"c-{field}", **wrong)
        assert refusal.value.context["field"] == field
    assert [c.campaign_id for c in visits.campaigns.each({})] == ["c-1"]
    assert list(visits.obligations.each({})) == []  # planning opens nothing


def test_a_launch_opens_one_visit_per_elder_of_the_group_to_the_communitys_worker(visits):
    festival(visits)
    launch = campaigns.launch(visits, "c-1")
    assert (launch.created, launch.existing) == (2, 0)
    opened = work(visits)
    assert sorted(opened) == ["e-1", "e-3"]
    assert (opened["e-1"].assignee, opened["e-3"].assignee) == ("wang", "zhou")
    assert (opened["e-3"].community, opened["e-3"].kind) == ("dongfeng", "festival")
    shanghai = visits.settings.zone
    assert {o.due_at for o in opened.values()} == {end_of_day(DUE, shanghai)}
    assert {(o.status, o.note, o.opens_at) for o in opened.values()} == {
        ("open", "重阳节慰问", NOW)
    }
    assert announced(visits) == [("obligation.created", "e-1"), ("obligation.created", "e-3")]
    stored = visits.campaigns.require("c-1")
    assert stored == launch.campaign
    assert (stored.launched_at, stored.version) == (NOW, 2)


def test_launched_again_a_campaign_opens_visits_only_for_those_who_joined_the_group(visits):
    festival(visits)
    campaigns.launch(visits, "c-1")
    register(visits, "e-4", low_income=True)
    next_day = later(visits, timedelta(days=1))
    again = campaigns.launch(next_day, "c-1")
    assert (again.created, again.existing) == (1, 2)
    assert sorted(work(visits)) == ["e-1", "e-3", "e-4"]
    assert announced(visits)[-1] == ("obligation.created", "e-4")
    assert len(announced(visits)) == 3
    stored = visits.campaigns.require("c-1")
    assert (stored.launched_at, stored.version) == (NOW, 2)  # first launched on the day it was
    assert [line["change"] for line in visits.campaigns.history("c-1")] == [
        "campaign.planned",
        "campaign.launched",
    ]


def test_a_campaign_of_some_communities_visits_their_elders_only(visits):
    festival(visits, target=Target(communities=("dongfeng",)))
    launch = campaigns.launch(visits, "c-1")
    assert (launch.created, sorted(work(visits))) == (1, ["e-3"])


def test_a_campaign_unknown_or_past_its_day_is_not_launched(visits):
    with pytest.raises(NotFound):
        campaigns.launch(visits, "c-9")
    festival(visits)
    too_late = later(visits, timedelta(days=11, hours=16))  # 11 December in Shanghai
    with pytest.raises(RuleViolation, match="can no longer be launched"):
        campaigns.launch(too_late, "c-1")
    assert work(visits) == {} and visits.campaigns.require("c-1").launched_at is None


def test_a_door_check_goes_to_the_worker_of_the_elders_building(visits):
    cell(visits, "g1", "group", worker="zhao")
    cell(visits, "b1", "building", group_id="g1")  # the group's worker answers for it
    cell(visits, "b2", "building", worker="sun")
    home(visits, "h-1", ["e-1"], "b1")
    home(visits, "h-2", ["e-2"], "b2")
    campaigns.plan(
        visits,
        "d-1",
        "li",
        name="入户核对",
        festival="",
        target=Target(communities=("xinhua",)),
        gift="",
        due_on=DUE,
        purpose="door_check",
    )
    register(visits, "e-5")  # in no building: the community's worker
    launch = campaigns.launch(visits, "d-1")
    assert launch.created == 3
    opened = work(visits, "d-1")
    assigned = {elder_id: (o.kind, o.assignee) for elder_id, o in opened.items()}
    assert assigned == {
        "e-1": ("door_check", "zhao"),
        "e-2": ("door_check", "sun"),
        "e-5": ("door_check", "wang"),
    }


def test_a_campaigns_progress_counts_its_visits_by_community_and_building(visits):
    cell(visits, "b1", "building", name="一号楼")
    home(visits, "h-1", ["e-1"], "b1")
    register(visits, "e-4", low_income=True)
    festival(visits)
    campaigns.launch(visits, "c-1")
    at_home = {"visitor": "wang", "kind": "home", "gift": "月饼", "meets": ["campaign:c-1:e-1"]}
    visited = later(visits, timedelta(hours=2))
    visit_records.record(
        visited, "v-1", "e-1", "wang", visited_at=NOW + timedelta(hours=1), **at_home
    )
    obligations.cancel(visits, "campaign:c-1:e-4", "住院，节后再访")

    after_due = with_memory_reports(later(visits, timedelta(days=12)))
    progress = campaigns.progress(after_due, "c-1")
    assert progress["campaign"] == visits.campaigns.require("c-1")
    counted = {k: progress[k] for k in ("targeted", "met", "open", "cancelled", "overdue")}
    assert counted == {"targeted": 3, "met": 1, "open": 1, "cancelled": 1, "overdue": 1}
    assert progress["communities"] == [
        {"community": "dongfeng", "targeted": 1, "met": 0, "open": 1, "cancelled": 0},
        {"community": "xinhua", "targeted": 2, "met": 1, "open": 0, "cancelled": 1},
    ]
    assert progress["cells"] == [
        {"cell_id": None, "name": None, "targeted": 2, "met": 0, "open": 1, "cancelled": 1},
        {"cell_id": "b1", "name": "一号楼", "targeted": 1, "met": 1, "open": 0, "cancelled": 0},
    ]
    before_due = campaigns.progress(with_memory_reports(visits), "c-1")
    assert before_due["overdue"] == 0 and before_due["open"] == 1
    with pytest.raises(NotFound):
        campaigns.progress(after_due, "c-9")
