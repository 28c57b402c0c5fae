"""Routine visits, generated month by month: every home-care household (居家养老户) is visited
once a month by its community's worker; every other key service target (重点服务对象) once in
each period of the district's frequency for its reasons (定期专访); and every paired elder as
often as the pairing says.

Home-care and key-target visits fall due by the district's due day (the 25th, when the monthly
report is due) of the period's last month. Each obligation's id is derived from the elder or
pairing and the period, so generating a month again creates nothing new.
"""

from datetime import date, datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

from services.visits.domain.calendar import end_of_day, start_of_day
from services.visits.domain.elder import Elder
from services.visits.domain.obligations import Obligation
from services.visits.domain.pairings import Pairing
from shared.months import add_months, days_in, first_day

HOME_CARE = "home_care"
KEY_TARGET = "key_target"


def due_by(month: str, due_day: int, zone: ZoneInfo) -> datetime:
    """The instant the district's due day of `month` ends."""
    return end_of_day(first_day(month).replace(day=due_day), zone)


def period_of(month: str, months: int) -> tuple[str, str]:
    """The first and last month of the period of `months` months that holds `month`; periods
    are counted from January, so quarters are January-March, April-June, ..."""
    number = first_day(month).month
    first = add_months(month, -((number - 1) % months))
    return first, add_months(first, months - 1)


def visit_windows(month: str, visits: int, zone: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """`visits` consecutive windows (opens, due) that together cover the month.

    The i-th visit is due when the i-th share of the month's days has passed; the last is due
    when the month ends, so one visit a month is due at the month's end.
    """
    first, days = first_day(month), days_in(month)
    bounds = [start_of_day(first, zone)]
    for i in range(1, visits + 1):
        day = first.toordinal() + -(-days * i // visits)  # ceiling of days * i / visits
        bounds.append(start_of_day(date.fromordinal(day), zone))
    return list(pairwise(bounds))


def home_care_visit(
    elder: Elder, month: str, due_day: int, zone: ZoneInfo, assignee: str | None, now: datetime
) -> Obligation:
    return Obligation(
        obligation_id=f"routine:{elder.elder_id}:{month}",
        elder_id=elder.elder_id,
        community=elder.community,
        kind="routine",
        source=HOME_CARE,
        opens_at=start_of_day(first_day(month), zone),
        due_at=due_by(month, due_day, zone),
        created_at=now,
        assignee=assignee,
    )


def key_target_visit(
    elder: Elder,
    month: str,
    months: int,
    due_day: int,
    zone: ZoneInfo,
    assignee: str | None,
    now: datetime,
) -> Obligation:
    """The one visit of the period (of `months` months) holding `month`, whatever the number
    of reasons that make the elder a key target."""
    first, last = period_of(month, months)
    return Obligation(
        obligation_id=f"key_target:{elder.elder_id}:{first}",
        elder_id=elder.elder_id,
        community=elder.community,
        kind="routine",
        source=KEY_TARGET,
        opens_at=start_of_day(first_day(first), zone),
        due_at=due_by(last, due_day, zone),
        created_at=now,
        assignee=assignee,
    )


def no_longer_owed(
    obligation: Obligation, elder: Elder, key_target_months: int | None
) -> str | None:
    """Why an open routine visit is no longer owed by the elder as now recorded (the reason it
    is cancelled with), or None if it still is."""
    if obligation.source == HOME_CARE and not elder.home_care:
        return "no_longer_home_care"
    if obligation.source == KEY_TARGET:
        if elder.home_care:
            return "home_care_visits"  # the monthly home-care visit is the key-target visit
        if key_target_months is None:
            return "no_longer_key_target"
    return None


def pairing_visits(
    pairing: Pairing,
    community: str,
    month: str,
    zone: ZoneInfo,
    assignee: str | None,
    now: datetime,
) -> list[Obligation]:
    return [
        Obligation(
            obligation_id=f"pairing:{pairing.pairing_id}:{month}:{number}",
            elder_id=pairing.elder_id,
            community=community,
            kind="pairing",
            source=f"pairing:{pairing.pairing_id}",
            opens_at=opens,
            due_at=due,
            created_at=now,
            assignee=assignee,
        )
        for number, (opens, due) in enumerate(
            visit_windows(month, pairing.visits_per_month, zone), start=1
        )
    ]
