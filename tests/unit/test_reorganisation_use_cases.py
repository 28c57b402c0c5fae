"""Reorganising communities on stores in memory: a merge, a split by building and by address,
a rename; each previewed, then carried out in passes that resume where one stopped and move
nothing twice; and the district's codes and names that follow."""

from datetime import UTC, datetime

import pytest
from memory_intake import memory_intake
from test_intake_use_cases import registration

from services.intake.domain.district import Community
from services.intake.domain.reorganisation import APPLIED, APPLYING, MERGE, RENAME, SPLIT, Plan
from services.intake.service_layer import (
    changes,
    grid,
    households,
    queries,
    reorganisations,
    users,
)
from services.intake.service_layer.container import Intake
from services.intake.service_layer.district import configure_communities
from services.intake.service_layer.grid import Sent
from services.intake.service_layer.registration import register_elder
from shared.audit import Actor
from shared.errors import Conflict, RuleViolation
from shared.vocabulary import HOUSEHOLD_TYPES

NOW = datetime(2026, 12, 5, 2, tzinfo=UTC)
ADMIN = Actor("admin", "test")
COMMUNITIES = (
    Community("c01", "金东社区"),
    Community("c02", "金西社区"),
    Community("c03", "河头村", "village"),
)


@pytest.fixture
def intake() -> Intake:
    return memory_intake(NOW, COMMUNITIES)


def register(intake: Intake, sequence: int, community: str, address: str) -> str:
    elder = register_elder(
        intake, registration(sequence, community=community, address=address), ADMIN
    )
    return elder.elder_id


def community_of(intake: Intake, elder_id: str) -> str:
    return intake.elders.get(elder_id).community


def carried_out(intake: Intake, reorganisation_id: str):
    reorganisations.carry_out(intake)
    return intake.reorganisations.require(reorganisation_id)


def test_a_merge_is_previewed_then_moves_every_record_once_and_retires_the_others(intake):
    a = [register(intake, n, "c01", f"东路{n}号") for n in range(1, 4)]
    b = [register(intake, n, "c02", f"西路{n}号") for n in range(4, 6)]
    dead = register(intake, 6, "c02", "西路6号")
    changes.record_death(intake, dead, None, ADMIN, died_on=NOW.date(), reported_by="家属")
    households.follow_register(intake, "elder.deceased", dead, {"died_on": NOW.date()})
    building = grid.open_cell(intake, "c02", "building", Sent("西1号楼"))
    users.create_user(intake, "wang", "a-long-password-1", ["visitor"], "c02")
    users.create_user(intake, "li", "a-long-password-1", ["visitor"], "c01")

    sent = Plan(MERGE, ("c01", "c02"), "c09", "金湖社区", worker="li")
    planned = reorganisations.plan(intake, sent, ADMIN)
    assert planned.preview.leaving() == {"c01": 3, "c02": 2}  # the dead stay where they were
    assert (planned.preview.households, planned.preview.cells, planned.preview.staff) == (5, 1, 2)
    assert community_of(intake, a[0]) == "c01"  # a preview moves nothing

    started = reorganisations.apply(intake, planned.reorganisation_id, planned.version, ADMIN)
    assert started.status == APPLYING
    done = carried_out(intake, planned.reorganisation_id)
    assert done.status == APPLIED
    assert done.moved.leaving() == {"c01": 3, "c02": 2} and done.moved.households == 5
    assert (done.moved.cells, done.moved.staff) == (1, 2)
    assert {community_of(intake, i) for i in a + b} == {"c09"}
    assert community_of(intake, dead) == "c02"
    assert intake.grid.require(building.cell_id).community == "c09"
    assert intake.users.get("wang").community == "c09"  # type: ignore[union-attr]

    moved = [e for e in intake.elders.announced if e.type == "elder.reorganised"]  # type: ignore[attr-defined]
    assert sorted(e.subject for e in moved) == sorted(a + b)
    assert {(e.data["from_community"], e.data["to_community"]) for e in moved} == {
        ("c01", "c09"),
        ("c02", "c09"),
    }
    district = intake.district.get()
    assert [c.code for c in district.communities] == ["c03", "c09"]
    assert district.resolve_community("金东").code == "c09"  # a merged name means its successor
    assert district.resolve_community("c02").code == "c09"
    with pytest.raises(RuleViolation, match="merged into c09"):
        district.community("c01")

    reorganisations.carry_out(intake)  # again: nothing moves twice
    again = [e for e in intake.elders.announced if e.type == "elder.reorganised"]  # type: ignore[attr-defined]
    assert len(again) == len(moved)


