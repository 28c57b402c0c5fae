"""The eight must-visits (八个必访): the life events that oblige a home visit, and how soon.

The district sets the deadline of each trigger in hours (see `config.VisitsConfig`); the
defaults are in `shared.vocabulary.TRIGGERS`. The deadline counts from when the event happened,
not from when it was reported: an elder in hospital has waited since admission, so a late
report can open an obligation that is already overdue, and the next overdue pass escalates it.
"""

from dataclasses import dataclass
from datetime import datetime

from shared.errors import RuleViolation
from shared.vocabulary import TRIGGERS

MAX_HOURS = 90 * 24


def check_trigger(name: str, field: str = "trigger") -> str:
    if name not in TRIGGERS:
        raise RuleViolation(
            f"unknown trigger {name!r}; the eight must-visits are: {', '.join(TRIGGERS)}",
            field=field,
        )
    return name


def check_hours(hours: int, field: str) -> int:
    if not 1 <= hours <= MAX_HOURS:
        raise RuleViolation(f"a deadline is 1 to {MAX_HOURS} hours", field=field)
    return hours


@dataclass(frozen=True)
class Incident:
    """A must-visit trigger that happened to an elder, from an event, a visit or staff.

    `obligation_id` is derived from the incident's stable identity, so the same incident
    reported twice opens one obligation.
    """

    obligation_id: str
    source: str
    elder_id: str
    trigger: str
    occurred_at: datetime
    reported_by: str
    reference: str | None = None
    note: str | None = None


def reported(
    incident_id: str,
    elder_id: str,
    trigger: str,
    occurred_at: datetime,
    reported_by: str,
    reference: str | None = None,
    note: str | None = None,
) -> Incident:
    """An incident with its own stable id, reported by intake or by staff."""
    return Incident(
        f"incident:{incident_id}",
        f"incident:{incident_id}",
        elder_id,
        check_trigger(trigger),
        occurred_at,
        reported_by,
        reference,
        note,
    )


def moved_house(event_id: str, elder_id: str, occurred_at: datetime, by: str) -> Incident:
    return Incident(
        f"moved:{event_id}", f"elder.moved:{event_id}", elder_id, "moving_house", occurred_at, by
    )


def found_on_visit(
    visit_id: str, elder_id: str, trigger: str, visited_at: datetime, visitor: str
) -> Incident:
    return Incident(
        f"finding:{visit_id}:{trigger}",
        f"visit:{visit_id}",
        elder_id,
        check_trigger(trigger),
        visited_at,
        visitor,
    )


@dataclass(frozen=True)
class WaitingIncident:
    """An incident about an elder visits does not know yet, kept until the elder's record
    arrives: then it opens its obligation (or is dismissed if the elder is no longer served, or
    refused with its reason if it breaks a rule: it must never hold up the elder's own events)."""

    obligation_id: str
    elder_id: str
    incident: Incident
    received_at: datetime
    status: str = "waiting"  # waiting -> opened | dismissed | refused
    version: int = 1
    reason: str | None = None  # why it was refused, or dismissed (the elder's status)
