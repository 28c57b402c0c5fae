"""The yearly elder-work budget (老龄工作经费列入年初预算), the district's own and each
community's: what is planned on each spending line (equipment, periodicals, activity funds…),
the partner units (共建单位) that give money or a venue, and what was spent, line by line, so
that the year's funds, spending and what is left are read from the records. Amounts are whole
fen. A line may be overspent (the office then explains it); it is shown as such, not refused.
"""

from dataclasses import dataclass, replace
from datetime import date

from shared.changes import Change
from shared.errors import Conflict, RuleViolation, check_one_of
from shared.vocabulary import BUDGET_LINES, PARTNER_GIFTS

DISTRICT_BUDGET = "district"  # the owner of the district's own budget
MONEY, VENUE = "money", "venue"


@dataclass(frozen=True)
class BudgetLine:
    line: str  # BUDGET_LINES
    planned_fen: int


@dataclass(frozen=True)
class PartnerUnit:
    name: str
    gives: str  # PARTNER_GIFTS
    amount_fen: int = 0  # money given for the year
    venue: str = ""  # the venue lent, e.g. 会议室, 操场


@dataclass(frozen=True)
class Spending:
    spending_id: str  # from the client: spending sent twice is one
    line: str
    amount_fen: int
    spent_on: date
    what: str
    recorded_by: str


@dataclass(frozen=True)
class Budget:
    budget_id: str  # <owner>:<year>
    owner: str  # a community's code, or DISTRICT_BUDGET
    year: int
    lines: tuple[BudgetLine, ...]
    partners: tuple[PartnerUnit, ...]
    set_by: str
    spending: tuple[Spending, ...] = ()
    version: int = 1

    @property
    def planned_fen(self) -> int:
        return sum(line.planned_fen for line in self.lines)

    @property
    def partner_money_fen(self) -> int:
        return sum(p.amount_fen for p in self.partners)

    @property
    def spent_fen(self) -> int:
        return sum(s.amount_fen for s in self.spending)

    def spent_on_line(self, line: str) -> int:
        return sum(s.amount_fen for s in self.spending if s.line == line)

    @property
    def left_fen(self) -> int:
        """The year's funds (the budget and the partners' money) not yet spent."""
        return self.planned_fen + self.partner_money_fen - self.spent_fen


def budget_id(owner: str, year: int) -> str:
    return f"{owner}:{year}"


def set_budget(
    owner: str,
    year: int,
    lines: list[BudgetLine],
    partners: list[PartnerUnit],
    by: str,
    before: Budget | None,
) -> Change[Budget]:
    """The budget as set now: a new one, or `before` with new lines and partners, its spending
    kept (so a line spent on stays)."""
    seen: set[str] = set()
    for line in lines:
        check_one_of(line.line, BUDGET_LINES, "lines", what="line")
        if line.line in seen:
            raise RuleViolation(f"{line.line} is budgeted twice", field="lines")
        seen.add(line.line)
        if line.planned_fen < 0:
            raise RuleViolation(f"{line.line}: an amount is not negative", field="lines")
    for partner in partners:
        _check_partner(partner)
    spent_lines = {s.line for s in before.spending} if before else set()
    if spent_lines - seen:
        dropped = ", ".join(sorted(spent_lines - seen))
        raise RuleViolation(f"money was spent on {dropped}: keep the line", field="lines")
    budget = Budget(
        budget_id(owner, year),
        owner,
        year,
        tuple(lines),
        tuple(partners),
        by,
        before.spending if before else (),
        before.version + 1 if before else 1,
    )
    return Change(budget, summary=f"budget of {year}: {budget.planned_fen} fen planned")


def _check_partner(partner: PartnerUnit) -> None:
    if not partner.name.strip():
        raise RuleViolation("name each partner unit", field="partners")
    if partner.gives not in PARTNER_GIFTS:
        raise RuleViolation(
            f"a partner gives one of {', '.join(PARTNER_GIFTS)}, not {partner.gives!r}",
            field="partners",
        )
    if partner.gives == MONEY and partner.amount_fen <= 0:
        raise RuleViolation(f"{partner.name}: say how much money it gives", field="partners")
    if partner.gives == VENUE and not partner.venue.strip():
        raise RuleViolation(f"{partner.name}: name the venue it lends", field="partners")
    if partner.amount_fen < 0:
        raise RuleViolation(f"{partner.name}: an amount is not negative", field="partners")


def spend(budget: Budget, spending: Spending, today: date) -> Change[Budget] | None:
    """The spending added to its line; None if it was added before (the same id)."""
    if any(s.spending_id == spending.spending_id for s in budget.spending):
        return None
    if spending.line not in {line.line for line in budget.lines}:
        raise RuleViolation(f"{spending.line} is not a line of this budget", field="line")
    if spending.amount_fen <= 0:
        raise RuleViolation("an amount is a positive number of fen", field="amount_fen")
    if spending.spent_on.year != budget.year:
        raise RuleViolation(f"spent_on is not in {budget.year}", field="spent_on")
    if spending.spent_on > today:
        raise RuleViolation("spent_on is in the future", field="spent_on")
    if not spending.what.strip():
        raise RuleViolation("say what it was spent on", field="what")
    after = replace(budget, spending=(*budget.spending, spending), version=budget.version + 1)
    return Change(after, summary=f"{spending.amount_fen} fen spent on {spending.line}")


def at_version(budget: Budget | None, version: int) -> Budget | None:
    """`budget` as the caller read it, or Conflict if it changed since."""
    current = budget.version if budget else 0
    if current != version:
        raise Conflict(f"the budget was changed meanwhile (version {current}); read it again")
    return budget
