"""Use case: record a visit, and what follows from it.

The visit is stored first, with its event; then each consequence is applied on its own,
idempotently: the services given (one delivery each, with an id derived from the visit), an
obligation for each must-visit trigger found, and the obligations it meets. If a request
fails part-way, sending it again with the same visit_id completes what is missing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from services.visits.domain import obligations as rules
from services.visits.domain.campaigns import DOOR_CHECK
from services.visits.domain.triggers import found_on_visit
from services.visits.domain.visit_records import VisitRecord, record_visit
from services.visits.service_layer.container import Visits
from services.visits.service_layer.elders import known_elder
from services.visits.service_layer.obligations import open_for_incident
from services.visits.service_layer.records import commit, record_event
from services.visits.service_layer.services import record_services
from shared.errors import Conflict


def of_round(visits: Visits, visit: VisitRecord) -> VisitRecord:
    """A door check names the round (campaign) whose obligation the visit meets, if any."""
    if visit.door_check is None:
        return visit
    for obligation_id in visit.meets:
        found = visits.obligations.get(obligation_id)
        if found is not None and found.kind == DOOR_CHECK:
            round_id = found.source.removeprefix("campaign:")
            return replace(visit, door_check=replace(visit.door_check, campaign_id=round_id))
    return visit


def record(visits: Visits, visit_id: str, elder_id: str, by: str, **facts: Any) -> VisitRecord:
    """Store the visit and apply its consequences; returns the visit as stored."""
    elder = known_elder(visits, elder_id)
    now = visits.clock.now()
    visit = record_visit(visit_id, elder_id, elder.community, recorded_by=by, now=now, **facts)
    visit = of_round(visits, visit)
    meetings = []  # decided before anything is stored, so a refusal leaves no trace
    for obligation_id in visit.meets:
        obligation = visits.obligations.require(obligation_id)
        if obligation.visit_id != visit.visit_id:  # not already met by this visit
            meetings.append((obligation, rules.meet(obligation, visit, now)))
    if not visits.visits.add(visit, record_event(visits, "visit.recorded", visit)):
        stored = visits.visits.require(visit.visit_id)
        if not stored.same_facts(visit):
            raise Conflict(f"visit_id {visit.visit_id} is already used by another visit")
        visit = stored
    day = visit.visited_at.astimezone(visits.settings.zone).date()
    record_services(
        visits, visit.visit_id, elder, visit.services, day, visit.visitor, by, visit.visit_id
    )
    if elder.status == "active":
        for trigger in visit.new_triggers:
            incident = found_on_visit(
                visit.visit_id, visit.elder_id, trigger, visit.visited_at, visit.visitor
            )
            open_for_incident(visits, incident, elder)
    # Last, as the one step that can meet a conflict (the obligation closed meanwhile).
    for obligation, change in meetings:
        commit(visits, visits.obligations, obligation, change)
    return visit
