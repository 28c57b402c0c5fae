"""Households (户): the unit the office's reports count, beside persons.

A household is a home at one address of a community: the elders of the register who live
there, and the other residents by name, relation and year of birth. Its type follows from its
members, by the rules below (`type_by_rules`), unless staff set it by hand with a reason. When
a member dies or leaves, the type is worked out again from those who remain.

The rules, in the order they are tried:
- no elder of the register lives here any more: the household is closed;
- one member: widowed-childless (孤寡) if that elder is widowed and has no children, else living
  alone (独居);
- every member is 60 or over, and no child, child's spouse or grandchild lives in: empty-nest
  (空巢);
- otherwise: with family.

Home care (居家养老) is the household's: a household is enrolled, and every elder of the
register living there has the home-care service and its vouchers (still one voucher per
person). A new household is enrolled if an elder who founds it is. An elder who joins one
enrols it only where their own record says they are enrolled as they are registered (at
registration, in a survey, or in the register kept before households); one who comes after a
move or a clerk's regrouping takes the enrolment of the household they join.
"""

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from services.intake.domain.elder import Elder, HouseholdTerms
from services.intake.domain.grid import GridCell, check_home
from shared.changes import Change
from shared.errors import RuleViolation
from shared.vocabulary import CHILD_RELATIONS, HOUSEHOLD_DEPARTURES, HOUSEHOLD_TYPES, RELATIONS

ELDERLY_AGE = 60


@dataclass(frozen=True)
class Resident:
    """A member who is not in the register: a child, a younger spouse, a grandchild."""

    name: str
    relation: str  # RELATIONS
    birth_year: int | None = None

    def elderly(self, year: int) -> bool:
        """60 or over in `year`; an unknown age is not taken as elderly."""
        return self.birth_year is not None and year - self.birth_year >= ELDERLY_AGE


@dataclass(frozen=True)
class MemberFacts:
    """What the type rules read of an elder who lives in the household."""

    elder_id: str
    age: int
    widowed: bool
    childless: bool  # known to have no children; unknown counts as not childless


@dataclass(frozen=True)
class SetByHand:
    """A type staff chose over the rules', and why; cleared when the members change."""

    household_type: str
    reason: str
    set_by: str
    set_at: datetime


@dataclass(frozen=True)
class HomeCare:
    """The household's enrolment in home care (居家养老户), from when and by whom."""

    since: date
    by: str


@dataclass(frozen=True)
class Departure:
    """An elder who no longer lives in the household, and why."""

    elder_id: str
    reason: str  # DEPARTURES
    on: date


DEPARTURES = HOUSEHOLD_DEPARTURES


@dataclass(frozen=True)
class Household:
    household_id: str
    community: str
    address: str
    address_key: str  # the normalised address it is grouped by (`address_key`)
    household_number: str | None  # 户号, where the office has one
    members: tuple[str, ...]  # the register's elders who live here
    residents: tuple[Resident, ...]
    household_type: str  # as it stands: by the rules, or set by hand
    formed_at: datetime
    set_by_hand: SetByHand | None = None
    departures: tuple[Departure, ...] = ()
    status: str = "active"  # closed once no elder of the register lives here
    home_care: HomeCare | None = None  # enrolled as a home-care household (居家养老户)
    cell_id: str | None = None  # the building or courtyard of the grid it is in
    version: int = 1

    @property
    def type_source(self) -> str:
        return "by_hand" if self.set_by_hand else "rules"

    @property
    def terms(self) -> HouseholdTerms:
        """What each elder living here takes from the household."""
        return HouseholdTerms(self.household_type, self.home_care is not None)

    @property
    def persons(self) -> int:
        """Everyone living here: the register's elders and the other residents."""
        return len(self.members) + len(self.residents)


def type_by_rules(members: Sequence[MemberFacts], residents: Sequence[Resident], year: int) -> str:
    if not members:
        return "unknown"
    if len(members) + len(residents) == 1:
        only = members[0]
        return "widowed_childless" if only.widowed and only.childless else "living_alone"
    child_in = any(r.relation in CHILD_RELATIONS for r in residents)
    all_elderly = all(m.age >= ELDERLY_AGE for m in members) and all(
        r.elderly(year) for r in residents
    )
    return "empty_nest" if all_elderly and not child_in else "with_family"


def form(
    household_id: str,
    community: str,
    address: str,
    household_number: str | None,
    members: Sequence[MemberFacts],
    residents: Sequence[Resident],
    at: datetime,
    home_care: HomeCare | None = None,
) -> Household:
    """A new household of these elders and residents, typed by the rules."""
    if not members:
        raise RuleViolation("a household needs at least one elder of the register")
    _check_residents(residents)
    return Household(
        household_id=household_id,
        community=community,
        address=address.strip(),
        address_key=address_key(address),
        household_number=(household_number or "").strip() or None,
        members=tuple(m.elder_id for m in members),
        residents=tuple(residents),
        household_type=type_by_rules(members, residents, at.year),
        formed_at=at,
        home_care=home_care,
    )


