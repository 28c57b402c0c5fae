"""Undoing a death reported in error: what the revoked death made allowances do, reversed.

The death suspended the elder's monthly entitlements, left them off the rolls since, and
raised overpayments for months paid after it. Once intake revokes it:

- a recovery not yet carried by any roll is cancelled (nothing is taken back);
- a recovery a roll already carries (taken, or to be taken, from the payment) is cancelled
  and refunded by an adjustment of the same amount in the programme's next cycle;
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

from services.allowances.domain.adjustments import Adjustment, back_pay
from services.allowances.domain.elder import Elder
from services.allowances.domain.entitlements import GRANTED, SUSPENDED, Change, Entitlement
from services.allowances.domain.money import yuan
from services.allowances.domain.overpayments import Overpayment
from services.allowances.domain.programmes import CycleRules
from services.allowances.domain.roll import Assessment, LineItem
from services.allowances.domain.stops import DECEASED

CANCELLED = "cancelled"  # an overpayment whose cause was revoked: never (or no longer) recovered
REFUND = "overpayment.refund"


@dataclass(frozen=True)
class Cancellation:
    """An overpayment the revoked death raised: cancelled, and refunded if a roll carries it."""

    overpayment: Overpayment  # as it is now
    cancelled: Overpayment | None  # None: already cancelled
    refund: Adjustment | None  # None: no roll carries its recovery


def raised_by(overpayments: Iterable[Overpayment], died_on: date) -> list[Overpayment]:
    """The overpayments the death of `died_on` raised, cancelled already or not."""
    return [o for o in overpayments if o.cause == DECEASED and o.stop_on == died_on]


def cancellation(
    overpayment: Overpayment,
    carried: bool,
    reason: str,
    by: str,
    at: datetime,
) -> Cancellation:
    """`carried`: some stored roll line holds its recovery item (recovering or recovered)."""
    cancelled = (
        None
        if overpayment.status == CANCELLED
        else replace(overpayment, status=CANCELLED, version=overpayment.version + 1)
    )
    refund = None
    if carried:
        refund = Adjustment(
            refund_id(overpayment.overpayment_id),
            overpayment.programme,
            overpayment.elder_id,
            overpayment.month,
            overpayment.amount_fen,
            f"refund of the recovery of {yuan(overpayment.amount_fen)} yuan "
            f"({overpayment.overpayment_id}): {reason}",
            by,
            at,
            rule=REFUND,
        )
    return Cancellation(overpayment, cancelled, refund)


def refund_id(overpayment_id: str) -> str:
    return f"{overpayment_id}:refund"


def paid_since_grant(entitlement: Entitlement) -> bool:
    """Granted by a cycle, which paid every month since; one granted again when a death was
    revoked (no cycle) may be owed months the next cycle pays back."""
    return entitlement.status == GRANTED and entitlement.cycle_id is not None


def reinstated(current: Entitlement, now: Assessment, month: str) -> Change | None:
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
    return Change(granted, "allowance.reinstated", details)


def owed_months(
    elder: Elder,
    past: Mapping[str, CycleRules],
    paid: Collection[str],
    rolled: Mapping[str, str | None],
) -> list[LineItem]:
    """The back pay the next cycle owes the elder, by what is known now: every past cycle
    month eligible and not paid."""
    return back_pay(elder, past, paid, rolled)
