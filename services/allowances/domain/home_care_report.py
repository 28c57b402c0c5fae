"""Allowances' part of the monthly home-care report (居家养老月报表): the home-care elders and
their service vouchers (居家养老服务券), per community and for the district.

The month's voucher roll lists every elder of an enrolled home-care household: who is on it is
who was enrolled that month, so the roll of the month before gives the month's start, this
month's its end, and the difference those who joined and left. Vouchers issued are the paid
lines of an issued (approved) cycle; redeemed, those a provider redeemed in the month; expired,
those whose validity ended with the month unredeemed (void ones, of an elder who died or left,
are not counted as expired).

Households (户) beside persons: each line names the home-care household its elder lived in as
the roll was frozen; a line that names none (a roll frozen before households were kept, or an
elder enrolled while in no household) counts as a household of its own.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from services.allowances.domain.cycle import AllowanceCycle
from services.allowances.domain.monthly_report import DISTRICT
from services.allowances.domain.roll import RollLine


@dataclass(frozen=True)
class Vouchers:
    count: int
    amount_fen: int


@dataclass(frozen=True)
class HomeCareFigures:
    community: str  # DISTRICT for the district's row
    households_start: int | None  # None: no voucher roll of the month before
    households_end: int
    households_new: int | None
    households_ended: int | None
    enrolled_start: int | None  # persons, as the households above
    enrolled_end: int
    joined: int | None
    left: int | None
    issued: Vouchers
    redeemed: Vouchers
    expired: Vouchers


@dataclass(frozen=True)
class HomeCareVoucherReport:
    month: str
    cycle_id: str
    cycle_state: str
    vouchers_issued: bool  # the month's cycle is approved: its vouchers are out
    due_on: date  # the report is due with the month's voucher cycle, and late as it is
    submitted_on: date | None
    late: bool
    communities: tuple[HomeCareFigures, ...]
    district: HomeCareFigures

    def only(self, community: str) -> "HomeCareVoucherReport":
        """The report as one community's staff see it: their row, which is then the total."""
        mine = tuple(row for row in self.communities if row.community == community)
        start: list[RollLine] | None = None if self.district.enrolled_start is None else []
        total = mine[0] if mine else _figures(community, [], start, False, [], [])
        return replace(self, communities=mine, district=replace(total, community=DISTRICT))


def home_care_report(
    month: str,
    cycle: AllowanceCycle,
    issued: bool,
    lines: Iterable[RollLine],
    before: Iterable[RollLine] | None,
    redeemed: Iterable[tuple[str, int]],
    expired: Iterable[tuple[str, int]],
    today: date,
) -> HomeCareVoucherReport:
    """`redeemed` and `expired`: (community, amount in fen) of each voucher."""
    rows = [line for line in lines if line.eligible]
    start = None if before is None else [line for line in before if line.eligible]
    used, lapsed = list(redeemed), list(expired)
    names = sorted({ln.community for ln in rows} | {ln.community for ln in start or []})
    names = sorted({*names, *(c for c, _ in used), *(c for c, _ in lapsed)})
    communities = tuple(
        _figures(
            name,
            [ln for ln in rows if ln.community == name],
            None if start is None else [ln for ln in start if ln.community == name],
            issued,
            [v for v in used if v[0] == name],
            [v for v in lapsed if v[0] == name],
        )
        for name in names
    )
    district = _figures(DISTRICT, rows, start, issued, used, lapsed)
    return HomeCareVoucherReport(
        month,
        cycle.cycle_id,
        cycle.state,
        issued,
        cycle.due_on,
        cycle.submitted_on,
        cycle.late or cycle.overdue(today),
        communities,
        district,
    )


def _figures(
    community: str,
    rows: list[RollLine],
    start: list[RollLine] | None,
    issued: bool,
    used: list[tuple[str, int]],
    lapsed: list[tuple[str, int]],
) -> HomeCareFigures:
    end_ids = {line.elder_id for line in rows}
    start_ids = None if start is None else {line.elder_id for line in start}
    homes = {_household(line) for line in rows}
    homes_before = None if start is None else {_household(line) for line in start}
    paid = [line.amount_fen for line in rows if line.amount_fen > 0] if issued else []
    return HomeCareFigures(
        community,
        None if homes_before is None else len(homes_before),
        len(homes),
        None if homes_before is None else len(homes - homes_before),
        None if homes_before is None else len(homes_before - homes),
        None if start_ids is None else len(start_ids),
        len(end_ids),
        None if start_ids is None else len(end_ids - start_ids),
        None if start_ids is None else len(start_ids - end_ids),
        Vouchers(len(paid), sum(paid)),
        _vouchers(used),
        _vouchers(lapsed),
    )


def _household(line: RollLine) -> str:
    return line.household_id or f"elder:{line.elder_id}"


def _vouchers(found: list[tuple[str, int]]) -> Vouchers:
    return Vouchers(len(found), sum(amount for _, amount in found))
