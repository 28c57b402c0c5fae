"""A programme's cycle for one month, and the only ways it moves on:

    opening -> open -> reviewed -> approved -> exported -> paid

`opening` lasts while the roll is computed and frozen; from `open` the roll never changes.
Review submits the report (due by the district's day of the month; late submission is
flagged). The approver must not be the preparer. Once approved, nothing about the cycle
changes but its export and payment: corrections go into a later cycle as adjustments.
A voucher cycle ends at `approved`: its lines are vouchers, not cash, so it has no payment file.

Each step is a `Change`: the cycle after it, the events it announces (approval and export; the
service adds the cycle's totals to each) and the name of the step in the cycle's history.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from services.allowances.domain.payment_orders import PaymentOrder
from services.allowances.domain.programmes import pays_cash
from services.allowances.domain.roll import Totals
from shared.changes import Change
from shared.errors import Conflict, RuleViolation
from shared.months import check_month, day_in_month, month_of

OPENING, OPEN, REVIEWED, APPROVED, EXPORTED, PAID = (
    "opening",
    "open",
    "reviewed",
    "approved",
    "exported",
    "paid",
)
STATES = (OPENING, OPEN, REVIEWED, APPROVED, EXPORTED, PAID)
ISSUED = (APPROVED, EXPORTED, PAID)  # the roll is binding: vouchers are issued, money is due


@dataclass(frozen=True)
class AllowanceCycle:
    cycle_id: str
    programme: str
    month: str
    state: str
    opened_by: str  # the preparer
    opened_at: datetime
    due_on: date
    rules: dict[str, Any]  # the programme's configuration the roll was computed with
    version: int = 1
    totals: Totals | None = None
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    submitted_on: date | None = None
    late: bool = False
    review_note: str | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    exported_by: str | None = None
    exported_at: datetime | None = None
    file_sha256: str | None = None  # of the CSV payment file, to verify a copy
    paid_by: str | None = None
    paid_at: datetime | None = None
    paid_on: date | None = None

    def overdue(self, today: date) -> bool:
        """Not yet submitted and past its due date."""
        return self.state in (OPENING, OPEN) and today > self.due_on


def cycle_id_for(programme: str, month: str) -> str:
    return f"{programme}:{month}"


def begin(
    programme: str,
    month: str,
    by: str,
    at: datetime,
    today: date,
    due_day: int,
    rules: dict[str, Any],
    latest: AllowanceCycle | None,
) -> AllowanceCycle:
    """A new cycle, in `opening` until its roll is frozen."""
    check_month(month)
    if month > month_of(today):
        raise RuleViolation(
            f"{month} is a future month; a cycle can be opened from its own month on",
            field="month",
        )
    if latest is not None and latest.state == OPENING:
        raise Conflict(
            f"cycle {latest.cycle_id} is still being opened; open it again to finish it first",
            cycle_id=latest.cycle_id,
        )
    if latest is not None and latest.month >= month:
        raise RuleViolation(
            f"{programme} is already open for {latest.month}; cycles open in month order, and "
            "corrections for earlier months go into a later cycle as adjustments",
            field="month",
        )
    return AllowanceCycle(
        cycle_id_for(programme, month),
        programme,
        month,
        OPENING,
        by,
        at,
        day_in_month(month, due_day),
        rules,
    )


def opened(cycle: AllowanceCycle, totals: Totals) -> Change[AllowanceCycle]:
    _require(cycle, OPENING, "have its roll frozen")
    if not totals.reconciles:
        raise RuleViolation(f"the roll of {cycle.cycle_id} does not reconcile: {totals}")
    return Change(_next(cycle, state=OPEN, totals=totals), summary="cycle.roll_frozen")


def review(
    cycle: AllowanceCycle, by: str, at: datetime, today: date, note: str | None
) -> Change[AllowanceCycle]:
    """Submit the cycle's report for approval; after the due date it is flagged late."""
    _require(cycle, OPEN, "be reviewed")
    reviewed = _next(
        cycle,
        state=REVIEWED,
        reviewed_by=by,
        reviewed_at=at,
        submitted_on=today,
        late=today > cycle.due_on,
        review_note=note,
    )
    return Change(reviewed, summary="cycle.reviewed")


