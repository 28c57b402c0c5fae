"""The household's rules: its type from its members, a type set by hand, departures, and how
survey rows are grouped."""

from datetime import UTC, date, datetime

import pytest

from services.intake.domain import household as rules
from services.intake.domain.elder import Circumstances, Elder
from services.intake.domain.grid import GridCell
from services.intake.domain.household import MemberFacts, Newcomer, Resident
from shared.errors import RuleViolation

AT = datetime(2026, 12, 5, 2, tzinfo=UTC)


def elder(elder_id: str, age: int = 75, widowed: bool = False, childless: bool = False):
    return MemberFacts(elder_id, age, widowed, childless)


@pytest.mark.parametrize(
    ("members", "residents", "expected"),
    [
        ([elder("a")], [], "living_alone"),
        ([elder("a", widowed=True)], [], "living_alone"),  # children not known to be none
        ([elder("a", widowed=True, childless=True)], [], "widowed_childless"),
        ([elder("a"), elder("b")], [], "empty_nest"),
        ([elder("a")], [Resident("张兰", "spouse", 1958)], "empty_nest"),  # 68 in 2026
        ([elder("a")], [Resident("张兰", "spouse", 1970)], "with_family"),  # under 60
        ([elder("a")], [Resident("张兰", "spouse")], "with_family"),  # age unknown
        ([elder("a"), elder("b")], [Resident("王强", "child", 1960)], "with_family"),
        ([elder("a"), elder("b")], [Resident("小王", "grandchild", 2010)], "with_family"),
        ([], [Resident("王强", "child", 1960)], "unknown"),
    ],
)
def test_the_type_follows_from_the_members(members, residents, expected):
    assert rules.type_by_rules(members, residents, 2026) == expected


def couple() -> rules.Household:
    return rules.form("h1", "c01", "新华路 12号 3-201", None, [elder("a"), elder("b")], [], AT)


def test_a_couple_is_empty_nest_and_the_survivor_lives_alone():
    household = couple()
    assert household.household_type == "empty_nest" and household.type_source == "rules"
    change = rules.depart(household, "a", "died", date(2026, 12, 1), [elder("b")], 2026)
    assert change is not None
    after = change.after
    assert after.members == ("b",) and after.household_type == "living_alone"
    assert after.departures == (rules.Departure("a", "died", date(2026, 12, 1)),)
    assert after.version == 2 and after.status == "active"
    [(kind, details)] = change.events
    assert kind == "household.changed"
    assert details == {
        "reason": "member_left",
        "elder_id": "a",
        "departure": "died",
        "previous_type": "empty_nest",
    }
    # the same news again changes nothing
    assert rules.depart(after, "a", "died", date(2026, 12, 1), [elder("b")], 2026) is None
    closed = rules.depart(after, "b", "moved_out", date(2026, 12, 2), [], 2026)
    assert closed is not None and closed.after.status == "closed"
    assert closed.after.household_type == "unknown"


def test_a_type_set_by_hand_needs_a_reason_and_gives_way_when_members_change():
    household = couple()
    with pytest.raises(RuleViolation, match="why"):
        rules.set_type(household, "with_family", " ", "clerk", AT)
    with pytest.raises(RuleViolation, match="household_type must be"):
        rules.set_type(household, "unknown", "x", "clerk", AT)
    set_ = rules.set_type(household, "with_family", "女儿每天白天在家照料", "clerk", AT).after
    assert set_.household_type == "with_family" and set_.type_source == "by_hand"
    assert set_.set_by_hand and set_.set_by_hand.reason == "女儿每天白天在家照料"
    left = rules.depart(set_, "a", "died", date(2026, 12, 1), [elder("b")], 2026)
    assert left is not None and left.after.set_by_hand is None
    assert left.after.household_type == "living_alone"
    again = rules.clear_type(set_, [elder("a"), elder("b")], 2026).after
    assert again.household_type == "empty_nest" and again.type_source == "rules"


def test_a_stated_type_holds_where_the_rules_know_too_little():
    lone = rules.form("h2", "c01", "新华路1号", None, [elder("a")], [], AT)
    assert rules.as_stated(lone, "unknown", "x", "clerk", AT).household_type == "unknown"
    stated = rules.as_stated(lone, "empty_nest", "in the survey", "clerk", AT)
    assert stated.household_type == "empty_nest" and stated.type_source == "by_hand"
    assert stated.set_by_hand and stated.set_by_hand.reason == "as stated in the survey"
    assert rules.as_stated(couple(), "empty_nest", "x", "clerk", AT).type_source == "rules"


