"""Money paid for months after a stop (death, move out of the district), found when the stop
becomes known, and recovered as a negative item in the next cycle of the programme.

An overpayment is one per elder, cause and overpaid cycle, so it is found exactly once whether
the stop arrives before or after that cycle's roll was frozen."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from services.allowances.domain.money import yuan
from services.allowances.domain.programmes import RECOVERABLE
from services.allowances.domain.roll import RECOVERY, LineItem, RollLine
from services.allowances.domain.stops import Stop

OPEN, RECOVERING, RECOVERED = "open", "recovering", "recovered"


@dataclass(frozen=True)
class Overpayment:
    overpayment_id: str
    elder_id: str
    programme: str
    cause: str
    stop_on: date
    from_month: str  # the first month that was not payable
    cycle_id: str  # the cycle that paid too much
    month: str  # that cycle's month
    months: tuple[str, ...]  # the months paid that were not payable
    amount_fen: int
    detail: str
    detected_at: datetime
    status: str = OPEN  # then recovering (a cycle carries it), recovered (that cycle paid)
    recovery_cycle_id: str | None = None
    version: int = 1

    def recovery(self) -> LineItem:
        detail = (
            f"recovery of {yuan(self.amount_fen)} yuan paid by {self.cycle_id} for "
            f"{', '.join(self.months)}: {self.detail}"
        )
        return LineItem(RECOVERY, self.month, -self.amount_fen, detail, self.overpayment_id)


def overpayment_id(elder_id: str, cause: str, cycle_id: str) -> str:
    return f"{elder_id}:{cause}:{cycle_id}"


def overpayments(stop: Stop, lines: Iterable[RollLine], at: datetime) -> list[Overpayment]:
    """For each line of a recoverable programme, what it paid for months from the stop on."""
    found = []
    for line in lines:
        if line.programme not in RECOVERABLE:
            continue
        items = [i for i in line.items if i.amount_fen > 0 and i.month >= stop.from_month]
        if not items:
            continue
        found.append(
            Overpayment(
                overpayment_id(line.elder_id, stop.cause, line.cycle_id),
                line.elder_id,
                line.programme,
                stop.cause,
                stop.on,
                stop.from_month,
                line.cycle_id,
                line.month,
                tuple(sorted({i.month for i in items})),
                sum(i.amount_fen for i in items),
                stop.describe(),
                at,
            )
        )
    return found
