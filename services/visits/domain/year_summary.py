"""Visits' figures for the year's work summary (年度工作总结): the must-visits made, per trigger
(八个必访), and the services delivered, in person-times by type, per community and in all."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from services.visits.domain.obligations import Obligation
from services.visits.domain.services_delivered import Count
from shared.vocabulary import SERVICE_TYPES, TRIGGERS


@dataclass(frozen=True)
class VisitsYear:
    year: int
    must_visits_made: dict[str, int]  # by trigger, every one listed
    services: dict[str, int]  # person-times by type, every one listed

    @property
    def must_visits_total(self) -> int:
        return sum(self.must_visits_made.values())

    @property
    def services_total(self) -> int:
        return sum(self.services.values())


def visits_year(year: int, met: Iterable[Obligation], counts: Iterable[Count]) -> VisitsYear:
    """`met`: the must-visits met in the year; `counts`: the year's services delivered."""
    by_trigger = Counter(o.trigger for o in met if o.kind == "mandatory" and o.trigger)
    by_type = Counter[str]()
    for count in counts:
        by_type[count.service_type] += count.instances
    return VisitsYear(
        year,
        {trigger: by_trigger[trigger] for trigger in TRIGGERS},
        {kind: by_type[kind] for kind in SERVICE_TYPES},
    )
