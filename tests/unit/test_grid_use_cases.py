"""The grid below the community on stores in memory: resident groups, buildings and
courtyards opened, changed and retired by their rules; households placed in them; and what
each cell holds."""

from datetime import UTC, datetime

import pytest
from memory_intake import memory_intake
from test_intake_use_cases import COMMUNITIES, registration

from services.intake.domain.elder import Circumstances
from services.intake.domain.grid import Leader, lives_at
from services.intake.domain.household import address_key
from services.intake.service_layer import grid, households
from services.intake.service_layer.container import Intake
from services.intake.service_layer.grid import Sent
from services.intake.service_layer.registration import register_elder
from shared.audit import Actor
from shared.errors import Conflict, RuleViolation

NOW = datetime(2026, 12, 5, 2, tzinfo=UTC)
CLERK = Actor("clerk", "test")


@pytest.fixture
def intake() -> Intake:
    return memory_intake(NOW, COMMUNITIES)


def placed(intake: Intake, elder_id: str, cell_id: str | None):
    household = households.household_of(intake, elder_id)
    assert household is not None
    return households.place_in_grid(intake, household.household_id, household.version, cell_id)


def test_a_building_belongs_to_a_group_of_its_community_and_its_leader_is_checked(intake):
    group = grid.open_cell(intake, "c01", "group", Sent("第一居民小组", worker="li"))
    building = grid.open_cell(
        intake,
        "c01",
        "building",
        Sent("3号楼", group.cell_id, Leader("张大爷", "13800138000"), "li"),
    )
    assert building.group_id == group.cell_id and building.leader == Leader("张大爷", "13800138000")
    [event] = [e for e in intake.grid.announced if e.subject == building.cell_id]  # type: ignore[attr-defined]
    assert event.type == "grid.cell_changed" and event.data["change"] == "opened"
    assert (event.data["leader"], event.data["leader_phone"]) == ("张大爷", "13800138000")
    other = grid.open_cell(intake, "c02", "group", Sent("二组"))
    with pytest.raises(RuleViolation, match="is in c02"):
        grid.open_cell(intake, "c01", "building", Sent("4号楼", other.cell_id))
    with pytest.raises(RuleViolation, match="not an active resident group"):
        grid.open_cell(intake, "c01", "courtyard", Sent("东院", building.cell_id))
    with pytest.raises(RuleViolation, match="already"):
        grid.open_cell(intake, "c01", "building", Sent(" 3号楼 "))
    with pytest.raises(RuleViolation, match="11-digit mobile"):
        grid.open_cell(intake, "c01", "building", Sent("5号楼", leader=Leader("王", "123")))
    with pytest.raises(RuleViolation, match="kind"):
        grid.open_cell(intake, "c01", "street", Sent("x"))
    with pytest.raises(RuleViolation, match="unknown community"):
        grid.open_cell(intake, "c99", "group", Sent("x"))


def test_a_household_is_placed_in_a_building_not_a_group_and_a_cell_retires_once_empty(intake):
    group = grid.open_cell(intake, "c01", "group", Sent("一组"))
    building = grid.open_cell(intake, "c01", "building", Sent("1号楼", group.cell_id))
    elder = register_elder(intake, registration(2, address="一路1号"), CLERK)
    with pytest.raises(RuleViolation, match="resident group"):
        placed(intake, elder.elder_id, group.cell_id)
    household = placed(intake, elder.elder_id, building.cell_id)
    assert household.cell_id == building.cell_id
    [event] = [e for e in intake.households.announced if e.data.get("reason") == "placed_in_grid"]  # type: ignore[attr-defined]
    assert event.data["cell_id"] == building.cell_id
    with pytest.raises(RuleViolation, match="already"):
        placed(intake, elder.elder_id, building.cell_id)
    with pytest.raises(RuleViolation, match="1 households"):
        grid.retire_cell(intake, building.cell_id, building.version)
    with pytest.raises(RuleViolation, match="still belong"):
        grid.retire_cell(intake, group.cell_id, group.version)
    placed(intake, elder.elder_id, None)
    retired = grid.retire_cell(intake, building.cell_id, building.version)
    assert retired.status == "retired"
    with pytest.raises(Conflict):
        grid.change_cell(intake, group.cell_id, 9, Sent("一组"))
    renamed = grid.change_cell(intake, group.cell_id, group.version, Sent("第一组", worker="wang"))
    assert (renamed.name, renamed.worker) == ("第一组", "wang")
    assert grid.retire_cell(intake, renamed.cell_id, renamed.version).status == "retired"


