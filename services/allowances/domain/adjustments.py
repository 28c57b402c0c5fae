"""Corrections made in a later cycle: back pay for months an elder was owed but not paid (e.g.
registered late), and adjustments an officer records with a reason. Each becomes a line item
of the next cycle of its programme; an approved cycle itself never changes."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from services.allowances.domain.elder import Elder
from services.allowances.domain.money import check_fen, yuan
from services.allowances.domain.programmes import CycleRules
from services.allowances.domain.roll import ADJUSTMENT, BACK_PAY, LineItem, RollLine
from shared.errors import RuleViolation
from shared.months import check_month, month_of

PENDING, APPLIED = "pending", "applied"


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
    status: str = PENDING  # applied once a cycle's roll carries it
    cycle_id: str | None = None
    version: int = 1
    rule: str = ADJUSTMENT  # or back pay, or a refund, when a correction owes it

    def item(self) -> LineItem:
        detail = f"correction for {self.month}: {self.reason} (recorded by {self.recorded_by})"
        return LineItem(self.rule, self.month, self.amount_fen, detail, self.adjustment_id)


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
