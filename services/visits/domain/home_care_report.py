"""Visits' part of the monthly home-care report (居家养老月报表), per community and for the
district: the month's visits to home-care households (上门走访) and its must-visits (必访), each
as due in the month, made, and overdue (made after the deadline, or still not made once it
passed), and the services delivered, in person-times by type; and, as for the voucher half
allowances serves, the day it is due (the district's report day) and whether the month's
voucher cycle, with which the report is handed in, was handed in late or not yet."""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from services.visits.domain.obligations import Obligation
from services.visits.domain.routine import HOME_CARE
from services.visits.domain.services_delivered import Count
from shared.vocabulary import SERVICE_TYPES

DISTRICT = ""  # the figures' community for the district's own row
MANDATORY = "mandatory"


@dataclass(frozen=True)
class Work:
    due: int
    made: int
    overdue: int


@dataclass(frozen=True)
class VisitFigures:
    community: str  # DISTRICT for the district's row
    home_care_visits: Work
    must_visits: Work
    services: dict[str, int]  # person-times by service type, every type listed


@dataclass(frozen=True)
class Filed:
    """When the month's report is due, and whether it was handed in (approved) and late."""

    due_on: date
    handed_in: bool
    late: bool  # handed in after the day, or not handed in once it has passed


@dataclass(frozen=True)
class HomeCareVisitReport:
    month: str
    communities: tuple[VisitFigures, ...]
    district: VisitFigures
    filed: Filed | None = None

    def only(self, community: str) -> "HomeCareVisitReport":
        mine = tuple(row for row in self.communities if row.community == community)
        total = mine[0] if mine else _figures(community, [], [], datetime.min)
        return replace(self, communities=mine, district=replace(total, community=DISTRICT))


def home_care_visits(
    month: str, due: Iterable[Obligation], counts: Iterable[Count], now: datetime
) -> HomeCareVisitReport:
    """`due`: the obligations whose deadline falls in the month; `counts`: the month's services
    delivered, by community and type."""
    work, served = list(due), list(counts)
    names = sorted({o.community for o in work} | {c.community for c in served})
    communities = tuple(
        _figures(
            name,
            [o for o in work if o.community == name],
            [c for c in served if c.community == name],
            now,
        )
        for name in names
    )
    return HomeCareVisitReport(month, communities, _figures(DISTRICT, work, served, now))


def filed(due_on: date, filing_late: bool | None, today: date) -> Filed:
    """`filing_late`: the month's voucher cycle as approved (late or not), None if not yet."""
    if filing_late is None:
        return Filed(due_on, False, today > due_on)
    return Filed(due_on, True, filing_late)


def _figures(
    community: str, work: list[Obligation], served: list[Count], now: datetime
) -> VisitFigures:
    services = dict.fromkeys(SERVICE_TYPES, 0)
    for count in served:
        services[count.service_type] = services.get(count.service_type, 0) + count.instances
    return VisitFigures(
        community,
        _work([o for o in work if o.kind == "routine" and o.source == HOME_CARE], now),
        _work([o for o in work if o.kind == MANDATORY], now),
        services,
    )


def _work(found: list[Obligation], now: datetime) -> Work:
    made = [o for o in found if o.status == "met"]
    late = [
        o
        for o in found
        if (o.met_at is not None and o.met_at > o.due_at) or (o.status == "open" and o.due_at < now)
    ]
    return Work(len([o for o in found if o.status != "cancelled"]), len(made), len(late))