def as_stated(household: Household, stated: str, source: str, by: str, at: datetime) -> Household:
    """The new household with the type staff stated for its elders (at registration, in a
    survey) where the rules, knowing only some of its members, would say otherwise. A lone
    elder of whom nothing else is known is of unknown type: the rules would call them living
    alone only because no one else was written down."""
    if stated == "unknown":
        if len(household.members) == 1 and not household.residents:
            return replace(household, household_type="unknown")
        return household
    if stated == household.household_type:
        return household
    reason = f"as stated {source}"
    return replace(household, household_type=stated, set_by_hand=SetByHand(stated, reason, by, at))


def join(
    household: Household, joining: MemberFacts, members: Sequence[MemberFacts], at: datetime
) -> Change[Household]:
    """An elder of the register comes to live here; `members` are the facts of everyone who
    lives here after, the newcomer included."""
    _require_active(household)
    if joining.elder_id in household.members:
        raise RuleViolation("the elder already lives in this household", field="elder_id")
    joined = _retyped(
        replace(household, members=(*household.members, joining.elder_id)), members, at.year
    )
    return _change(household, joined, "member_joined", joining.elder_id, "joined")


def depart(
    household: Household,
    elder_id: str,
    reason: str,
    on: date,
    remaining: Sequence[MemberFacts],
    year: int,
) -> Change[Household] | None:
    """An elder no longer lives here; None if already gone (the same news twice). The type is
    worked out again from those who remain, and a type set by hand no longer holds."""
    if elder_id not in household.members:
        return None
    if reason not in DEPARTURES:
        raise RuleViolation(f"unknown departure {reason!r}", field="reason")
    left = replace(
        household,
        members=tuple(m for m in household.members if m != elder_id),
        departures=(*household.departures, Departure(elder_id, reason, on)),
    )
    if not left.members:
        left = replace(left, status="closed")
    after = _retyped(left, remaining, year)
    summary = f"left ({DEPARTURES[reason]})"
    return _change(household, after, "member_left", elder_id, summary, departure=reason)


def set_type(
    household: Household, household_type: str, reason: str, by: str, at: datetime
) -> Change[Household]:
    """Staff set the type over the rules; a reason is required, and it shows as set by hand."""
    _require_active(household)
    if household_type not in HOUSEHOLD_TYPES or household_type == "unknown":
        known = ", ".join(t for t in HOUSEHOLD_TYPES if t != "unknown")
        raise RuleViolation(f"household_type must be one of {known}", field="household_type")
    if not reason.strip():
        raise RuleViolation("say why the rules' type does not hold", field="reason")
    chosen = SetByHand(household_type, reason.strip(), by, at)
    after = replace(
        household, household_type=household_type, set_by_hand=chosen, version=household.version + 1
    )
    details = {"reason": "set_by_hand", "elder_id": None, "previous_type": household.household_type}
    return Change(after, [("household.changed", details)], f"type set by hand: {household_type}")


def clear_type(
    household: Household, members: Sequence[MemberFacts], year: int
) -> Change[Household]:
    """The type set by hand is taken back: the rules decide again."""
    _require_active(household)
    if household.set_by_hand is None:
        raise RuleViolation("the type is not set by hand")
    after = _retyped(household, members, year)
    return _change(household, after, "rules_restored", None, "type by the rules again")


def set_residents(
    household: Household,
    residents: Sequence[Resident],
    members: Sequence[MemberFacts],
    year: int,
) -> Change[Household]:
    """The residents who are not in the register, as staff found them."""
    _require_active(household)
    _check_residents(residents)
    after = _retyped(replace(household, residents=tuple(residents)), members, year)
    return _change(household, after, "residents_changed", None, "residents changed")


def enrol_home_care(household: Household, since: date, by: str) -> Change[Household]:
    """The household becomes a home-care household (居家养老户) from `since`."""
    _require_active(household)
    if household.home_care is not None:
        raise RuleViolation(
            f"the household is a home-care household already, since {household.home_care.since}"
        )
    after = replace(household, home_care=HomeCare(since, by), version=household.version + 1)
    return _change(household, after, "home_care_enrolled", None, f"home care from {since}")


def end_home_care(household: Household, on: date) -> Change[Household]:
    """The household is no longer a home-care household, from `on`."""
    _require_active(household)
    if household.home_care is None:
        raise RuleViolation("the household is not a home-care household")
    if on < household.home_care.since:
        raise RuleViolation(
            f"home care began on {household.home_care.since}; it cannot end before", field="on"
        )
    after = replace(household, home_care=None, version=household.version + 1)
    return _change(household, after, "home_care_ended", None, f"home care ended on {on}")