def test_a_pass_stopped_half_way_is_resumed_by_the_next_and_counted_exactly(intake, monkeypatch):
    elders = [register(intake, n, "c01", f"东路{n}号") for n in range(1, 8)]
    planned = reorganisations.plan(intake, Plan(MERGE, ("c01", "c02"), "c02"), ADMIN)
    reorganisations.apply(intake, planned.reorganisation_id, planned.version, ADMIN)
    monkeypatch.setattr(reorganisations, "BATCH", 3)
    saved = changes.save_change
    calls = {"n": 0}

    def crashing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("killed")
        return saved(*args, **kwargs)

    monkeypatch.setattr(changes, "save_change", crashing)
    with pytest.raises(RuntimeError):
        reorganisations.carry_out(intake)
    assert sum(community_of(intake, i) == "c02" for i in elders) == 3
    monkeypatch.setattr(changes, "save_change", saved)
    done = carried_out(intake, planned.reorganisation_id)
    assert done.status == APPLIED and done.moved.leaving() == {"c01": 7}
    assert {community_of(intake, i) for i in elders} == {"c02"}


def test_an_elder_changed_meanwhile_is_moved_by_the_next_pass(intake, monkeypatch):
    elder = register(intake, 1, "c01", "东路1号")
    planned = reorganisations.plan(intake, Plan(MERGE, ("c01", "c02"), "c02"), ADMIN)
    reorganisations.apply(intake, planned.reorganisation_id, planned.version, ADMIN)
    saved = changes.save_change
    monkeypatch.setattr(
        changes, "save_change", lambda *a, **k: (_ for _ in ()).throw(Conflict("meanwhile"))
    )
    assert carried_out(intake, planned.reorganisation_id).status == APPLYING
    monkeypatch.setattr(changes, "save_change", saved)
    assert carried_out(intake, planned.reorganisation_id).status == APPLIED
    assert community_of(intake, elder) == "c02"


def test_a_split_by_building_takes_its_households_and_a_split_by_address_leaves_the_building(
    intake,
):
    group = grid.open_cell(intake, "c01", "group", Sent("三组"))
    tower = grid.open_cell(intake, "c01", "building", Sent("3号楼", group.cell_id))
    other = grid.open_cell(intake, "c01", "building", Sent("南路5号"))
    in_tower = register(intake, 1, "c01", "东路3号楼101")
    in_other = register(intake, 2, "c01", "南路5号1-101")
    at_address = register(intake, 3, "c01", "南路5号2-201")
    staying = register(intake, 4, "c01", "南路51号")
    for elder_id, cell in ((in_tower, tower), (in_other, other), (at_address, other)):
        household = households.household_of(intake, elder_id)
        assert household is not None
        households.place_in_grid(intake, household.household_id, household.version, cell.cell_id)

    by_group = Plan(SPLIT, ("c01",), "c10", "新东社区", cells=(group.cell_id,))
    planned = reorganisations.plan(intake, by_group, ADMIN)
    assert planned.preview.leaving() == {"c01": 1} and planned.preview.cells == 2
    reorganisations.apply(intake, planned.reorganisation_id, planned.version, ADMIN)
    assert carried_out(intake, planned.reorganisation_id).status == APPLIED
    assert community_of(intake, in_tower) == "c10"
    assert intake.grid.require(tower.cell_id).community == "c10"
    home = households.household_of(intake, in_tower)
    assert home is not None and (home.community, home.cell_id) == ("c10", tower.cell_id)

    by_address = Plan(SPLIT, ("c01",), "c11", "南路社区", addresses=("南路5号",))
    planned = reorganisations.plan(intake, by_address, ADMIN)
    assert planned.preview.leaving() == {"c01": 2} and planned.preview.cells == 0
    reorganisations.apply(intake, planned.reorganisation_id, planned.version, ADMIN)
    assert carried_out(intake, planned.reorganisation_id).status == APPLIED
    assert [community_of(intake, i) for i in (in_other, at_address, staying)] == [
        "c11",
        "c11",
        "c01",  # 南路51号 is not at 南路5号
    ]
    home = households.household_of(intake, at_address)
    assert home is not None and (home.community, home.cell_id) == ("c11", None)
    assert intake.grid.require(other.cell_id).community == "c01"


