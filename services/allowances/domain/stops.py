"""When payment stops: the elder died or left the district.

Districts pay either through the month of the death or move (`month_after`: payment stops
from the next month, the common rule) or not for that month at all (`event_month`).
"""

from dataclasses import dataclass
from datetime import date

from services.allowances.domain.elder import Absence, Elder
from shared.months import add_months, month_of

MONTH_AFTER = "month_after"
EVENT_MONTH = "event_month"
STOP_RULES = (MONTH_AFTER, EVENT_MONTH)
DECEASED = "deceased"
MOVED_OUT = "moved_out"
CAUSES = (DECEASED, MOVED_OUT)


@dataclass(frozen=True)
class Stop:
    cause: str  # deceased or moved_out
    on: date
    from_month: str  # the first month not payable

    def describe(self) -> str:
        what = "died" if self.cause == DECEASED else "moved out of the district"
        return f"{what} on {self.on}; payable through {add_months(self.from_month, -1)}"


def stop_of(elder: Elder, rule: str) -> Stop | None:
    """The elder's stop, the earliest if both a death and a move are recorded."""
    dated = ((elder.died_on, DECEASED), (elder.moved_out_on, MOVED_OUT))
    known = [(day, cause) for day, cause in dated if day is not None]
    if not known:
        return None
    on, cause = min(known)
    first_unpaid = add_months(month_of(on), 1) if rule == MONTH_AFTER else month_of(on)
    return Stop(cause, on, first_unpaid)


def closed_without_date(elder: Elder) -> str | None:
    """A record closed with no date to stop from (a merged duplicate, or a death not dated):
    never payable."""
    if elder.status == "merged":
        return "merged"
    if elder.status in CAUSES and stop_of(elder, MONTH_AFTER) is None:
        return elder.status
    return None


def away_in(elder: Elder, month: str, rule: str) -> Absence | None:
    """The time away from the district, if `month` fell in it: nothing is payable from the
    stop the move out made until the month of the return, which is paid again."""
    for absence in elder.absences:
        left = month_of(absence.moved_out_on)
        first_unpaid = add_months(left, 1) if rule == MONTH_AFTER else left
        if first_unpaid <= month < month_of(absence.returned_on):
            return absence
    return None
