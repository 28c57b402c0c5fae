"""Open work read once per community (or visitor) and kept until an obligation is written
(`Visits.open_work_kept`): the worklist, the head's page and the caseloads are then answered from
it, instead of each asking the store for every open obligation of the community again."""

from typing import Any

from services.visits.domain.obligations import Obligation
from services.visits.domain.open_work import DueBounds, soonest_due
from services.visits.service_layer.container import Visits

SCOPES = ("community", "assignee")


def open_work(visits: Visits, scope: dict[str, Any]) -> list[Obligation]:
    """The open work of `scope` (a community, a visitor, both, or neither: the district's)."""
    key = tuple(sorted(scope.items()))
    query = {**scope, "status": "open"}
    return visits.open_work_kept.get(
        key, lambda: list(visits.obligations.each(query, ordered=False))
    )


def open_obligations(
    visits: Visits, scope: dict[str, Any], due: DueBounds, skip: int, limit: int
) -> tuple[list[Obligation], int]:
    """A page of the scope's open work due within `due`, soonest first, and how much there is."""
    chosen = soonest_due(open_work(visits, scope), due)
    return chosen[skip : skip + limit], len(chosen)