def test_a_rename_keeps_the_code_and_the_old_name_still_finds_it(intake):
    elder = register(intake, 1, "c03", "河头村1组")
    planned = reorganisations.plan(intake, Plan(RENAME, ("c03",), "c03", "河头社区"), ADMIN)
    assert planned.preview.elders == () and planned.preview.households == 0
    reorganisations.apply(intake, planned.reorganisation_id, planned.version, ADMIN)
    assert carried_out(intake, planned.reorganisation_id).status == APPLIED
    district = intake.district.get()
    assert district.community("c03").name == "河头社区"
    assert district.resolve_community("河头村").code == "c03"
    assert community_of(intake, elder) == "c03"


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        (Plan(MERGE, ("c01",), "c09", "新"), "two communities or more"),
        (Plan(MERGE, ("c01", "c02"), "c03"), "list it among those merged"),
        (Plan(MERGE, ("c01", "c02"), "c09"), "give c09 a name"),
        (Plan(MERGE, ("c01", "c02"), "c09", "河头村"), "c03 is called 河头村"),
        (Plan(MERGE, ("c01", "c99"), "c09", "新"), "unknown community 'c99'"),
        (Plan(SPLIT, ("c01",), "c02", "新"), "taken already"),
        (Plan(SPLIT, ("c01",), "c09", "新"), "name the buildings"),
        (Plan(SPLIT, ("c01",), "c09", "新", cells=("nowhere",)), "is not a building"),
        (Plan(RENAME, ("c01",), "c01", "金东社区"), "a name other than"),
        (Plan(RENAME, ("c01",), "c02", "新"), "keeps its code"),
    ],
)
def test_a_plan_the_district_cannot_take_is_refused_with_its_reason(intake, sent, message):
    with pytest.raises(RuleViolation, match=message):
        reorganisations.plan(intake, sent, ADMIN)


def test_one_reorganisation_at_a_time_and_a_preview_may_be_cancelled(intake):
    first = reorganisations.plan(intake, Plan(RENAME, ("c01",), "c01", "金东新社区"), ADMIN)
    second = reorganisations.plan(intake, Plan(RENAME, ("c02",), "c02", "金西新社区"), ADMIN)
    reorganisations.apply(intake, first.reorganisation_id, first.version, ADMIN)
    with pytest.raises(RuleViolation, match="is being applied"):
        reorganisations.apply(intake, second.reorganisation_id, second.version, ADMIN)
    cancelled = reorganisations.cancel(intake, second.reorganisation_id, second.version)
    assert cancelled.status == "cancelled"
    with pytest.raises(RuleViolation, match="cancelled"):
        reorganisations.apply(intake, second.reorganisation_id, cancelled.version, ADMIN)
    with pytest.raises(Conflict):
        reorganisations.cancel(intake, first.reorganisation_id, first.version)


def test_statistics_as_of_a_day_before_a_merge_count_the_communities_of_then(intake):
    for n in range(1, 4):
        register(intake, n, "c01", f"东路{n}号")
    for n in range(4, 6):
        register(intake, n, "c02", f"西路{n}号")
    later = register(intake, 9, "c02", "西路9号")
    intake.clock.move_to(datetime(2026, 12, 10, 2, tzinfo=UTC))  # type: ignore[attr-defined]
    changes.record_death(
        intake, later, None, ADMIN, died_on=datetime(2026, 12, 9).date(), reported_by="家属"
    )
    planned = reorganisations.plan(intake, Plan(MERGE, ("c01", "c02"), "c09", "金湖社区"), ADMIN)
    reorganisations.apply(intake, planned.reorganisation_id, planned.version, ADMIN)
    reorganisations.carry_out(intake)
    register(intake, 7, "c09", "湖路7号")

    def by_community(figures) -> dict[str, int]:
        return {c["community"]: c["elders"] for c in figures["communities"]}

    before = queries.statistics(intake, as_of=datetime(2026, 12, 8).date())
    assert by_community(before) == {"c01": 3, "c02": 3} and before["district"]["elders"] == 6
    assert sum(before["district"]["households"][t]["households"] for t in HOUSEHOLD_TYPES) == 6
    assert by_community(queries.statistics(intake, "c01", datetime(2026, 12, 8).date())) == {
        "c01": 3
    }
    now = queries.statistics(intake, as_of=datetime(2026, 12, 10, 2, tzinfo=UTC))
    assert by_community(now) == {"c09": 6}  # five moved, one registered since; one died
    assert by_community(queries.statistics(intake)) == {"c09": 6}
    today = queries.statistics(intake, as_of=datetime(2026, 12, 10).date())  # so far
    assert by_community(today) == {"c09": 6} and today["as_of"] == datetime(2026, 12, 10).date()
    with pytest.raises(RuleViolation, match="time past"):
        queries.statistics(intake, as_of=datetime(2026, 12, 11).date())


def test_the_list_sent_again_without_former_names_keeps_them(intake):
    planned = reorganisations.plan(intake, Plan(RENAME, ("c03",), "c03", "河头社区"), ADMIN)
    reorganisations.apply(intake, planned.reorganisation_id, planned.version, ADMIN)
    reorganisations.carry_out(intake)
    configure_communities(intake, [Community("c03", "河头社区", "village"), *COMMUNITIES[:2]])
    assert intake.district.get().community("c03").former_names == ("河头村",)
