"""A visit record: who visited whom, when, how, what they found and what they did.

Only a visit record meets an obligation. A finding of one of the eight must-visit triggers
(say, new hardship) raises a new obligation; services given during the visit are counted.
"""

import re
from dataclasses import dataclass, replace
from datetime import datetime

from services.visits.domain.services_delivered import check_service_type
from services.visits.domain.triggers import check_trigger
from shared.errors import RuleViolation
from shared.personal import PHONE_PATTERN
from shared.vocabulary import (
    CADRE_RETIREMENTS,
    CHECKED_FACTS,
    MARITAL_STATUSES,
    SETTLEMENTS,
    VISIT_KINDS,
)

IN_PERSON = frozenset(VISIT_KINDS) - {"phone"}


@dataclass(frozen=True)
class ServiceGiven:
    service_type: str
    instances: int = 1
    note: str | None = None


@dataclass(frozen=True)
class Correction:
    """A fact of the elder's record found wrong at the door, and what it is."""

    fact: str  # CHECKED_FACTS
    value: str  # as written; yes/no for party membership and service


@dataclass(frozen=True)
class DoorCheck:
    """What a door-to-door check found: nothing wrong, or the facts that were."""

    corrections: tuple[Correction, ...] = ()
    campaign_id: str | None = None  # the round of checks whose visit this is

    def check(self) -> None:
        facts = [c.fact for c in self.corrections]
        for correction in self.corrections:
            _check_correction(correction)
        if len(set(facts)) != len(facts):
            raise RuleViolation("correct each fact once", field="door_check")


def _check_correction(correction: Correction) -> None:
    allowed = CORRECTABLE.get(correction.fact)
    if allowed is None:
        raise RuleViolation(
            f"a door check corrects {', '.join(CHECKED_FACTS)}; not {correction.fact!r}",
            field="door_check",
        )
    value = correction.value.strip()
    if not value or (allowed and value not in allowed):
        choices = f": one of {', '.join(allowed)}" if allowed else ""
        raise RuleViolation(f"give the {correction.fact} as it is{choices}", field="door_check")
    if correction.fact == "phone" and not re.fullmatch(PHONE_PATTERN, value):
        raise RuleViolation(f"{value!r} is not a phone number", field="door_check")


YES_NO = ("yes", "no")
# The values each fact takes (none listed: free text, e.g. an address)
CORRECTABLE: dict[str, tuple[str, ...]] = {
    "phone": (),
    "address": (),
    "marital_status": tuple(MARITAL_STATUSES),
    "party_member": YES_NO,
    "veteran": YES_NO,
    "cadre_retirement": tuple(CADRE_RETIREMENTS),
    "settlement": tuple(SETTLEMENTS),
}


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
    door_check: DoorCheck | None = None  # what a door-to-door check found

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
    door_check: DoorCheck | None = None,
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
    if door_check is not None:
        door_check.check()
        if kind not in IN_PERSON:
            raise RuleViolation("a door-to-door check is made in person", field="kind")
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
        door_check=door_check,
    )