def place_in_grid(household: Household, cell: GridCell | None) -> Change[Household]:
    """The household is in this building or courtyard of its community (None: in none)."""
    _require_active(household)
    if cell is not None:
        check_home(cell, household.community)
    cell_id = cell.cell_id if cell else None
    if cell_id == household.cell_id:
        raise RuleViolation("the household is placed there already", field="cell_id")
    after = replace(household, cell_id=cell_id, version=household.version + 1)
    where = cell.name if cell else "no building"
    return _change(household, after, "placed_in_grid", None, f"placed in {where}")


def reorganise(
    household: Household, community: str, cell_id: str | None, summary: str
) -> Change[Household]:
    """The household's community is now another (a merge, or a split that takes its home); it
    stays in its building or courtyard if that moved with it (`cell_id`), else in none."""
    after = replace(household, community=community, cell_id=cell_id, version=household.version + 1)
    details = {
        "reason": "reorganised",
        "elder_id": None,
        "departure": None,
        "previous_type": household.household_type,
    }
    return Change(after, [("household.changed", details)], summary)


def address_key(address: str) -> str:
    """The address as households are grouped by it: full-width characters as half-width, no
    spaces or punctuation, one kind of dash, letters in lower case, and the words a clerk may
    add or leave out (室, 单元 as -, 号楼 as 栋) written one way. Two rows with the same key are
    the same home."""
    text = unicodedata.normalize("NFKC", address).lower()
    for spelled, written in _SPELLINGS:
        text = text.replace(spelled, written)
    return "".join(ch for ch in text if ch.isalnum() or ch == "-").strip("-")


_SPELLINGS = (
    ("—", "-"),
    ("–", "-"),
    ("－", "-"),
    ("号楼", "栋"),
    ("幢", "栋"),
    ("单元", "-"),
    ("室", ""),
    ("#", "号"),
)


def dwelling_named(address: str) -> bool:
    """Whether an address names a door: grouping by one that names only a street or village
    would put strangers in one household."""
    return any(ch.isdigit() for ch in address_key(address))


# How clerks write a relation in the registration's household members, to the words of RELATIONS
_SAID = {
    "spouse": ("配偶", "老伴", "妻", "夫", "爱人", "spouse", "wife", "husband"),
    "child_in_law": ("儿媳", "女婿", "媳妇", "in-law", "in_law"),
    "grandchild": ("孙", "外孙", "grandchild", "grandson", "granddaughter"),
    "child": ("子女", "儿子", "女儿", "儿", "女", "child", "son", "daughter"),
    "sibling": ("兄", "弟", "姐", "妹", "sibling", "brother", "sister"),
    "parent": ("父", "母", "parent", "father", "mother"),
}


def relation_of(said: str) -> str:
    """A relation as written on a registration, in the words of RELATIONS ("other" if none
    fits); the longer words are tried first, so that 儿媳 is not taken for 儿."""
    text = said.strip().lower()
    if text in RELATIONS:
        return text
    for relation, words in _SAID.items():
        if any(word in text for word in words):
            return relation
    return "other"


def facts_of(elder: Elder, today: date) -> MemberFacts:
    circumstances = elder.circumstances
    return MemberFacts(
        elder.elder_id,
        elder.age(today),
        widowed=circumstances.marital_status == "widowed",
        childless=circumstances.has_children is False,
    )


def residents_of(elders: Sequence[Elder]) -> list[Resident]:
    """The household members the elders' registrations name who are not themselves among
    the elders, each once."""
    names = {elder.name for elder in elders}
    residents: dict[tuple[str, str], Resident] = {}
    for elder in elders:
        for member in elder.household_members:
            name = member.get("name", "").strip()
            if name and name not in names:
                resident = Resident(name, relation_of(member.get("relation", "")))
                residents.setdefault((name, resident.relation), resident)
    return list(residents.values())


def _retyped(household: Household, members: Sequence[MemberFacts], year: int) -> Household:
    present = [m for m in members if m.elder_id in household.members]
    return replace(
        household,
        household_type=type_by_rules(present, household.residents, year),
        set_by_hand=None,
        version=household.version + 1,
    )


def _change(
    before: Household,
    after: Household,
    reason: str,
    elder_id: str | None,
    summary: str,
    departure: str | None = None,
) -> Change[Household]:
    details: dict[str, Any] = {
        "reason": reason,
        "elder_id": elder_id,
        "departure": departure,
        "previous_type": before.household_type,
    }
    who = f"{elder_id} " if elder_id else ""
    typed = f"; type {before.household_type} -> {after.household_type}"
    return Change(after, [("household.changed", details)], f"{who}{summary}{typed}")


