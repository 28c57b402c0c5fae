"""Visits and a reorganisation of communities, on stores in memory: the elder's own event moves
their open work (with no must-visit, as no one moved house), and the community it results in
takes the worker named, whichever event arrives first."""

from typing import Any

import pytest
from memory_visits import memory_visits
from test_visits_use_cases import NOW, event, handle, incident, register

from services.visits.domain import obligations as rules
from services.visits.domain.config import CommunityStaff
from services.visits.service_layer.configuration import set_community_staff
from services.visits.service_layer.container import Visits
from services.visits.service_layer.records import commit
from tests.factories import registered_data


@pytest.fixture
def visits() -> Visits:
    visits = memory_visits(NOW)
    set_community_staff(visits, CommunityStaff("c01", worker="zhao", head="qian"))
    for elder_id in ("e-1", "e-2"):
        assert register(visits, elder_id, community="c01", address=f"东路{elder_id}号")
        assert handle(visits, incident(visits, f"i-{elder_id}", elder_id, "hospitalised"))
    return visits


def reorganised(visits: Visits, elder_id: str) -> bool:
    data = {
        **registered_data(elder_id, 2, community="c09", address=f"东路{elder_id}号"),
        "status": "active",
        "from_community": "c01",
        "to_community": "c09",
        "reorganisation_id": "r-1",
    }
    return handle(visits, event(visits, "elder.reorganised", elder_id, data))


def community_event(visits: Visits, **more: Any) -> bool:
    data = {
        "reorganisation_id": "r-1",
        "version": 2,
        "status": "applying",
        "kind": "merge",
        "sources": ["c01", "c02"],
        "target": "c09",
        "name": "金湖社区",
        "retired": ["c01", "c02"],
        "worker": "li",
        "head": "zhou",
        "elders": None,
        **more,
    }
    return handle(visits, event(visits, "community.reorganised", "r-1", data))


def open_work(visits: Visits) -> list[tuple[str, str, str | None]]:
    found = visits.obligations.each({"status": "open"})
    return sorted((o.elder_id, o.community, o.assignee) for o in found)


def test_work_moves_with_the_elder_to_the_worker_named_whichever_event_comes_first(visits):
    assert reorganised(visits, "e-1")  # before visits knows c09's worker
    assert community_event(visits)
    assert reorganised(visits, "e-2")  # after
    assert open_work(visits) == [("e-1", "c09", "li"), ("e-2", "c09", "li")]
    assert visits.config.get().staff("c09") == CommunityStaff("c09", "li", "zhou")
    kinds = {o.trigger for o in visits.obligations.each({})}
    assert kinds == {"hospitalised"}  # no must-visit for a move: no one moved house
    assert not community_event(visits)  # again: nothing changes


def test_work_held_by_someone_named_stays_theirs(visits):
    [held] = visits.obligations.each({"elder_id": "e-1"})
    commit(visits, visits.obligations, held, rules.reassign(held, "c01", "sun"))
    assert reorganised(visits, "e-1") and reorganised(visits, "e-2")
    assert community_event(visits)
    assert open_work(visits) == [("e-1", "c09", "sun"), ("e-2", "c09", "li")]
