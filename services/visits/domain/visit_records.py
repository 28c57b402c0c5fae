"""A visit record: who visited whom, when, how, what they found and what they did.

Only a visit record meets an obligation. A finding of one of the eight must-visit triggers
(say, new hardship) raises a new obligation; services given during the visit are counted.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from services.visits.domain.services_delivered import check_service_type
from services.visits.domain.triggers import check_trigger
from shared.errors import RuleViolation
from shared.vocabulary import VISIT_KINDS

IN_PERSON = frozenset(VISIT_KINDS) - {"phone"}


@dataclass(frozen=True)
class ServiceGiven:
    service_type: str
    instances: int = 1
    note: str | None = None


@dataclass(frozen=True)
class VisitRecord:
    visit_id: str
    elder_id: str
    community: str
    visitor: str
    visited_at: datetime
    kind: str  # home, hospital, elsewhere, phone
    recorded_by: str
    recorded_at: datetime
    findings: str = ""
    new_triggers: tuple[str, ...] = ()
    services: tuple[ServiceGiven, ...] = ()
    follow_up: str | None = None  # what still needs doing, if anything
    gift: str | None = None  # given on a festival visit
    meets: tuple[str, ...] = ()  # obligations this visit is meant to meet

    @property
    def in_person(self) -> bool:
        return self.kind in IN_PERSON

    def same_facts(self, other: "VisitRecord") -> bool:
        """The same visit, whoever recorded it when: a retried request, not a new visit."""
        return replace(other, recorded_by=self.recorded_by, recorded_at=self.recorded_at) == self


def record_visit(
    visit_id: str,
    elder_id: str,
    community: str,
    visitor: str,
    visited_at: datetime,
    kind: str,
    recorded_by: str,
    now: datetime,
    findings: str = "",
    new_triggers: list[str] | tuple[str, ...] = (),
    services: list[ServiceGiven] | tuple[ServiceGiven, ...] = (),
    follow_up: str | None = None,
    gift: str | None = None,
    meets: list[str] | tuple[str, ...] = (),
) -> VisitRecord:
    if visited_at > now:
        raise RuleViolation(
            f"visited_at {visited_at.isoformat()} is in the future", field="visited_at"
        )
    if kind not in VISIT_KINDS:
        raise RuleViolation(
            f"unknown kind of visit {kind!r}; use one of {', '.join(VISIT_KINDS)}", field="kind"
        )
    if not visitor.strip():
        raise RuleViolation("say who visited", field="visitor")
    for trigger in new_triggers:
        check_trigger(trigger, field="new_triggers")
    for given in services:
        check_service_type(given.service_type)
        if given.instances < 1:
            raise RuleViolation("a service is given at least once", field="services")
    return VisitRecord(
        visit_id=visit_id,
        elder_id=elder_id,
        community=community,
        visitor=visitor.strip(),
        visited_at=visited_at.replace(microsecond=0),
        kind=kind,
        recorded_by=recorded_by,
        recorded_at=now,
        findings=findings.strip(),
        new_triggers=tuple(dict.fromkeys(new_triggers)),
        services=tuple(services),
        follow_up=(follow_up or "").strip() or None,
        gift=(gift or "").strip() or None,
        meets=tuple(dict.fromkeys(meets)),
    )
