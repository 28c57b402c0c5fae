"""A death reported in error was revoked (`elder.death_revoked`): reopen the obligations and
resume the pairings the death closed, where still relevant (`domain/reopening.py`).

Idempotent: each is a compare-and-set from the cancelled or ended state, which a second
delivery no longer finds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.visits.domain.reopening import DECEASED, reopened, resumed
from services.visits.service_layer.obligations import transfer_work
from services.visits.service_layer.records import commit

if TYPE_CHECKING:
    from services.visits.bootstrap import Visits


def reopen_work(visits: Visits, elder_id: str, reason: str) -> bool:
    """True if anything was reopened now. Nothing is, for an elder whose record is closed
    again by now (a later death or move)."""
    elder = visits.elders.get(elder_id)
    if elder is None or elder.status != "active":
        return False
    why = f"death reported in error revoked: {reason}"
    now = visits.clock.now()
    changed = False
    closed = {"elder_id": elder_id, "status": "cancelled", "cancelled_reason": DECEASED}
    for obligation in visits.obligations.each(closed):
        change = reopened(obligation, why, now)
        if change is not None:
            commit(visits, visits.obligations, obligation, change)
            changed = True
    ended = {"elder_id": elder_id, "status": "ended", "end_reason": DECEASED}
    for pairing in visits.pairings.each(ended):
        change = resumed(pairing, why)
        if change is not None:
            commit(visits, visits.pairings, pairing, change)
            changed = True
    # reopened work follows the elder's community and its worker, as any open work does
    return transfer_work(visits, elder) or changed
