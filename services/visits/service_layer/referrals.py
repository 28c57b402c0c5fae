"""Use cases of help beyond a visit: a help request referred to a department or a legal
helper and its outcome; relief raised for the request's elder, gift by gift, and handed over."""

from __future__ import annotations

from datetime import date

from services.visits.domain import referrals as rules
from services.visits.domain.referrals import Gift, Handover, Referral, Relief
from services.visits.service_layer.container import Visits
from services.visits.service_layer.records import commit, create
from shared.clock import local_today


def _today(visits: Visits) -> date:
    return local_today(visits.clock, visits.settings.zone)


def refer(
    visits: Visits,
    referral_id: str,
    request_id: str,
    kind: str,
    referred_to: str,
    reason: str,
    by: str,
    on: date | None = None,
) -> Referral:
    request = visits.help_requests.require(request_id)
    today = _today(visits)
    change = rules.refer(
        referral_id,
        request.request_id,
        request.elder_id,
        request.community,
        kind,
        referred_to,
        reason,
        by,
        on or today,
        today,
    )
    create(visits, visits.referrals, change)
    return change.after


def conclude(visits: Visits, referral_id: str, outcome: str, on: date | None = None) -> Referral:
    referral = visits.referrals.require(referral_id)
    today = _today(visits)
    change = rules.conclude(referral, outcome, on or today, today)
    return commit(visits, visits.referrals, referral, change)


def open_relief(visits: Visits, relief_id: str, request_id: str, purpose: str) -> Relief:
    request = visits.help_requests.require(request_id)
    change = rules.open_relief(
        relief_id, request.request_id, request.elder_id, request.community, purpose
    )
    create(visits, visits.relief, change)
    return change.after


def receive_gift(
    visits: Visits,
    relief_id: str,
    gift_id: str,
    given_by: str,
    amount_fen: int,
    on: date | None = None,
) -> Relief:
    relief = visits.relief.require(relief_id)
    today = _today(visits)
    gift = Gift(gift_id, given_by.strip(), amount_fen, on or today)
    change = rules.receive_gift(relief, gift, today)
    return relief if change is None else commit(visits, visits.relief, relief, change)


def hand_over(
    visits: Visits,
    relief_id: str,
    handover_id: str,
    amount_fen: int,
    received_by: str,
    by: str,
    on: date | None = None,
) -> Relief:
    relief = visits.relief.require(relief_id)
    today = _today(visits)
    handover = Handover(handover_id, amount_fen, on or today, by, received_by.strip())
    change = rules.hand_over(relief, handover, today)
    return relief if change is None else commit(visits, visits.relief, relief, change)


def beyond(visits: Visits, request_id: str) -> tuple[list[Referral], list[Relief]]:
    """What was done for a help request beyond answering it: its referrals and its relief."""
    mine = {"request_id": request_id}
    return list(visits.referrals.each(mine)), list(visits.relief.each(mine))
