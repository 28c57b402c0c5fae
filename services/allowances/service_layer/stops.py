"""A death or a move out of the district stops payment: the elder's monthly entitlements are
suspended at once, and whatever was paid for months from the stop on — by the stop rule of the
cycle that paid it — is an overpayment to collect from the family or estate, as is what a
deduction still had to take, since no payment is left to take it from."""

from __future__ import annotations

from services.allowances.domain.adjustments import Adjustment, stranded
from services.allowances.domain.cycle import OPENING
from services.allowances.domain.elder import Elder
from services.allowances.domain.entitlements import on_stop
from services.allowances.domain.overpayments import from_deduction, overpayments
from services.allowances.domain.programmes import MONTHLY, RECOVERABLE
from services.allowances.domain.roll import RollLine
from services.allowances.domain.stops import Stop, stop_of
from services.allowances.service_layer.announcements import (
    entitlement_changed,
    overpayment_detected,
)
from services.allowances.service_layer.container import Allowances


def stop_payments(allowances: Allowances, elder: Elder) -> bool:
    """Idempotent: a suspension happens once, an overpayment is found once. True if either
    happened now."""
    stop = stop_of(elder, allowances.programmes.get().stops)
    if stop is None:
        return False
    _note_while_opening(allowances, elder)
    changes = [
        (change, entitlement_changed(allowances, change))
        for entitlement in allowances.entitlements.of_elder(elder.elder_id)
        if entitlement.programme in MONTHLY
        for change in [on_stop(entitlement, stop)]
        if change is not None
    ]
    suspended = allowances.entitlements.apply(changes)
    paid = allowances.lines.of_elder(elder.elder_id, RECOVERABLE)
    found = [
        allowances.overpayments.add(overpayment, overpayment_detected(allowances, overpayment))
        for overpayment in overpayments(
            elder,
            paid,
            _stop_rules(allowances, paid),
            allowances.clock.now(),
            allowances.payment_orders.withheld(
                {line.cycle_id for line in paid}, [line.line_id for line in paid]
            ),
        )
    ]
    receivables = [
        _collect_instead(allowances, adjustment, stop)
        for adjustment in stranded(allowances.adjustments.each({"elder_id": elder.elder_id}))
    ]
    return suspended or any(found) or any(receivables)


def _note_while_opening(allowances: Allowances, elder: Elder) -> None:
    """A roll being written may have read the elder before the stop, and its lines are not
    stored yet, so none is found below to recover from: note the elder on it, for the roll to
    stop once its lines are stored (`opening._catch_stops`). Noted before the lines are read
    here, so that a note the roll reads too late is one made after its lines were stored, and
    then found below."""
    for cycle in allowances.cycles.each({"state": OPENING}):
        if cycle.programme in MONTHLY:
            allowances.lines.note_stop(cycle.cycle_id, elder.elder_id)


def _collect_instead(allowances: Allowances, adjustment: Adjustment, stop: Stop) -> bool:
    """The deduction's remainder becomes a receivable, found once; then the deduction stops."""
    receivable = from_deduction(adjustment, stop, allowances.clock.now())
    added = allowances.overpayments.add(receivable, overpayment_detected(allowances, receivable))
    allowances.adjustments.save(
        adjustment, adjustment.to_receivable(), change="adjustment.receivable"
    )
    return added


def _stop_rules(allowances: Allowances, lines: list[RollLine]) -> dict[str, str]:
    """The stop rule each line's cycle was opened with."""
    ids = sorted({line.cycle_id for line in lines})
    return {
        cycle.cycle_id: cycle.rules["stops"]
        for cycle in allowances.cycles.each({"_id": {"$in": ids}})
    }
