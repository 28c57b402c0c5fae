"""A death reported in error was revoked (`elder.death_revoked`): reopen the obligations and
resume the pairings the death closed, where still relevant, and open the must-visits reported
while the register said the elder was dead (`domain/reopening.py`).

Idempotent: each is a compare-and-set from the cancelled or ended state, which a second
delivery no longer finds.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from services.visits.domain.elder import Elder
from services.visits.domain.obligations import mandatory_visit
from services.visits.domain.reopening import DECEASED, held_over, reopened, resumed
from services.visits.service_layer.container import Visits
from services.visits.service_layer.obligations import (
    assignee_for,
    open_obligation,
    transfer_work,
)
from services.visits.service_layer.records import commit


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
        resumption = resumed(pairing, why)
        if resumption is not None:
            commit(visits, visits.pairings, pairing, resumption)
            changed = True
    changed = open_kept_incidents(visits, elder, now) or changed
    # reopened work follows the elder's community and its worker, as any open work does
    return transfer_work(visits, elder) or changed


def open_kept_incidents(visits: Visits, elder: Elder, now: datetime) -> bool:
    """The must-visits reported while the register said the elder was dead."""
    changed = False
    kept = {"elder_id": elder.elder_id, "status": "dismissed", "reason": DECEASED}
    for waiting in visits.incidents.each(kept):
        config = visits.config.get()
        hours = config.deadline_hours(waiting.incident.trigger)
        due = mandatory_visit(
            waiting.incident,
            elder.community,
            hours,
            assignee_for(visits, config, elder),
            now,
        )
        open_obligation(visits, held_over(due, now, hours), elder)
        opened = replace(waiting, status="opened", reason=None, version=waiting.version + 1)
        changed = visits.incidents.save(waiting, opened) or changed
    return changed
