"""Use cases of the grid below the community (网格): open, change and retire its resident
groups, buildings and courtyards, and count what each holds.

Each cell is written with its history and its event (`grid.cell_changed`) in one
compare-and-set; households are placed in a building or courtyard by `households.place_in_grid`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from services.intake.domain import grid as rules
from services.intake.domain.grid import GROUP, CellTerms, GridCell, Leader
from services.intake.domain.household import Household, address_key
from services.intake.service_layer import households
from services.intake.service_layer.container import Intake
from shared.changes import Change
from shared.errors import Conflict, RuleViolation
from shared.events import announce_change
from shared.stores import at_version, filtered

UNPLACED = ""  # the coverage's key of households placed in no building or courtyard


def state(cell: GridCell) -> dict[str, Any]:
    """What the cell's events carry."""
    return {
        "cell_id": cell.cell_id,
        "version": cell.version,
        "community": cell.community,
        "kind": cell.kind,
        "name": cell.name,
        "group_id": cell.group_id,
        "leader": cell.leader.name if cell.leader else None,
        "leader_phone": cell.leader.phone if cell.leader else None,
        "worker": cell.worker,
        "status": cell.status,
    }


@dataclass(frozen=True)
class Sent:
    """A cell's terms as staff sent them: the group by its id."""

    name: str
    group_id: str | None = None
    leader: Leader | None = None
    worker: str | None = None
    address: str | None = None


def open_cell(intake: Intake, community: str, kind: str, sent: Sent) -> GridCell:
    intake.district.get().community(community)  # refuses an unknown community
    _require_unique(intake, community, kind, sent.name, None)
    change = rules.open_cell(str(uuid.uuid4()), community, kind, _terms(intake, sent))
    cell = change.after
    intake.grid.add(cell, *announce_change(intake, change, cell.cell_id, state(cell)))
    return cell


def change_cell(intake: Intake, cell_id: str, version: int, sent: Sent) -> GridCell:
    cell = at_version(intake.grid, cell_id, version)
    _require_unique(intake, cell.community, cell.kind, sent.name, cell_id)
    return _save(intake, cell, rules.change_cell(cell, _terms(intake, sent)))


def retire_cell(intake: Intake, cell_id: str, version: int) -> GridCell:
    cell = at_version(intake.grid, cell_id, version)
    households = sum(1 for _ in intake.households.each(_placed_in([cell_id])))
    members = 0
    if cell.kind == GROUP:
        members = sum(1 for _ in intake.grid.each({"group_id": cell_id, "status": rules.ACTIVE}))
    return _save(intake, cell, rules.retire_cell(cell, households, members))


def place_at_address(intake: Intake, cell_id: str) -> int:
    """Place in the building or courtyard every active household of its community, placed in
    none yet, whose address is at the building's (`lives_at`). Returns how many were placed;
    running it again places no one twice."""
    cell = intake.grid.require(cell_id)
    if not cell.address:
        raise RuleViolation(f"{cell.name} has no address to place households by", field="address")
    key = address_key(cell.address)
    unplaced = {"community": cell.community, "status": "active", "cell_id": None}
    placed = 0
    for household in list(intake.households.each(unplaced)):
        if not rules.lives_at(household.address_key, key):
            continue
        try:
            households.place_in_grid(intake, household.household_id, household.version, cell_id)
        except Conflict:  # changed meanwhile: the next run places it
            continue
        placed += 1
    return placed


def list_query(filters: dict[str, Any]) -> dict[str, Any]:
    """The store's query for a list of cells by community, kind, group and worker; active ones
    unless a status is asked for."""
    return filtered(
        filters, ("community", "kind", "group_id", "worker", "status"), status=rules.ACTIVE
    )


@dataclass
class Coverage:
    """What a cell holds: households, the register's elders living in them, the key targets
    among them, and the home-care households."""

    households: int = 0
    elders: int = 0
    key_targets: int = 0
    home_care_households: int = 0
    key_target_reasons: dict[str, int] = field(default_factory=dict)

    def count(self, household: Household, reasons: list[tuple[str, ...]]) -> None:
        self.households += 1
        self.elders += len(reasons)
        self.home_care_households += household.home_care is not None
        for held in reasons:
            self.key_targets += bool(held)
            for reason in held:
                self.key_target_reasons[reason] = self.key_target_reasons.get(reason, 0) + 1


def active_cells(intake: Intake, community: str) -> list[GridCell]:
    return list(intake.grid.each({"community": community, "status": "active"}))


def coverage(intake: Intake, community: str) -> dict[str, Coverage]:
    """Each active cell's coverage, by cell id; a resident group's is that of its buildings
    and courtyards; under UNPLACED, the households placed in none."""
    intake.district.get().community(community)
    cells = {c.cell_id: c for c in active_cells(intake, community)}
    reasons = {
        document["_id"]: tuple(document.get("key_target_reasons") or ())
        for document in intake.elders.scan(
            {"community": community, "status": "active"}, ["_id", "key_target_reasons"]
        )
    }
    covered = {cell_id: Coverage() for cell_id in cells} | {UNPLACED: Coverage()}
    for household in intake.households.each({"community": community, "status": "active"}):
        held = [reasons[m] for m in household.members if m in reasons]
        home = cells.get(household.cell_id or "")
        for key in _counted_in(home):
            covered[key].count(household, held)
    return covered


def _counted_in(home: GridCell | None) -> Iterable[str]:
    if home is None:
        return (UNPLACED,)
    return (home.cell_id, home.group_id) if home.group_id else (home.cell_id,)


def _placed_in(cell_ids: list[str]) -> dict[str, Any]:
    return {"cell_id": {"$in": cell_ids}, "status": "active"}


def _terms(intake: Intake, sent: Sent) -> CellTerms:
    group = intake.grid.get(sent.group_id) if sent.group_id else None
    if sent.group_id and group is None:
        raise RuleViolation(f"no resident group {sent.group_id!r}", field="group_id")
    return CellTerms(sent.name, group, sent.leader, sent.worker, sent.address)


def _require_unique(
    intake: Intake, community: str, kind: str, name: str, cell_id: str | None
) -> None:
    """Two active cells of one kind in a community are not named alike: staff tell them by
    name."""
    same = {"community": community, "kind": kind, "name": name.strip(), "status": "active"}
    for cell in intake.grid.each(same):
        if cell.cell_id != cell_id:
            raise RuleViolation(
                f"{community} has a {kind} named {name.strip()} already", field="name"
            )


def _save(intake: Intake, cell: GridCell, change: Change[GridCell]) -> GridCell:
    events = announce_change(intake, change, cell.cell_id, state(change.after))
    if not intake.grid.save(cell, change.after, *events, change=change.summary):
        raise Conflict("the cell changed meanwhile; try again", cell_id=cell.cell_id)
    return change.after
