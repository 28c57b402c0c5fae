"""A death reported in error was revoked (`elder.death_revoked`): cancel the overpayments it
raised (paying back what was collected), make the deductions it stranded deductions again,
and grant the entitlements it suspended again, the next cycle paying back the months not paid
meanwhile. The rules: `domain/reinstatement.py`.

Idempotent by construction: refunds have ids derived from the overpayment they settle and are
inserted once; cancellations, restored deductions and the entitlement are compare-and-set.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from services.allowances.adapters.cycle_rules import rules_of
from services.allowances.domain.adjustments import Adjustment, paid_months
from services.allowances.domain.cycle import OPENING
from services.allowances.domain.elder import Elder
from services.allowances.domain.overpayments import Overpayment
from services.allowances.domain.programmes import MONTHLY, CycleRules
from services.allowances.domain.reinstatement import (
    cancellation,
    deduction_of,
    deduction_restored,
    owed_months,
    raised_by,
    reinstated,
)
from services.allowances.domain.roll import LineItem, RollLine
from services.allowances.service_layer.announcements import entitlement_changed
from services.allowances.service_layer.container import Allowances
from shared.clock import local_today
from shared.errors import Conflict
from shared.events import Event, announce
from shared.months import month_of


def reinstate(
    allowances: Allowances, elder_id: str, revoked_died_on: date, reason: str, by: str
) -> bool:
    """True if anything changed now. Nothing is done for an elder whose record is closed
    again by now (a later death or move stops payment as usual)."""
    elder = allowances.elders.get(elder_id)
    if elder is None or elder.status != "active":
        return False
    lines = allowances.lines.of_elder(elder_id)
    cancelled = cancel_recoveries(allowances, elder_id, revoked_died_on, lines, reason, by)
    resumed = resume_payment(allowances, elder, revoked_died_on, lines)
    return cancelled or resumed


def cancel_recoveries(
    allowances: Allowances,
    elder_id: str,
    revoked_died_on: date,
    lines: list[RollLine],
    reason: str,
    by: str,
) -> bool:
    """Every overpayment the revoked death raised is cancelled, and paid back in the
    programme's next cycle if it was collected; a deduction it made a receivable is a
    deduction again."""
    carried = {ref for line in lines for ref in line.refs}
    changed = False
    found = allowances.overpayments.each({"elder_id": elder_id})
    for overpayment in raised_by(found, revoked_died_on):
        undone = cancellation(
            overpayment,
            overpayment.overpayment_id in carried,
            reason,
            by,
            allowances.clock.now(),
        )
        if undone is None:
            continue
        if undone.refund is not None:
            refunded = allowances.adjustments.add(undone.refund, change="adjustment.refund")
            changed = refunded or changed
        changed = restore_deduction(allowances, overpayment) or changed
        if undone.cancelled is not None:
            event = overpayment_cancelled(allowances, overpayment, undone.refund, reason)
            if not allowances.overpayments.save(
                overpayment, undone.cancelled, event, change=f"overpayment.cancelled: {reason}"
            ):
                raise Conflict(f"overpayment {overpayment.overpayment_id} changed meanwhile")
            changed = True
    return changed


def restore_deduction(allowances: Allowances, overpayment: Overpayment) -> bool:
    adjustment_id = deduction_of(overpayment)
    adjustment = allowances.adjustments.get(adjustment_id) if adjustment_id else None
    restored = deduction_restored(adjustment) if adjustment else None
    if adjustment is None or restored is None:
        return False
    if not allowances.adjustments.save(adjustment, restored, change="adjustment.deduction_again"):
        raise Conflict(f"adjustment {adjustment.adjustment_id} changed meanwhile")
    return True


def resume_payment(
    allowances: Allowances, elder: Elder, revoked_died_on: date, lines: list[RollLine]
) -> bool:
    """Each entitlement the death suspended, granted again from this month; the back pay
    owed is named in the announcement, and the next cycle pays it."""
    config = allowances.programmes.get()
    month = month_of(local_today(allowances.clock, allowances.settings.zone))
    changed = False
    for entitlement in allowances.entitlements.of_elder(elder.elder_id):
        if entitlement.programme not in MONTHLY:
            continue
        programme = config.monthly(entitlement.programme)
        change = reinstated(entitlement, programme.assess(elder, month, config.stops), month)
        if change is None:
            continue
        owed = (
            back_pay(allowances, elder, entitlement.programme, lines) if programme.back_pay else []
        )
        paid_back = {
            "revoked_died_on": revoked_died_on,
            "back_pay_months": [a.month for a in owed],
            "back_pay_fen": sum(a.amount_fen for a in owed),
        }
        events = [(kind, {**details, **paid_back}) for kind, details in change.events]
        change = replace(change, events=events)
        if not allowances.entitlements.apply([(change, entitlement_changed(allowances, change))]):
            raise Conflict(f"entitlement {entitlement.entitlement_id} changed meanwhile")
        changed = True
    return changed


def back_pay(
    allowances: Allowances, elder: Elder, programme: str, lines: list[RollLine]
) -> list[LineItem]:
    """What the next cycle will pay back, for the announcement."""
    own = [line for line in lines if line.programme == programme]
    return owed_months(
        elder,
        past_cycles(allowances, programme, {line.cycle_id for line in own}),
        paid_months(own, programme),
        {line.month: line.reason for line in own},
    )


def past_cycles(allowances: Allowances, programme: str, rolled: set[str]) -> dict[str, CycleRules]:
    """The months of the programme's cycles and the rules each paid by; a cycle still being
    opened counts only if it already holds the elder's line (else it pays the elder itself)."""
    return {
        cycle.month: rules_of(cycle.programme, cycle.rules)
        for cycle in allowances.cycles.each({"programme": programme})
        if cycle.state != OPENING or cycle.cycle_id in rolled
    }


def overpayment_cancelled(
    allowances: Allowances, overpayment: Overpayment, refund: Adjustment | None, reason: str
) -> Event:
    data = {
        "overpayment_id": overpayment.overpayment_id,
        "elder_id": overpayment.elder_id,
        "programme": overpayment.programme,
        "amount_fen": overpayment.amount_fen,
        "refund_fen": refund.amount_fen if refund else 0,
        "reason": reason,
    }
    return announce(allowances, "allowance.overpayment_cancelled", overpayment.elder_id, data)
