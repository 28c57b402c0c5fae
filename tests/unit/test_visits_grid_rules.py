"""Visits and the grid below the community, on stores in memory: households and cells followed
from intake's events; worklists, caseloads and reassignment by building and group; a pairing
with the leader of the elder's building."""

from typing import Any

import pytest
from memory_visits import memory_visits
from test_visits_use_cases import NOW, event, handle, incident, register

from services.visits.service_layer import grid, pairings, queries
from services.visits.service_layer.container import Visits
from shared.errors import NotFound, RuleViolation


@pytest.fixture
def visits() -> Visits:
    return memory_visits(NOW)


def cell(visits: Visits, cell_id: str, kind: str, version: int = 1, **more: Any) -> bool:
    data = {
        "cell_id": cell_id,
        "version": version,
        "community": "c01",
        "kind": kind,
        "name": cell_id,
        "group_id": None,
        "leader": None,
        "leader_phone": None,
        "worker": None,
        "status": "active",
        "change": "opened" if version == 1 else "changed",
        **more,
    }
    return handle(visits, event(visits, "grid.cell_changed", cell_id, data))


def home(
    visits: Visits, household_id: str, members: list[str], cell_id: str | None, version: int = 1
) -> bool:
    data = {
        "household_id": household_id,
        "version": version,
        "community": "c01",
        "household_type": "living_alone" if len(members) == 1 else "empty_nest",
        "type_source": "rules",
        "members": members,
        "persons": len(members),
        "status": "active",
        "cell_id": cell_id,
    }
    return handle(visits, event(visits, "household.formed", household_id, data))


@pytest.fixture
def grid_of_c01(visits: Visits) -> Visits:
    """Group g1 with buildings b1 and b2 (b1 led by 孙师傅); e-1 and e-2 in b1, e-3 in b2,
    e-4 in no building; each with one must-visit open."""
    assert cell(visits, "g1", "group")
    assert cell(
        visits, "b1", "building", group_id="g1", leader="孙师傅", leader_phone="13900139000"
    )
    assert cell(visits, "b2", "building", group_id="g1", worker="wang")
    for n in range(1, 5):
        register(visits, f"e-{n}", community="c01")
        handle(visits, incident(visits, f"i-{n}", f"e-{n}", "hospitalised"))
    assert home(visits, "h-1", ["e-1", "e-2"], "b1")
    assert home(visits, "h-2", ["e-3"], "b2")
    assert home(visits, "h-3", ["e-4"], None)
    assert not cell(visits, "b1", "building")  # an older event changes nothing
    return visits


def worklist(visits: Visits, **args: Any) -> list[str]:
    found, _ = queries.obligations(visits, args, 0, 100)
    return sorted(o.elder_id for o in found)


def test_a_worklist_by_building_or_group_holds_its_residents_work(grid_of_c01):
    visits = grid_of_c01
    assert worklist(visits, cell_id="b1") == ["e-1", "e-2"]
    assert worklist(visits, cell_id="g1") == ["e-1", "e-2", "e-3"]
    assert worklist(visits, cell_id="b1", elder_id="e-3") == []
    with pytest.raises(NotFound):
        worklist(visits, cell_id="nowhere")


def test_caseloads_by_cell_count_a_groups_buildings_and_the_unplaced(grid_of_c01):
    loads = {
        row.cell.cell_id if row.cell else None: row.load
        for row in grid.cell_caseloads(grid_of_c01, "c01")
    }
    assert (loads["b1"].open, loads["b2"].open, loads["g1"].open, loads[None].open) == (2, 1, 3, 1)


def test_cell_caseloads_follow_the_next_household_or_cell_event(grid_of_c01):
    visits = grid_of_c01

    def open_by_cell() -> dict[str | None, int]:
        rows = grid.cell_caseloads(visits, "c01")
        return {row.cell.cell_id if row.cell else None: row.load.open for row in rows}

    assert open_by_cell() == {"b1": 2, "b2": 1, "g1": 3, None: 1}
    assert open_by_cell() == {"b1": 2, "b2": 1, "g1": 3, None: 1}  # kept: no event since
    assert home(visits, "h-3", ["e-4"], "b2", version=2)  # e-4's household placed in b2
    assert open_by_cell() == {"b1": 2, "b2": 2, "g1": 4}
    assert cell(visits, "b2", "building", version=2, worker="wang")  # b2 leaves group g1
    assert open_by_cell() == {"b1": 2, "b2": 2, "g1": 2}


def test_a_buildings_work_goes_to_its_worker_and_each_move_is_announced(grid_of_c01):
    visits = grid_of_c01
    b2 = grid.cell_of(visits, "b2")
    assert grid.assign_cell(visits, b2, None, False) == 1
    assert worklist(visits, assignee="wang") == ["e-3"]
    assert grid.assign_cell(visits, b2, None, False) == 0  # already theirs
    with pytest.raises(RuleViolation, match="no responsible worker"):
        grid.assign_cell(visits, grid.cell_of(visits, "b1"), None, False)
    assert grid.assign_cell(visits, grid.cell_of(visits, "g1"), "li", True) == 2  # b1's, unheld
    assert worklist(visits, assignee="li") == ["e-1", "e-2"]


def test_a_pairing_with_a_building_leader_finds_the_leader_of_the_elders_building(grid_of_c01):
    visits = grid_of_c01
    paired = pairings.start(visits, "p-1", "e-1", None, "", "building_leader", 2)
    assert (paired.partner_name, paired.partner_phone) == ("孙师傅", "13900139000")
    with pytest.raises(RuleViolation, match="no leader"):
        pairings.start(visits, "p-2", "e-3", None, "", "building_leader", 2)
    with pytest.raises(RuleViolation, match="name the partner"):
        pairings.start(visits, "p-3", "e-1", None, "", "neighbour", 2, partner_phone="13700137000")
