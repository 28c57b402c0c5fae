"""Use cases of pairings: pair a volunteer or cadre with an elder, end a pairing."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from services.visits.domain import pairings as rules
from services.visits.domain.pairings import Pairing
from services.visits.service_layer.elders import active_elder
from services.visits.service_layer.obligations import keep_in_step
from services.visits.service_layer.records import commit, create
from shared.clock import local_today
from shared.errors import Conflict

if TYPE_CHECKING:
    from services.visits.bootstrap import Visits


def start(
    visits: Visits,
    pairing_id: str,
    elder_id: str,
    partner_id: str,
    partner_name: str,
    partner_kind: str,
    visits_per_month: int,
    started_on: date | None = None,
) -> Pairing:
    elder = active_elder(visits, elder_id)
    today = local_today(visits.clock, visits.settings.zone)
    same = visits.pairings.each(
        {"elder_id": elder_id, "partner_id": partner_id, "status": "active"}
    )
    existing = next(same, None)
    if existing is not None:
        raise Conflict(
            f"{partner_id} is already paired with this elder", pairing_id=existing.pairing_id
        )
    change = rules.pair(
        pairing_id,
        elder.elder_id,
        elder.community,
        partner_id,
        partner_name,
        partner_kind,
        visits_per_month,
        started_on or today,
        today,
    )
    if create(visits, visits.pairings, change):
        keep_in_step(visits, elder)  # a death applied meanwhile ends it at once
    return change.after


def end(visits: Visits, pairing_id: str, reason: str) -> Pairing:
    pairing = visits.pairings.require(pairing_id)
    today = local_today(visits.clock, visits.settings.zone)
    return commit(visits, visits.pairings, pairing, rules.end(pairing, reason, today))
