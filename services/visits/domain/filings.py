"""The monthly cycles the district handed in (发放名册及月报表, due on the report day, the 25th
by default), as allowances announces them approved: the high-age allowance's and the home-care
vouchers', each with whether its report was submitted after the due day. Visits keeps them
for the yearly evaluation, which counts the reports filed on time, and for the home-care
report, which says when it is due.

The report day is allowances' to set (its programmes' configuration); visits learns it from
the cycles it hears of, each announced with the day it was due."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from shared.months import day_in_month

DEFAULT_REPORT_DAY = 25  # the field reports' day, until a cycle says otherwise


@dataclass(frozen=True)
class Filing:
    cycle_id: str  # <programme>:<month>
    programme: str
    month: str  # YYYY-MM
    late: bool  # submitted for approval after the report day
    approved_by: str
    due_on: date | None = None  # the day it was due; None from announcements before it was told


def report_day(filings: Iterable[Filing]) -> int:
    """The district's report day as the latest cycle announced it (a month's cycles are due
    on the same day)."""
    told = [f for f in filings if f.due_on is not None]
    latest = max(told, key=lambda f: (f.month, f.due_on), default=None)
    return DEFAULT_REPORT_DAY if latest is None or latest.due_on is None else latest.due_on.day


def due_on(month: str, filings: Iterable[Filing]) -> date:
    """When the month's reports are due: as its cycle was announced, else on the report day."""
    known = list(filings)
    told = [f.due_on for f in known if f.month == month and f.due_on is not None]
    return told[0] if told else day_in_month(month, report_day(known))
