"""Routine visits, generated month by month: every home-care household (居家养老户) is visited
once a month by its community's worker, and every paired elder as often as the pairing says.

Each obligation's id is derived from the elder or pairing and the month, so generating a
month again creates nothing new.
"""

from datetime import date, datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

from services.visits.domain.calendar import start_of_day
from services.visits.domain.elder import Elder
from services.visits.domain.obligations import Obligation
from services.visits.domain.pairings import Pairing
from shared.months import days_in, first_day, next_month


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
    elder: Elder, month: str, zone: ZoneInfo, assignee: str | None, now: datetime
) -> Obligation:
    opens = start_of_day(first_day(month), zone)
    return Obligation(
        obligation_id=f"routine:{elder.elder_id}:{month}",
        elder_id=elder.elder_id,
        community=elder.community,
        kind="routine",
        source="home_care",
        opens_at=opens,
        due_at=start_of_day(first_day(next_month(month)), zone),
        created_at=now,
        assignee=assignee,
    )


def pairing_visits(
    pairing: Pairing, community: str, month: str, zone: ZoneInfo, now: datetime
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
            assignee=pairing.partner_id,
        )
        for number, (opens, due) in enumerate(
            visit_windows(month, pairing.visits_per_month, zone), start=1
        )
    ]
