"""The monthly high-age allowance report (高龄津贴月报表), due on the district's report day (the
25th unless configured otherwise), per community and for the district.

Its figures come from the month's frozen roll, so they are the cycle's own: those newly
eligible (paid this month, not paid by the month before's roll), the payees by band, the stops
and their causes (paid the month before, not this month), and the totals. The totals agree with
the cycle's payment order to the fen: what the roll owes is what the file pays plus what it
withholds (a payee account missing), and what is to be recovered is settled by hand.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from services.allowances.domain.high_age import BAND_NAMES
from services.allowances.domain.payment_orders import PaymentOrder
from services.allowances.domain.roll import RollLine

DISTRICT = ""  # the figures' community for the district's own row


@dataclass(frozen=True)
class BandFigures:
    band: str
    payees: int
    amount_fen: int


@dataclass(frozen=True)
class CommunityFigures:
    community: str  # DISTRICT for the district's row
    # None when there is no roll of the month before to compare with (the first cycle)
    newly_eligible: int | None
    bands: tuple[BandFigures, ...]
    stops: tuple[tuple[str, int], ...]  # (cause, elders), most first
    owed_fen: int  # what the roll pays: the positive lines
    to_recover_fen: int  # the negative lines, as a positive amount
    in_file_fen: int  # what the payment order pays
    withheld_fen: int  # what the payment order withholds (no payee account)

    @property
    def payees(self) -> int:
        return sum(band.payees for band in self.bands)

    @property
    def stopped(self) -> int:
        return sum(count for _, count in self.stops)


@dataclass(frozen=True)
class HighAgeMonthlyReport:
    cycle_id: str
    month: str
    state: str  # the cycle's
    due_on: date
    submitted_on: date | None
    late: bool
    order_fixed: bool  # the order is the exported one; else a preview with today's accounts
    communities: tuple[CommunityFigures, ...]
    district: CommunityFigures

    def only(self, community: str) -> "HighAgeMonthlyReport":
        """The report as one community's staff see it: their row, which is then the total."""
        mine = tuple(row for row in self.communities if row.community == community)
        total = replace(mine[0], community=DISTRICT) if mine else _empty()
        return replace(self, communities=mine, district=total)


def monthly_report(
    cycle_id: str,
    month: str,
    state: str,
    due_on: date,
    submitted_on: date | None,
    late: bool,
    lines: Iterable[RollLine],
    previous: Iterable[RollLine] | None,
    order: PaymentOrder,
    order_fixed: bool,
) -> HighAgeMonthlyReport:
    """The report of the month's roll `lines`, compared with the month before's roll
    (`previous`, None if there was none), and its payment `order`."""
    rows = list(lines)
    paid_before = None if previous is None else {ln.elder_id for ln in previous if _paid(ln)}
    names = sorted({line.community for line in rows})
    communities = tuple(
        _figures(name, [ln for ln in rows if ln.community == name], paid_before, order)
        for name in names
    )
    return HighAgeMonthlyReport(
        cycle_id,
        month,
        state,
        due_on,
        submitted_on,
        late,
        order_fixed,
        communities,
        _figures(DISTRICT, rows, paid_before, order),
    )


def _figures(
    community: str, rows: list[RollLine], paid_before: set[str] | None, order: PaymentOrder
) -> CommunityFigures:
    paid = [line for line in rows if _paid(line)]
    part = order if community == DISTRICT else order.of_community(community)
    stops = Counter(
        line.reason or "unknown"
        for line in rows
        if not line.eligible and paid_before is not None and line.elder_id in paid_before
    )
    return CommunityFigures(
        community,
        None if paid_before is None else sum(1 for ln in paid if ln.elder_id not in paid_before),
        tuple(_band(name, paid) for name in BAND_NAMES),
        tuple(sorted(stops.items(), key=lambda item: (-item[1], item[0]))),
        sum(line.amount_fen for line in rows if line.amount_fen > 0),
        -sum(line.amount_fen for line in rows if line.amount_fen < 0),
        part.total_fen,
        part.withheld_fen,
    )


def _empty() -> CommunityFigures:
    bands = tuple(BandFigures(name, 0, 0) for name in BAND_NAMES)
    return CommunityFigures(DISTRICT, 0, bands, (), 0, 0, 0, 0)


def _band(name: str, paid: list[RollLine]) -> BandFigures:
    members = [line for line in paid if line.band == name]
    return BandFigures(name, len(members), sum(line.amount_fen for line in members))


def _paid(line: RollLine) -> bool:
    """A payee of the month: eligible under the programme's rule (back pay and corrections
    change the amount, not who is a payee)."""
    return line.eligible
