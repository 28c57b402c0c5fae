"""A cycle's roll: one line per elder the programme concerns, paid or excluded with the
reason, and every amount as line items naming the rule that produced it. Totals are sums of
the items, so they reconcile by construction, and `Totals.reconciles` proves it."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from services.allowances.domain.elder import Elder

# Rules that produce line items, besides the programmes' own (e.g. high_age.band.80-89)
BACK_PAY = "high_age.back_pay"
RECOVERY = "overpayment.recovery"
ADJUSTMENT = "adjustment.manual"
# why a statement shows no payment for a cycle whose rules would pay the elder now
NOT_ON_ROLL = "not_on_roll"


@dataclass(frozen=True)
class LineItem:
    rule: str
    month: str  # the month the amount is for
    amount_fen: int
    detail: str
    ref: str | None = None  # the overpayment or adjustment it settles


@dataclass(frozen=True)
class Assessment:
    """One elder against one programme for one month."""

    eligible: bool
    reason: str | None  # why not, as a code: under_age, deceased, moved_out, ...
    detail: str  # why, in words
    band: str | None = None
    item: LineItem | None = None

    @classmethod
    def paid(cls, item: LineItem, band: str | None = None) -> "Assessment":
        return cls(True, None, item.detail, band, item)

    @classmethod
    def excluded(cls, reason: str, detail: str) -> "Assessment":
        return cls(False, reason, detail)


@dataclass(frozen=True)
class Concerned:
    """The elders a programme's roll for a month must consider, besides those it already pays
    or owes: born on or before `born_by`, with the flags given (None: either way). No one else
    can be paid by it that month, so no one else gets a line."""

    born_by: date | None = None
    home_care: bool | None = None
    low_income: bool | None = None


@dataclass(frozen=True)
class RollLine:
    cycle_id: str
    programme: str
    month: str
    elder_id: str
    name: str
    community: str
    eligible: bool
    reason: str | None
    detail: str
    band: str | None
    items: tuple[LineItem, ...]
    # the home-care household (户) the elder lived in as the roll was frozen, for the voucher
    # reports' count of households; None where the programme is not the household's
    household_id: str | None = None
    # worked out when asked, from the cycle's frozen rules, for an elder the roll did not
    # concern: never stored
    computed: bool = False

    @property
    def line_id(self) -> str:
        return line_id(self.cycle_id, self.elder_id)

    @property
    def amount_fen(self) -> int:
        return sum(item.amount_fen for item in self.items)

    @property
    def refs(self) -> tuple[str, ...]:
        return tuple(item.ref for item in self.items if item.ref)


def line_id(cycle_id: str, elder_id: str) -> str:
    return f"{cycle_id}:{elder_id}"


def roll_line(
    cycle_id: str,
    programme: str,
    month: str,
    elder: Elder,
    assessment: Assessment,
    corrections: Sequence[LineItem] = (),
    household_id: str | None = None,
) -> RollLine:
    """The elder's line: this month's amount if eligible, then back pay and corrections."""
    items = ((assessment.item,) if assessment.item else ()) + tuple(corrections)
    return RollLine(
        cycle_id,
        programme,
        month,
        elder.elder_id,
        elder.name,
        elder.community,
        assessment.eligible,
        assessment.reason,
        assessment.detail,
        assessment.band,
        items,
        household_id,
    )


@dataclass(frozen=True)
class RuleTotal:
    rule: str
    items: int
    amount_fen: int


@dataclass(frozen=True)
class ReasonCount:
    reason: str
    lines: int


@dataclass(frozen=True)
class Totals:
    lines: int
    eligible: int
    excluded: tuple[ReasonCount, ...]
    by_rule: tuple[RuleTotal, ...]
    payees: int  # lines with a positive amount: paid out
    payable_fen: int
    debtors: int  # lines with a negative amount: to be recovered
    to_recover_fen: int
    net_fen: int

    @property
    def reconciles(self) -> bool:
        """The items by rule, the lines, and payments less recoveries all give one net."""
        by_rule = sum(r.amount_fen for r in self.by_rule)
        counted = self.eligible + sum(r.lines for r in self.excluded)
        return (
            by_rule == self.net_fen == self.payable_fen - self.to_recover_fen
            and counted == self.lines
        )


class Tally:
    """Totals of a roll, line by line, for rolls too large to hold at once."""

    def __init__(self) -> None:
        self.lines = self.eligible = self.payees = self.debtors = 0
        self.payable = self.to_recover = 0
        self.excluded: dict[str, int] = {}
        self.rules: dict[str, list[int]] = {}

    def add(self, line: RollLine) -> None:
        self.lines += 1
        if line.eligible:
            self.eligible += 1
        else:
            reason = line.reason or "unknown"
            self.excluded[reason] = self.excluded.get(reason, 0) + 1
        for item in line.items:
            total = self.rules.setdefault(item.rule, [0, 0])
            total[0] += 1
            total[1] += item.amount_fen
        amount = line.amount_fen
        if amount > 0:
            self.payees += 1
            self.payable += amount
        elif amount < 0:
            self.debtors += 1
            self.to_recover -= amount

    def totals(self) -> Totals:
        return Totals(
            self.lines,
            self.eligible,
            tuple(ReasonCount(r, n) for r, n in sorted(self.excluded.items())),
            tuple(RuleTotal(rule, n, fen) for rule, (n, fen) in sorted(self.rules.items())),
            self.payees,
            self.payable,
            self.debtors,
            self.to_recover,
            self.payable - self.to_recover,
        )


def totals_of(lines: Iterable[RollLine]) -> Totals:
    tally = Tally()
    for line in lines:
        tally.add(line)
    return tally.totals()
