"""Visits' figures for the year's work summary (年度工作总结): the must-visits made, per trigger
(八个必访), the services delivered, in person-times by type; and of learning and activities,
the teams by kind with their members (the volunteer teams among them), the person-times of
courses and of activities, and the hours of volunteer service (`activity_figures`)."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from services.visits.domain.obligations import Obligation
from services.visits.domain.services_delivered import Count
from shared.vocabulary import SERVICE_TYPES, TEAM_KINDS, TRIGGERS


@dataclass(frozen=True)
class VisitsYear:
    year: int
    community: str | None  # None: the district's
    must_visits_made: dict[str, int]  # by trigger, every one listed
    services: dict[str, int]  # person-times by type, every one listed
    teams: dict[str, dict[str, int]] = field(default_factory=dict)  # by kind: teams, members
    learning_person_times: int = 0  # at courses' and lectures' sessions
    activity_person_times: int = 0  # at activities, open events by head count
    volunteer_hours: float = 0.0

    @property
    def must_visits_total(self) -> int:
        return sum(self.must_visits_made.values())

    @property
    def services_total(self) -> int:
        return sum(self.services.values())


def visits_year(
    year: int,
    community: str | None,
    met: Iterable[Obligation],
    counts: Iterable[Count],
    activities: dict[str, Any] | None = None,
) -> VisitsYear:
    """`met`: the must-visits met in the year; `counts`: the year's services delivered;
    `activities`: the district's figures of learning and activities of the year."""
    by_trigger = Counter(o.trigger for o in met if o.kind == "mandatory" and o.trigger)
    by_type = Counter[str]()
    for count in counts:
        by_type[count.service_type] += count.instances
    made = {trigger: by_trigger[trigger] for trigger in TRIGGERS}
    services = {kind: by_type[kind] for kind in SERVICE_TYPES}
    if activities is None:
        return VisitsYear(year, community, made, services)
    none = {"teams": 0, "members": 0}
    by_kind = activities["teams"]["by_kind"]
    return VisitsYear(
        year,
        community,
        made,
        services,
        {kind: dict(by_kind.get(kind, none)) for kind in TEAM_KINDS},
        activities["courses"]["total"]["person_times"],
        activities["activities"]["total"]["person_times"],
        activities["volunteer_service"]["total"]["hours"],
    )
