"""Use cases: an officer records a correction for a later cycle; an overpayment after a death
or move is resolved by hand, proposed by an officer and decided by another person."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from services.allowances.domain.adjustments import Adjustment, record_adjustment
from services.allowances.domain.overpayments import (
    RECOVERED,
    Overpayment,
    approve_resolution,
    propose_recovered,
    propose_waiver,
    reject_resolution,
)
from services.allowances.domain.programmes import RECOVERABLE
from services.allowances.domain.stops import stop_of
from services.allowances.service_layer.announcements import overpayment_changed
from services.allowances.service_layer.container import Allowances
from services.allowances.service_layer.stops import stop_payments
from shared.changes import Change
from shared.clock import local_today
from shared.errors import Conflict, NotFound, RuleViolation


def adjust(
    allowances: Allowances,
    programme: str,
    elder_id: str,
    month: str,
    amount_fen: int,
    reason: str,
    by: str,
) -> Adjustment:
    """Paid (or deducted) with the programme's next cycle, as an item naming its reason; a
    deduction for an elder no longer paid is a receivable at once."""
    if programme not in RECOVERABLE:
        raise RuleViolation(
            f"adjustments are made to monthly cash allowances: {', '.join(RECOVERABLE)}",
            field="programme",
        )
    elder = allowances.elders.get(elder_id)
    if elder is None:
        raise NotFound(f"No elder with id {elder_id!r} is known to allowances.")
    adjustment = record_adjustment(
        str(uuid.uuid4()),
        programme,
        elder_id,
        month,
        amount_fen,
        reason,
        by,
        allowances.clock.now(),
        local_today(allowances.clock, allowances.settings.zone),
    )
    allowances.adjustments.add(adjustment)
    if adjustment.amount_fen < 0 and stop_of(elder, allowances.programmes.get().stops):
        stop_payments(allowances, elder)  # nothing more is paid to deduct it from
        return allowances.adjustments.require(adjustment.adjustment_id)
    return adjustment


def propose_resolution(
    allowances: Allowances,
    overpayment_id: str,
    outcome: str,
    by: str,
    receipt: str | None = None,
    received_on: date | None = None,
    reason: str | None = None,
) -> Overpayment:
    """An officer proposes the overpayment recovered (with the receipt and the day the money
    came in) or waived (with the reason); it stays a receivable until approved."""
    now = allowances.clock.now()

    def decide(overpayment: Overpayment) -> Change[Overpayment]:
        if outcome == RECOVERED:
            if receipt is None or received_on is None:
                raise RuleViolation(
                    "a recovery needs the receipt and the day the money was received",
                    field="receipt" if receipt is None else "received_on",
                )
            today = local_today(allowances.clock, allowances.settings.zone)
            return propose_recovered(overpayment, receipt, received_on, by, now, today)
        return propose_waiver(overpayment, reason or "", by, now)

    return _resolve(allowances, overpayment_id, decide)


def decide_resolution(
    allowances: Allowances, overpayment_id: str, approve: bool, by: str, note: str | None
) -> Overpayment:
    """An approver other than the proposer approves the proposal (announced) or rejects it."""
    now = allowances.clock.now()
    if approve:
        return _resolve(allowances, overpayment_id, lambda o: approve_resolution(o, by, now, note))
    return _resolve(allowances, overpayment_id, lambda o: reject_resolution(o, by, now, note or ""))


def _resolve(
    allowances: Allowances,
    overpayment_id: str,
    decide: Callable[[Overpayment], Change[Overpayment]],
) -> Overpayment:
    """One compare-and-set write of the overpayment, with the events of its change."""
    overpayment = allowances.overpayments.require(overpayment_id)
    change = decide(overpayment)
    events = overpayment_changed(allowances, change)
    if not allowances.overpayments.save(overpayment, change.after, *events, change=change.summary):
        raise Conflict(f"overpayment {overpayment_id} was changed by someone else just now")
    return change.after