def approve(cycle: AllowanceCycle, by: str, at: datetime) -> Change[AllowanceCycle]:
    if cycle.state in ISSUED:
        raise Conflict(
            f"cycle {cycle.cycle_id} was already approved by {cycle.approved_by}",
            state=cycle.state,
        )
    _require(cycle, REVIEWED, "be approved (review it first)")
    if by == cycle.opened_by:
        raise RuleViolation(
            f"{by} prepared this cycle and so cannot approve it; another approver must",
            prepared_by=cycle.opened_by,
        )
    if by == cycle.reviewed_by:
        raise RuleViolation(
            f"{by} reviewed this cycle and so cannot approve it; another approver must",
            reviewed_by=cycle.reviewed_by,
        )
    approved = _next(cycle, state=APPROVED, approved_by=by, approved_at=at)
    details = {
        "prepared_by": cycle.opened_by,
        "approved_by": by,
        "late": cycle.late,
        "due_on": cycle.due_on,
    }
    return Change(approved, [("allowance.cycle_approved", details)], "cycle.approved")


def require_cash(cycle: AllowanceCycle) -> None:
    """Only a cycle that pays money has a payment file, an export and a payment."""
    if not pays_cash(cycle.programme):
        raise RuleViolation(
            f"{cycle.cycle_id} issues home-care vouchers, which are not cash: a voucher cycle "
            "has no payment file and is not paid; approving it issued the vouchers, and "
            "providers claim them by redemption",
            programme=cycle.programme,
        )


def require_exportable(cycle: AllowanceCycle) -> None:
    """Refused before anything is written: a voucher cycle, a cycle not approved, or one
    exported already (whose file is downloaded again, not made anew)."""
    require_cash(cycle)
    if cycle.state in (EXPORTED, PAID):
        raise Conflict(
            f"cycle {cycle.cycle_id} was already exported; download its payment file again",
            state=cycle.state,
        )
    _require(cycle, APPROVED, "be exported (it must be approved first)")


def export(
    cycle: AllowanceCycle, by: str, at: datetime, order: PaymentOrder, file_sha256: str
) -> Change[AllowanceCycle]:
    """The payment file of `order` is exported; `file_sha256` lets a copy be verified."""
    require_exportable(cycle)
    exported = _next(cycle, state=EXPORTED, exported_by=by, exported_at=at, file_sha256=file_sha256)
    details = {
        "exported_by": by,
        "file_sha256": file_sha256,
        "file_payments": len(order.payments),
        "file_amount_fen": order.total_fen,
        "exceptions": len(order.exceptions),
        "withheld_fen": order.withheld_fen,
    }
    return Change(exported, [("allowance.payment_exported", details)], "cycle.exported")


def mark_paid(
    cycle: AllowanceCycle, by: str, at: datetime, paid_on: date, today: date
) -> Change[AllowanceCycle]:
    require_cash(cycle)
    if cycle.state == PAID:
        raise Conflict(f"cycle {cycle.cycle_id} is already marked paid", state=cycle.state)
    _require(cycle, EXPORTED, "be marked paid (export its payment file first)")
    if paid_on > today:
        raise RuleViolation(f"paid_on {paid_on} is in the future", field="paid_on")
    paid = _next(cycle, state=PAID, paid_by=by, paid_at=at, paid_on=paid_on)
    return Change(paid, summary="cycle.paid")


def _require(cycle: AllowanceCycle, state: str, to: str) -> None:
    if cycle.state != state:
        raise Conflict(
            f"cycle {cycle.cycle_id} is {cycle.state}; it must be {state} to {to}",
            state=cycle.state,
        )


def _next(cycle: AllowanceCycle, **changes: Any) -> AllowanceCycle:
    return replace(cycle, **changes, version=cycle.version + 1)
