"""Undoing a death reported in error: what the revoked death made allowances do, reversed.

The death suspended the elder's monthly entitlements, left them off the rolls since, and made
the months paid after it receivables from the family (overpayments), and what was left of a
deduction a receivable too. Once intake revokes it:

- an overpayment the death raised is cancelled: nothing more is collected; what was collected
  (recovered with a receipt, proposed as recovered, or taken by a roll in older records) is
  paid back to the elder by an `overpayment.refund` adjustment of the next cycle;
- a deduction's remainder the death made a receivable is a deduction again, taken from the
  elder's next payments (unless the family already paid it: then it is settled);
- an entitlement the death suspended is granted again from the current month, and every past
  cycle month the elder is owed by what is known now, and was not paid, is back pay of the
  next cycle (the same rule as for an elder registered late, `adjustments.back_pay`).

The next cycle pays that back pay itself, as it does for any elder it was not paying: an
entitlement granted again here has no cycle, which tells the cycle so. One mechanism owes a
month once, even when the cycle opens while the death is being revoked; the months are named
in the announcement beforehand.
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from services.allowances.domain.adjustments import (
    PENDING,
    RECEIVABLE,
    Adjustment,
    back_pay,
)
from services.allowances.domain.adjustments import RECOVERING as DEDUCTING
from services.allowances.domain.elder import Elder
from services.allowances.domain.entitlements import GRANTED, SUSPENDED, Entitlement
from services.allowances.domain.money import yuan
from services.allowances.domain.overpayments import (
    CANCELLED,
    PROPOSED,
    RECOVERED,
    RECOVERING,
    Overpayment,
)
from services.allowances.domain.programmes import CycleRules
from services.allowances.domain.roll import Assessment, LineItem
from services.allowances.domain.stops import DECEASED
from shared.changes import Change

REFUND = "overpayment.refund"


@dataclass(frozen=True)
class Cancellation:
    """An overpayment the revoked death raised: cancelled, and refunded if it was collected."""

    overpayment: Overpayment  # as it is now
    cancelled: Overpayment | None  # None: already cancelled
    refund: Adjustment | None  # None: nothing was collected


def raised_by(overpayments: Iterable[Overpayment], died_on: date) -> list[Overpayment]:
    """The overpayments the death of `died_on` raised, cancelled already or not."""
    return [o for o in overpayments if o.cause == DECEASED and o.stop_on == died_on]


def collected(overpayment: Overpayment, carried: bool) -> bool:
    """Money was taken back: from the family (recovered, or proposed as recovered with its
    receipt), or, in older records, by a roll (`carried`: a stored line holds its recovery)."""
    return (
        carried
        or overpayment.status in (RECOVERED, RECOVERING)
        or (overpayment.status == PROPOSED and overpayment.outcome == RECOVERED)
    )


def deduction_of(overpayment: Overpayment) -> str | None:
    """The adjustment whose remainder this receivable collects (`overpayments.from_deduction`)."""
    _, found, adjustment_id = overpayment.overpayment_id.partition(":adjustment:")
    return adjustment_id if found else None


def cancellation(
    overpayment: Overpayment, carried: bool, reason: str, by: str, at: datetime
) -> Cancellation | None:
    """What undoes the overpayment; None for a deduction's remainder the family already paid:
    a debt of the elder, alive or not, settled."""
    taken = collected(overpayment, carried)
    if taken and deduction_of(overpayment) is not None:
        return None
    cancelled = (
        None
        if overpayment.status == CANCELLED
        else replace(overpayment, status=CANCELLED, version=overpayment.version + 1)
    )
    refund = None
    if taken:
        refund = Adjustment(
            refund_id(overpayment.overpayment_id),
            overpayment.programme,
            overpayment.elder_id,
            overpayment.month,
            overpayment.amount_fen,
            f"refund of the {yuan(overpayment.amount_fen)} yuan collected for "
            f"{overpayment.overpayment_id}: {reason}",
            by,
            at,
            rule=REFUND,
        )
    return Cancellation(overpayment, cancelled, refund)


def deduction_restored(adjustment: Adjustment) -> Adjustment | None:
    """A deduction the death made a receivable, to be taken from the next payments again."""
    if adjustment.status != RECEIVABLE:
        return None
    status = DEDUCTING if adjustment.deducted_fen else PENDING
    return replace(adjustment, status=status, version=adjustment.version + 1)


def refund_id(overpayment_id: str) -> str:
    return f"{overpayment_id}:refund"


def paid_since_grant(entitlement: Entitlement) -> bool:
    """Granted by a cycle, which paid every month since; one granted again when a death was
    revoked (no cycle) may be owed months the next cycle pays back."""
    return entitlement.status == GRANTED and entitlement.cycle_id is not None


def reinstated(current: Entitlement, now: Assessment, month: str) -> Change[Entitlement] | None:
    """The entitlement a death suspended, granted again from `month` if the elder is eligible
    by what is known now; any other standing is left to the cycles."""
    if current.status != SUSPENDED or current.reason != DECEASED or not now.eligible:
        return None
    amount = now.item.amount_fen if now.item else 0
    granted = replace(
        current,
        status=GRANTED,
        band=now.band,
        amount_fen=amount,
        as_of=month,
        reason=None,
        cycle_id=None,
        version=current.version + 1,
    )
    details = {
        "programme": current.programme,
        "month": month,
        "cycle_id": None,
        "band": now.band,
        "amount_fen": amount,
    }
    return Change(granted, [("allowance.reinstated", details)])


def owed_months(
    elder: Elder,
    past: Mapping[str, CycleRules],
    paid: Collection[str],
    rolled: Mapping[str, str | None],
) -> list[LineItem]:
    """The back pay the next cycle owes the elder, by what is known now: every past cycle
    month eligible and not paid."""
    return back_pay(elder, past, paid, rolled)
