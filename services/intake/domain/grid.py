"""The grid below the community (网格): resident groups (居民小组), and the buildings (楼栋) and
courtyards (院落) where households live. Each cell has a leader from among the residents (居民
小组长, 楼道长, 院落长) and a community worker responsible for it.

A building or courtyard may belong to a resident group of the same community; a group belongs
to none. A household is placed in a building or a courtyard (its group follows from there).
A cell is retired, not deleted, once nothing is placed in it: its history stays.
"""

import re
from dataclasses import dataclass, replace

from shared.changes import Change
from shared.errors import RuleViolation
from shared.personal import MOBILE_NUMBER_PATTERN
from shared.vocabulary import GRID_KINDS

GROUP = "group"
HOMES = ("building", "courtyard")  # the cells a household is placed in
ACTIVE = "active"


@dataclass(frozen=True)
class Leader:
    """The resident who leads the cell: 居民小组长, 楼道长 or 院落长."""

    name: str
    phone: str | None = None
    elder_id: str | None = None  # where the leader is an elder of the register


@dataclass(frozen=True)
class GridCell:
    cell_id: str
    community: str
    kind: str  # GRID_KINDS
    name: str
    group_id: str | None = None  # the resident group a building or courtyard belongs to
    leader: Leader | None = None
    worker: str | None = None  # the community worker responsible (a staff user name)
    address: str | None = None  # a building's or courtyard's: where its households live
    status: str = ACTIVE  # or retired
    version: int = 1

    @property
    def holds_households(self) -> bool:
        return self.kind in HOMES


@dataclass(frozen=True)
class CellTerms:
    """What staff give a cell; `group` is the resident group as it stands, if one is named."""

    name: str
    group: "GridCell | None" = None
    leader: Leader | None = None
    worker: str | None = None
    address: str | None = None


def open_cell(cell_id: str, community: str, kind: str, terms: CellTerms) -> Change[GridCell]:
    if kind not in GRID_KINDS:
        raise RuleViolation(f"kind must be one of {', '.join(GRID_KINDS)}", field="kind")
    cell = GridCell(cell_id, community, kind, "")
    opened = _with_terms(cell, terms)
    return Change(opened, [("grid.cell_changed", {"change": "opened"})], f"opened: {opened.name}")


def change_cell(cell: GridCell, terms: CellTerms) -> Change[GridCell]:
    _require_active(cell)
    changed = replace(_with_terms(cell, terms), version=cell.version + 1)
    if changed == replace(cell, version=cell.version + 1):
        raise RuleViolation("nothing to change: every value is already as given")
    return Change(changed, [("grid.cell_changed", {"change": "changed"})], "changed")


def retire_cell(cell: GridCell, households: int, cells: int) -> Change[GridCell]:
    """Retire a cell in which no household (or, for a group, no building or courtyard) is
    placed any more."""
    _require_active(cell)
    if households:
        raise RuleViolation(f"{households} households are still placed in {cell.name}")
    if cells:
        raise RuleViolation(f"{cells} buildings or courtyards still belong to {cell.name}")
    retired = replace(cell, status="retired", version=cell.version + 1)
    return Change(retired, [("grid.cell_changed", {"change": "retired"})], "retired")


def reorganise_cell(cell: GridCell, community: str, summary: str) -> Change[GridCell]:
    """The cell is now part of another community (a merge, or a split that takes it)."""
    moved = replace(cell, community=community, version=cell.version + 1)
    return Change(moved, [("grid.cell_changed", {"change": "reorganised"})], summary)


def check_home(cell: GridCell, community: str) -> None:
    """That a household of `community` may be placed in the cell."""
    _require_active(cell)
    if not cell.holds_households:
        raise RuleViolation(
            f"{cell.name} is a resident group: place the household in one of its buildings or "
            "courtyards",
            field="cell_id",
        )
    if cell.community != community:
        raise RuleViolation(
            f"{cell.name} is in {cell.community}, the household in {community}", field="cell_id"
        )


def _with_terms(cell: GridCell, terms: CellTerms) -> GridCell:
    name = terms.name.strip()
    if not name:
        raise RuleViolation("every cell needs a name", field="name")
    group = terms.group
    if group is not None:
        if cell.kind == GROUP:
            raise RuleViolation("a resident group belongs to no other group", field="group_id")
        if group.kind != GROUP or group.status != ACTIVE:
            raise RuleViolation(f"{group.name} is not an active resident group", field="group_id")
        if group.community != cell.community:
            raise RuleViolation(
                f"{group.name} is in {group.community}, not {cell.community}", field="group_id"
            )
    leader = _checked(terms.leader)
    worker = (terms.worker or "").strip() or None
    address = (terms.address or "").strip() or None
    if address is not None and not cell.holds_households:
        raise RuleViolation("a resident group has no address of its own", field="address")
    return replace(
        cell,
        name=name,
        group_id=group.cell_id if group else None,
        leader=leader,
        worker=worker,
        address=address,
    )


def lives_at(address_key: str, building_key: str) -> bool:
    """Whether a home's normalised address is at the building's: it begins with the
    building's, and does not go on with more digits of the same number (新华路1号 is not
    新华路12号)."""
    if not building_key or not address_key.startswith(building_key):
        return False
    rest = address_key[len(building_key) :]
    return not (rest[:1].isdigit() and building_key[-1:].isdigit())


def _checked(leader: Leader | None) -> Leader | None:
    if leader is None:
        return None
    name = leader.name.strip()
    if not name:
        raise RuleViolation("the leader needs a name", field="leader.name")
    phone = (leader.phone or "").strip() or None
    if phone is not None and not re.fullmatch(MOBILE_NUMBER_PATTERN, phone):
        raise RuleViolation("an 11-digit mobile number", field="leader.phone")
    return Leader(name, phone, (leader.elder_id or "").strip() or None)


def _require_active(cell: GridCell) -> None:
    if cell.status != ACTIVE:
        raise RuleViolation(f"{cell.name} is retired")
