"""Corrections made in a later cycle: back pay for months an elder was owed but not paid (e.g.
registered late), and adjustments an officer records with a reason. Each becomes a line item
of the next cycle of its programme; an approved cycle itself never changes.

A negative adjustment is money to recover from a living elder: it is deducted from what the
next cycles pay them, never taking a line below zero — a bank cannot pay a negative amount —
and what a line cannot take carries forward to the next."""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from services.allowances.domain.elder import Elder
from services.allowances.domain.money import check_fen, yuan
from services.allowances.domain.programmes import CycleRules
from services.allowances.domain.roll import ADJUSTMENT, BACK_PAY, LineItem, RollLine
from shared.errors import RuleViolation
from shared.months import check_month, month_of

PENDING, RECOVERING, APPLIED = "pending", "recovering", "applied"
RECEIVABLE = "receivable"  # what was left to deduct when payment stopped: now a receivable
OUTSTANDING = (PENDING, RECOVERING)  # still to be carried by a cycle, in whole or in part


def paid_months(lines: Collection[RollLine], programme: str) -> set[str]:
    """Months some line already paid the elder for, by its programme's rule or as back pay."""
    return {
        item.month
        for line in lines
        for item in line.items
        if item.amount_fen > 0 and (item.rule.startswith(f"{programme}.") or item.rule == BACK_PAY)
    }


def back_pay(
    elder: Elder,
    past: Mapping[str, CycleRules],
    paid: Collection[str],
    rolled: Mapping[str, str | None],
) -> list[LineItem]:
    """Items for every past cycle month the elder is eligible for by what is known now and
    was not paid; `past` maps each month that had a cycle to its rules, `rolled` the months
    the elder was on the roll to the reason they were excluded then."""
    items = []
    for month, rules in sorted(past.items()):
        if month in paid:
            continue
        assessment = rules.programme.assess(elder, month, rules.stops)
        if not assessment.eligible or assessment.item is None:
            continue
        why = (
            f"excluded from that roll then ({rolled[month]})"
            if month in rolled
            else "not on that roll (registered later)"
        )
        amount = assessment.item.amount_fen
        detail = f"back pay for {month}, band {assessment.band} at {yuan(amount)} yuan: {why}"
        items.append(LineItem(BACK_PAY, month, amount, detail))
    return items


@dataclass(frozen=True)
class Adjustment:
    adjustment_id: str
    programme: str
    elder_id: str
    month: str  # the month it corrects
    amount_fen: int  # positive: paid in addition; negative: recovered
    reason: str
    recorded_by: str
    recorded_at: datetime
    status: str = PENDING  # recovering while partly deducted; applied once wholly carried;
    # receivable if payment stopped with some still to deduct
    cycle_id: str | None = None  # the last cycle that carried it
    version: int = 1
    rule: str = ADJUSTMENT  # or back pay, or a refund, when a correction owes it
    deducted_fen: int = 0  # of a negative adjustment: recovered so far
    cycle_ids: tuple[str, ...] = ()  # every cycle that carried (part of) it

    @property
    def outstanding_fen(self) -> int:
        """Of a negative adjustment, what is still to be deducted (a positive number)."""
        return max(-self.amount_fen - self.deducted_fen, 0)

    def item(self) -> LineItem:
        detail = f"correction for {self.month}: {self.reason} (recorded by {self.recorded_by})"
        return LineItem(self.rule, self.month, self.amount_fen, detail, self.adjustment_id)

    def deduction(self, fen: int) -> LineItem:
        """`fen` of what is outstanding, taken from a line."""
        rest = self.outstanding_fen - fen
        detail = (
            f"deduction for {self.month}: {self.reason} (recorded by {self.recorded_by}); "
            f"{yuan(fen)} of {yuan(self.outstanding_fen)} yuan outstanding"
            + (f", {yuan(rest)} yuan carried forward" if rest else "")
        )
        return LineItem(ADJUSTMENT, self.month, -fen, detail, self.adjustment_id)

    def to_receivable(self) -> "Adjustment":
        """Payment stopped: what is left is collected as a receivable, not deducted."""
        return replace(self, status=RECEIVABLE, version=self.version + 1)

    def carried(self, cycle_id: str, fen: int) -> "Adjustment":
        """This adjustment once `cycle_id` carried `fen` of it (for a deduction, as a positive
        number)."""
        deducted = self.deducted_fen + fen if self.amount_fen < 0 else 0
        whole = self.amount_fen > 0 or deducted >= -self.amount_fen
        return replace(
            self,
            status=APPLIED if whole else RECOVERING,
            cycle_id=cycle_id,
            cycle_ids=(*self.cycle_ids, cycle_id),
            deducted_fen=deducted,
            version=self.version + 1,
        )


def stranded(adjustments: Iterable[Adjustment]) -> list[Adjustment]:
    """Deductions with something left to take, once the elder is paid no more."""
    return [
        a for a in adjustments if a.amount_fen < 0 and a.status in OUTSTANDING and a.outstanding_fen
    ]


def corrections(paid_fen: int, adjustments: Sequence[Adjustment]) -> list[LineItem]:
    """The items a line carries for the elder's outstanding adjustments, given `paid_fen` it
    pays before them: additions in full; then deductions, oldest first, each as much as the
    line still pays, so that it never goes below zero. What is not deducted carries forward."""
    adjustments = [a for a in adjustments if a.status in OUTSTANDING]
    additions = [a.item() for a in adjustments if a.amount_fen > 0]
    left = paid_fen + sum(item.amount_fen for item in additions)
    deductions = []
    for debt in sorted(
        (a for a in adjustments if a.amount_fen < 0), key=lambda a: (a.recorded_at, a.adjustment_id)
    ):
        take = min(debt.outstanding_fen, max(left, 0))
        if take > 0:
            deductions.append(debt.deduction(take))
            left -= take
    return additions + deductions


def record_adjustment(
    adjustment_id: str,
    programme: str,
    elder_id: str,
    month: str,
    amount_fen: int,
    reason: str,
    by: str,
    at: datetime,
    today: date,
) -> Adjustment:
    check_month(month)
    if check_fen(amount_fen, "amount_fen", allow_negative=True) == 0:
        raise RuleViolation("an adjustment of 0 fen changes nothing", field="amount_fen")
    if month > month_of(today):
        raise RuleViolation(f"{month} is a future month", field="month")
    if not reason.strip():
        raise RuleViolation("say why: every correction needs its reason", field="reason")
    return Adjustment(adjustment_id, programme, elder_id, month, amount_fen, reason.strip(), by, at)