def test_coverage_counts_households_elders_and_key_targets_per_cell_and_group(intake):
    group = grid.open_cell(intake, "c01", "group", Sent("一组"))
    east = grid.open_cell(intake, "c01", "building", Sent("1号楼", group.cell_id))
    yard = grid.open_cell(intake, "c01", "courtyard", Sent("西院"))
    alone = Circumstances(household_type="living_alone")
    a = register_elder(intake, registration(2, address="一路1号1-101", circumstances=alone), CLERK)
    b = register_elder(intake, registration(3, address="一路1号1-102"), CLERK)
    c = register_elder(intake, registration(4, address="一路1号1-102"), CLERK)  # b's spouse
    d = register_elder(intake, registration(5, address="西院5号"), CLERK)
    register_elder(intake, registration(6, address="二路9号"), CLERK)  # placed nowhere
    placed(intake, a.elder_id, east.cell_id)
    placed(intake, b.elder_id, east.cell_id)
    placed(intake, d.elder_id, yard.cell_id)
    covered = grid.coverage(intake, "c01")
    assert (covered[east.cell_id].households, covered[east.cell_id].elders) == (2, 3)
    assert covered[east.cell_id].key_targets == 3  # living alone, and an empty-nest couple
    assert covered[east.cell_id].key_target_reasons == {"living_alone": 1, "empty_nest": 2}
    assert covered[group.cell_id] == covered[east.cell_id]  # its one building
    assert (covered[yard.cell_id].households, covered[yard.cell_id].elders) == (1, 1)
    assert (covered[grid.UNPLACED].households, covered[grid.UNPLACED].elders) == (1, 1)
    couple = households.household_of(intake, c.elder_id)
    assert couple is not None and couple.cell_id == east.cell_id  # placed with b's household


def test_a_building_takes_the_households_living_at_its_address_once(intake):
    building = grid.open_cell(intake, "c01", "building", Sent("12号楼", address="新华路 12号"))
    at = [
        register_elder(intake, registration(n, address=a), CLERK)
        for n, a in ((2, "新华路12号3-201"), (3, "新华路１２号 1单元101室"), (4, "新华路120号"))
    ]
    other = register_elder(
        intake, registration(5, address="新华路12号5-501", community="c02"), CLERK
    )
    assert grid.place_at_address(intake, building.cell_id) == 2
    homes = [households.household_of(intake, e.elder_id) for e in (*at, other)]
    assert [h.cell_id if h else None for h in homes] == [building.cell_id] * 2 + [None, None]
    assert grid.place_at_address(intake, building.cell_id) == 0
    group = grid.open_cell(intake, "c01", "group", Sent("一组"))
    with pytest.raises(RuleViolation, match="no address"):
        grid.place_at_address(intake, group.cell_id)
    with pytest.raises(RuleViolation, match="no address of its own"):
        grid.change_cell(intake, group.cell_id, group.version, Sent("一组", address="新华路"))


@pytest.mark.parametrize(
    ("home", "building", "at"),
    [
        ("新华路12号3-201", "新华路12号", True),
        ("新华路120号", "新华路12号", False),
        ("新华路120号", "新华路12", False),
        ("新华路12-3", "新华路12", True),
        ("解放路12号", "新华路12号", False),
        ("新华路12号", "", False),
    ],
)
def test_a_home_is_at_a_buildings_address_only_on_a_whole_number(home, building, at):
    assert lives_at(address_key(home), address_key(building)) is at
