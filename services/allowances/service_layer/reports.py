"""The reports the office files, made from the service's own figures."""

from datetime import date

from services.allowances.domain.cycle import ISSUED, OPENING, AllowanceCycle, cycle_id_for
from services.allowances.domain.home_care_report import HomeCareVoucherReport, home_care_report
from services.allowances.domain.monthly_report import HighAgeMonthlyReport, monthly_report
from services.allowances.domain.programmes import HIGH_AGE, HOME_CARE_VOUCHER
from services.allowances.domain.roll import RollLine
from services.allowances.domain.vouchers import EXPIRED
from services.allowances.domain.year_summary import AllowancesYear, allowances_year
from services.allowances.service_layer.container import Allowances
from services.allowances.service_layer.cycles import order_of
from services.allowances.service_layer.vouchers import valid_months_of, voucher_of
from shared.clock import local_today
from shared.errors import Conflict, NotFound
from shared.months import add_months, check_year, first_day, last_day


def high_age_monthly(allowances: Allowances, month: str) -> HighAgeMonthlyReport:
    """The month's high-age report (高龄津贴月报表), from the month's frozen roll, compared
    with the month before's, and its payment order (the exported one, else a preview)."""
    cycle = _rolled(allowances, HIGH_AGE, month)
    before = allowances.cycles.get(cycle_id_for(HIGH_AGE, add_months(month, -1)))
    previous = None if before is None else allowances.lines.each_of_cycle(before.cycle_id)
    fixed = allowances.payment_orders.get(cycle.cycle_id)
    return monthly_report(
        cycle.cycle_id,
        month,
        cycle.state,
        cycle.due_on,
        cycle.submitted_on,
        cycle.late,
        allowances.lines.each_of_cycle(cycle.cycle_id),
        previous,
        fixed or order_of(allowances, cycle),
        fixed is not None,
    )


def home_care_vouchers(allowances: Allowances, month: str) -> HomeCareVoucherReport:
    """Allowances' part of the month's home-care report (居家养老月报表): the elders enrolled
    at the month's start and end, from the voucher rolls of the month before and this one,
    and the vouchers issued, redeemed and expired in the month."""
    cycle = _rolled(allowances, HOME_CARE_VOUCHER, month)
    before = allowances.cycles.get(cycle_id_for(HOME_CARE_VOUCHER, add_months(month, -1)))
    lines = list(allowances.lines.each_of_cycle(cycle.cycle_id))
    return home_care_report(
        month,
        cycle,
        cycle.state in ISSUED,
        lines,
        None if before is None else allowances.lines.each_of_cycle(before.cycle_id),
        _redeemed(allowances, month),
        _expired(allowances, month),
        local_today(allowances.clock, allowances.settings.zone),
    )


def _redeemed(allowances: Allowances, month: str) -> list[tuple[str, int]]:
    """(community, amount) of each voucher redeemed in the month."""
    days = {"$gte": first_day(month).isoformat(), "$lte": last_day(month).isoformat()}
    found = []
    for redemption in allowances.redemptions.each({"redeemed_on": days}):
        line = allowances.lines.get(redemption.voucher_id)
        found.append((line.community if line else "", redemption.amount_fen))
    return found


def _expired(allowances: Allowances, month: str) -> list[tuple[str, int]]:
    """(community, amount) of each voucher whose validity ended with the month unredeemed,
    from the issued cycle, up to two years back, whose validity ends with the month."""
    after = first_day(add_months(month, 1))
    found = []
    for back in range(24):
        cycle = allowances.cycles.get(cycle_id_for(HOME_CARE_VOUCHER, add_months(month, -back)))
        if cycle is None or cycle.state not in ISSUED:
            continue
        if add_months(cycle.month, valid_months_of(cycle) - 1) == month:
            found += _lapsed_with(allowances, cycle, after)
    return found


def _lapsed_with(
    allowances: Allowances, cycle: AllowanceCycle, after: date
) -> list[tuple[str, int]]:
    found = []
    for line in allowances.lines.each_of_cycle(cycle.cycle_id):
        if not line.eligible or line.amount_fen <= 0:
            continue
        voucher, valid_months, stop = voucher_of(allowances, line)
        if voucher.status(after, valid_months, stop) == EXPIRED:
            found.append((voucher.community, voucher.amount_fen))
    return found


def _rolled(allowances: Allowances, programme: str, month: str) -> AllowanceCycle:
    """The programme's cycle of the month, its roll frozen."""
    cycle = allowances.cycles.get(cycle_id_for(programme, month))
    if cycle is None:
        raise NotFound(
            f"No {programme} cycle for {month}: the report is made from the month's roll; "
            "open the cycle first.",
            month=month,
        )
    if cycle.state == OPENING:
        raise Conflict(
            f"the roll of {month} is still being written; ask again when the cycle is open",
            state=cycle.state,
        )
    return cycle


def year_summary(
    allowances: Allowances, written: str, community: str | None = None
) -> AllowancesYear:
    """Allowances' figures for the year's work summary, the district's or one community's
    (each roll line by the community it was paid in), as of the year's end (or today)."""
    today = local_today(allowances.clock, allowances.settings.zone)
    year = check_year(written, today)
    as_of = min(date(year, 12, 31), today)

    def lines(cycle_id: str) -> list[RollLine]:
        found = allowances.lines.each_of_cycle(cycle_id)
        return [line for line in found if community in (None, line.community)]

    rolls = {}
    for number in range(1, 13):
        cycle = allowances.cycles.get(cycle_id_for(HIGH_AGE, f"{year}-{number:02d}"))
        if cycle is not None and cycle.state != OPENING:
            rolls[cycle.month] = lines(cycle.cycle_id)
    before = next(
        allowances.cycles.each(
            {"programme": HIGH_AGE, "month": {"$lt": f"{year}-01"}}, [("month", -1)]
        ),
        None,
    )
    earlier = None if before is None else lines(before.cycle_id)
    born = {"birth_date": {"$lte": date(year - 90, 12, 31).isoformat()}}
    old = allowances.elders.each({**born, **({"community": community} if community else {})})
    return allowances_year(year, community, rolls, earlier, old, as_of)
