"""The elders visits' use cases act for, as visits knows them from intake's events."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.visits.domain.elder import Elder
from shared.errors import NotFound, RuleViolation

if TYPE_CHECKING:
    from services.visits.bootstrap import Visits


def known_elder(visits: Visits, elder_id: str) -> Elder:
    elder = visits.elders.get(elder_id)
    if elder is None:
        raise NotFound(f"No elder with id {elder_id!r} is known to visits (yet).", field="elder_id")
    return elder


def active_elder(visits: Visits, elder_id: str) -> Elder:
    """A known elder still served: not deceased, moved out of the district or merged."""
    elder = known_elder(visits, elder_id)
    if elder.status != "active":
        raise RuleViolation(
            f"elder {elder_id} is no longer served (status: {elder.status})", field="elder_id"
        )
    return elder
