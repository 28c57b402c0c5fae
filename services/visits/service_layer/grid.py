"""Use cases of the grid below the community (网格) in visits: whose work a building or group
holds, the caseload of each cell, and giving a building's open work to one worker."""

from __future__ import annotations

from dataclasses import dataclass

from services.visits.domain.calendar import end_of_day
from services.visits.domain.caseload import Load, caseload
from services.visits.domain.grid import (
    ACTIVE,
    Cell,
    CommunityGrid,
    cells_of_work,
    residents,
    within,
)
from services.visits.service_layer.container import Visits
from services.visits.service_layer.obligations import give
from services.visits.service_layer.open_work import open_work
from shared.clock import local_today
from shared.errors import NotFound, RuleViolation


def cell_of(visits: Visits, cell_id: str) -> Cell:
    cell = visits.cells.get(cell_id)
    if cell is None:
        raise NotFound(f"no grid cell {cell_id!r}", cell_id=cell_id)
    return cell


def residents_of(visits: Visits, cell: Cell) -> set[str]:
    """The elders living in the building or courtyard, or in any of the group's."""
    cells = list(visits.cells.each({"community": cell.community, "status": ACTIVE}))
    ids = within(cell, cells)
    return residents(visits.homes.each({"cell_id": {"$in": sorted(ids)}, "status": ACTIVE}), ids)


def home_cell(visits: Visits, elder_id: str) -> Cell | None:
    """The building or courtyard the elder's household is in, if the grid places it."""
    home = next(visits.homes.each({"members": elder_id, "status": ACTIVE}), None)
    return visits.cells.get(home.cell_id) if home and home.cell_id else None


@dataclass(frozen=True)
class CellLoad:
    cell: Cell | None  # None: the households placed in no building or courtyard
    load: Load


def community_grid(visits: Visits, community: str) -> CommunityGrid:
    """The community's active cells and households, kept until intake's next event about a
    household or a cell (`Visits.grids_kept`)."""

    def read() -> CommunityGrid:
        active = {"community": community, "status": ACTIVE}
        cells = {cell.cell_id: cell for cell in visits.cells.each(active)}
        return CommunityGrid(cells, tuple(visits.homes.each(active)))

    return visits.grids_kept.get(community, read)


def cell_caseloads(visits: Visits, community: str) -> list[CellLoad]:
    """Open, overdue and due-today work per cell of the community (a group's is its buildings'
    and courtyards'), every active cell listed; the most overdue first."""
    grid = community_grid(visits, community)
    cells = grid.cells
    work = ((o.elder_id, o.due_at) for o in open_work(visits, {"community": community}))
    today = local_today(visits.clock, visits.settings.zone)
    end_of_today = end_of_day(today, visits.settings.zone)
    loads = caseload(cells_of_work(work, grid.homes, cells), visits.clock.now(), end_of_today)
    busy = {load.key for load in loads}
    idle = [Load(cell_id, 0, 0, 0) for cell_id in cells if cell_id not in busy]
    return [CellLoad(cells.get(load.key or ""), load) for load in [*loads, *idle]]


def assign_cell(visits: Visits, cell: Cell, assignee: str | None, unassigned_only: bool) -> int:
    """Give the open work of the cell's elders to `assignee` (by default the cell's responsible
    worker): all of it, or only what no one holds. Returns how many obligations moved."""
    to = assignee or cell.worker
    if not to:
        raise RuleViolation(
            f"{cell.name} has no responsible worker: say who takes its work", field="assignee"
        )
    elders = sorted(residents_of(visits, cell))
    query = {"elder_id": {"$in": elders}, "status": "open", "community": cell.community}
    moved = 0
    for obligation in list(visits.obligations.each(query)) if elders else []:
        if obligation.assignee == to or (unassigned_only and obligation.assignee):
            continue
        give(visits, obligation, to)
        moved += 1
    return moved