def test_residents_need_a_known_relation_and_a_name():
    with pytest.raises(RuleViolation, match="relation"):
        rules.form("h", "c01", "一路1号", None, [elder("a")], [Resident("王", "cousin")], AT)
    with pytest.raises(RuleViolation, match="name"):
        rules.form("h", "c01", "一路1号", None, [elder("a")], [Resident(" ", "child")], AT)


@pytest.mark.parametrize(
    ("said", "relation"),
    [("老伴", "spouse"), ("儿子", "child"), ("儿媳", "child_in_law"), ("外孙女", "grandchild"),
     ("son", "child"), ("保姆", "other"), ("spouse", "spouse")],
)  # fmt: skip
def test_relations_as_clerks_write_them(said, relation):
    assert rules.relation_of(said) == relation


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("新华路12号3-201", "新华路 12 号 3－201室", True),
        ("新华路１２号3单元201", "新华路12号3-201", True),
        ("新华路12号楼3-201", "新华路12栋3-201", True),
        ("新华路12号3-201", "新华路12号3-202", False),
    ],
)
def test_addresses_are_compared_as_normalised(one, other, same):
    assert (rules.address_key(one) == rules.address_key(other)) is same


def registered(elder_id: str, address: str, community: str = "c01", stated: str = "unknown"):
    return Elder(
        elder_id=elder_id,
        national_id=f"id-{elder_id}",
        name=f"name-{elder_id}",
        sex="female",
        birth_date=date(1950, 1, 1),
        community=community,
        address=address,
        phone=None,
        emergency_contact={},
        registered_at=AT,
        circumstances=Circumstances(household_type=stated),
    )


def test_survey_rows_group_by_number_then_by_address():
    rows = [
        Newcomer(registered("a", "新华路12号3-201"), None, 2),
        Newcomer(registered("b", "新华路 12号 3-201室"), None, 3),
        Newcomer(registered("c", "新华路12号3-201", community="c02"), None, 4),
        Newcomer(registered("d", "解放路1号"), "H-7", 5),
        Newcomer(registered("e", "解放路1号之一"), "H-7", 6),
        Newcomer(registered("f", "幸福村"), None, 7),
    ]
    groups, ambiguous = rules.group(rows)
    members = sorted(sorted(n.elder.elder_id for n in g) for g in groups.values())
    assert members == [["a", "b"], ["c"], ["d", "e"], ["f"]]
    reasons = {a.rows: a.reason for a in ambiguous}
    assert set(reasons) == {(5, 6), (7,)}
    assert "户号 H-7" in reasons[(5, 6)] and "names no building" in reasons[(7,)]


def test_rows_of_one_household_that_state_different_types_are_reported():
    rows = [
        Newcomer(registered("a", "一路1号", stated="living_alone"), None, 2),
        Newcomer(registered("b", "一路1号", stated="empty_nest"), None, 3),
    ]
    stated, ambiguity = rules.stated_type(rows)
    assert stated == "unknown"
    assert ambiguity is not None and ambiguity.rows == (2, 3)
    assert rules.stated_type(rows[:1]) == ("living_alone", None)


def test_two_elders_of_one_home_stated_as_living_alone_are_reported():
    rows = [
        Newcomer(registered("a", "一路1号", stated="living_alone"), None, 2),
        Newcomer(registered("b", "一路1号", stated="living_alone"), None, 3),
    ]
    stated, ambiguity = rules.stated_type(rows)
    assert stated == "unknown"
    assert ambiguity is not None and "2 elders" in ambiguity.reason


def test_the_building_rows_name_is_found_on_the_communitys_grid_or_reported():
    building = GridCell("b1", "c01", "building", "3号楼")
    homes = {("c01", "3号楼"): building}
    at = "一路1号"
    named = [
        Newcomer(registered("a", at), None, 2, "3号楼"),
        Newcomer(registered("b", at), None, 3),
    ]
    assert rules.home_named(named, homes) == (building, None)
    assert rules.home_named(named[1:], homes) == (None, None)
    elsewhere = [Newcomer(registered("c", at, community="c02"), None, 4, "3号楼")]
    home, unknown = rules.home_named(elsewhere, homes)
    assert home is None and unknown is not None and "c02 has no building" in unknown.reason
    two = [*named[:1], Newcomer(registered("d", at), None, 5, "4号楼")]
    home, differ = rules.home_named(two, homes)
    assert home is None and differ is not None and differ.rows == (2, 5)
    assert "different buildings (3号楼, 4号楼)" in differ.reason
