"""The reports the office files, made from the service's own figures."""

from services.allowances.domain.cycle import OPENING, cycle_id_for
from services.allowances.domain.monthly_report import HighAgeMonthlyReport, monthly_report
from services.allowances.domain.programmes import HIGH_AGE
from services.allowances.service_layer.container import Allowances
from services.allowances.service_layer.cycles import order_of
from shared.errors import Conflict, NotFound
from shared.months import add_months


def high_age_monthly(allowances: Allowances, month: str) -> HighAgeMonthlyReport:
    """The month's high-age report (高龄津贴月报表), from the month's frozen roll, compared
    with the month before's, and its payment order (the exported one, else a preview)."""
    cycle = allowances.cycles.get(cycle_id_for(HIGH_AGE, month))
    if cycle is None:
        raise NotFound(
            f"No high-age cycle for {month}: the report is made from the month's roll; "
            "open the cycle first.",
            month=month,
        )
    if cycle.state == OPENING:
        raise Conflict(
            f"the roll of {month} is still being written; ask again when the cycle is open",
            state=cycle.state,
        )
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
