"""Visits' view of the grid below the community (网格), built from intake's events: which
building or courtyard each household is in, the resident group each of those belongs to, and
who leads and looks after each. Worklists, reassignment and caseloads work by building and
group as well as by worker.

A resident group's work is that of its buildings and courtyards; work of elders whose household
is placed in none is counted under no cell (None).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

GROUP = "group"
ACTIVE = "active"


@dataclass(frozen=True)
class Home:
    """A household, as visits needs it: who lives there, and in which building."""

    household_id: str
    version: int
    community: str
    members: tuple[str, ...]
    cell_id: str | None = None
    status: str = ACTIVE


@dataclass(frozen=True)
class Cell:
    cell_id: str
    version: int
    community: str
    kind: str  # group, building, courtyard
    name: str
    group_id: str | None = None
    leader: str | None = None  # the leader's name (居民小组长, 楼道长, 院落长)
    leader_phone: str | None = None
    worker: str | None = None  # the community worker responsible
    status: str = ACTIVE


@dataclass(frozen=True)
class CommunityGrid:
    """A community's active cells and households, as the caseloads place its work in them."""

    cells: dict[str, Cell]
    homes: tuple[Home, ...]


def responsible_worker(cell: Cell | None, cells: dict[str, Cell]) -> str | None:
    """Who is responsible for a building or courtyard: its worker, else its group's."""
    if cell is None:
        return None
    group = cells.get(cell.group_id or "")
    return cell.worker or (group.worker if group else None)


def homes_of(homes: Iterable[Home]) -> dict[str, str | None]:
    """Each elder's building or courtyard (None: placed in none), by elder id."""
    return {elder_id: home.cell_id for home in homes for elder_id in home.members}


def within(cell: Cell, cells: Iterable[Cell]) -> set[str]:
    """The cell's id and, for a resident group, those of its buildings and courtyards."""
    if cell.kind != GROUP:
        return {cell.cell_id}
    return {cell.cell_id} | {c.cell_id for c in cells if c.group_id == cell.cell_id}


def residents(homes: Iterable[Home], cell_ids: set[str]) -> set[str]:
    """The elders living in active households placed in these cells."""
    return {
        elder_id
        for home in homes
        if home.status == ACTIVE and home.cell_id in cell_ids
        for elder_id in home.members
    }


def cells_of_work(
    work: Iterable[tuple[str | None, datetime]], homes: Iterable[Home], cells: dict[str, Cell]
) -> Iterator[tuple[str | None, datetime]]:
    """(cell id, due_at) of each piece of open work given as (elder id, due_at): its elder's
    building or courtyard, and that cell's group too; None where the elder's household is in
    no cell."""
    where = {
        elder_id: home.cell_id
        for home in homes
        if home.status == ACTIVE and home.cell_id in cells
        for elder_id in home.members
    }
    for elder_id, due_at in work:
        cell = cells.get(where.get(elder_id or "") or "")
        if cell is None:
            yield None, due_at
            continue
        yield cell.cell_id, due_at
        if cell.group_id in cells:
            yield cell.group_id, due_at
