"""Use cases of pairings: pair a partner (volunteer, cadre, property staff, building group
leader, neighbour) with an elder, end a pairing."""

from __future__ import annotations

from datetime import date

from services.visits.domain import pairings as rules
from services.visits.domain.pairings import BUILDING_LEADER, Pairing
from services.visits.service_layer.container import Visits
from services.visits.service_layer.elders import active_elder
from services.visits.service_layer.grid import home_cell
from services.visits.service_layer.obligations import keep_in_step
from services.visits.service_layer.records import commit, create
from shared.clock import local_today
from shared.errors import Conflict, RuleViolation


def start(
    visits: Visits,
    pairing_id: str,
    elder_id: str,
    partner_id: str | None,
    partner_name: str,
    partner_kind: str,
    visits_per_month: int,
    started_on: date | None = None,
    partner_phone: str | None = None,
) -> Pairing:
    elder = active_elder(visits, elder_id)
    today = local_today(visits.clock, visits.settings.zone)
    if partner_kind == BUILDING_LEADER and not partner_name.strip():
        partner_name, partner_phone = _leader_of_home(visits, elder_id, partner_phone)
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
        partner_phone,
    )
    _refuse_a_second_pairing(visits, change.after)
    if create(visits, visits.pairings, change):
        keep_in_step(visits, elder)  # a death applied meanwhile ends it at once
    return change.after


def _leader_of_home(visits: Visits, elder_id: str, phone: str | None) -> tuple[str, str | None]:
    """The leader (楼道长, 院落长) of the building or courtyard the elder lives in."""
    cell = home_cell(visits, elder_id)
    if cell is None or not cell.leader:
        raise RuleViolation(
            "the grid records no leader of the elder's building or courtyard: name the partner",
            field="partner_name",
        )
    return cell.leader, phone or cell.leader_phone


def _refuse_a_second_pairing(visits: Visits, pairing: Pairing) -> None:
    """The same partner is paired with an elder once at a time: the same id, or, for a partner
    known by name, the same name and phone."""
    partner = (
        {"partner_id": pairing.partner_id}
        if pairing.partner_id
        else {"partner_name": pairing.partner_name, "partner_phone": pairing.partner_phone}
    )
    same = visits.pairings.each({"elder_id": pairing.elder_id, "status": "active", **partner})
    existing = next(same, None)
    if existing is not None:
        raise Conflict(
            f"{pairing.partner_id or pairing.partner_name} is already paired with this elder",
            pairing_id=existing.pairing_id,
        )


def end(visits: Visits, pairing_id: str, reason: str) -> Pairing:
    pairing = visits.pairings.require(pairing_id)
    today = local_today(visits.clock, visits.settings.zone)
    return commit(visits, visits.pairings, pairing, rules.end(pairing, reason, today))