def _check_residents(residents: Sequence[Resident]) -> None:
    for resident in residents:
        if resident.relation not in RELATIONS:
            raise RuleViolation(
                f"relation {resident.relation!r} is not one of {', '.join(RELATIONS)}",
                field="residents",
            )
        if not resident.name.strip():
            raise RuleViolation("every resident needs a name", field="residents")


def _require_active(household: Household) -> None:
    if household.status != "active":
        raise RuleViolation("the household is closed: no elder of the register lives there")


@dataclass(frozen=True)
class Newcomer:
    """An elder to place in a household: at registration, from a survey's row, after a move."""

    elder: Elder
    household_number: str | None = None
    row: int | None = None  # the survey's row, for the clerk who fixes an ambiguity
    building: str | None = None  # the 楼栋 or 院落 named, as the community's grid names it


@dataclass(frozen=True)
class Ambiguity:
    """Rows grouped (or not) by a rule that may be wrong for them: shown to a clerk to fix."""

    elder_ids: tuple[str, ...]
    rows: tuple[int, ...]
    reason: str


GroupKey = tuple[str, str, str]  # community, "number" or "address" or "alone", value


def group(newcomers: Sequence[Newcomer]) -> tuple[dict[GroupKey, list[Newcomer]], list[Ambiguity]]:
    """The survey's rule: rows with the same 户号 in a community are one household; rows
    without one, at the same normalised address (`address_key`) of the community, are one;
    a row whose address names no door stays a household of its own. Reported: a 户号 given
    with different addresses (grouped by the number), and an address that names no door."""
    groups: dict[GroupKey, list[Newcomer]] = {}
    ambiguous: list[Ambiguity] = []
    for newcomer in newcomers:
        elder = newcomer.elder
        number = (newcomer.household_number or "").strip()
        if number:
            key: GroupKey = (elder.community, "number", number)
        elif dwelling_named(elder.address):
            key = (elder.community, "address", address_key(elder.address))
        else:
            key = (elder.community, "alone", elder.elder_id)
            ambiguous.append(
                _ambiguity(
                    [newcomer],
                    f"the address {elder.address!r} names no building or door; the elder is "
                    "a household of their own until a clerk places them",
                )
            )
        groups.setdefault(key, []).append(newcomer)
    for (_, kind, number), members in groups.items():
        addresses = {address_key(m.elder.address) for m in members}
        if kind == "number" and len(addresses) > 1:
            ambiguous.append(
                _ambiguity(
                    members,
                    f"户号 {number} is given with {len(addresses)} different addresses; the "
                    "rows are one household by the number",
                )
            )
    return groups, ambiguous


def home_named(
    members: Sequence[Newcomer], homes: Mapping[tuple[str, str], GridCell]
) -> tuple[GridCell | None, Ambiguity | None]:
    """The building or courtyard the rows of one household name, found in `homes` (by
    community and name); None where none is named, and, reported, where the rows name
    different ones or one the community's grid lacks: placed in none, for a clerk to place."""
    named = {(m.building or "").strip() for m in members} - {""}
    if not named:
        return None, None
    if len(named) > 1:
        said = ", ".join(sorted(named))
        return None, _ambiguity(
            members,
            f"the rows of one household name different buildings ({said}); it is "
            "placed in none until a clerk places it",
        )
    name = named.pop()
    community = members[0].elder.community
    home = homes.get((community, name))
    if home is None:
        return None, _ambiguity(
            members,
            f"{community} has no building or courtyard named {name!r} on its grid; "
            "the household is placed in none until a clerk places it",
        )
    return home, None


def stated_type(members: Sequence[Newcomer]) -> tuple[str, Ambiguity | None]:
    """The household type the rows state, if they agree and could be true ("unknown" if none
    states one): two elders of the register at one home do not live alone."""
    stated = {m.elder.circumstances.household_type for m in members} - {"unknown"}
    if len(stated) > 1:
        said = ", ".join(sorted(stated))
        return "unknown", _ambiguity(
            members, f"the rows of one household state different types ({said}); the rules decide"
        )
    kind = stated.pop() if stated else "unknown"
    if kind in ALONE and len(members) > 1:
        return "unknown", _ambiguity(
            members,
            f"the rows state {kind} ({HOUSEHOLD_TYPES[kind]}), but {len(members)} elders of the "
            "register live at this home; the rules decide",
        )
    return kind, None


ALONE = ("living_alone", "widowed_childless")


def _ambiguity(members: Sequence[Newcomer], reason: str) -> Ambiguity:
    return Ambiguity(
        tuple(m.elder.elder_id for m in members),
        tuple(m.row for m in members if m.row is not None),
        reason,
    )
