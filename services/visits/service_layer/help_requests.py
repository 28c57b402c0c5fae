"""Use cases of help requests: receive one from the hotline or a love-umbrella sighting, take
charge of it, resolve it (with the services given, counted like any other)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from services.visits.domain import help_requests as rules
from services.visits.domain.help_requests import HelpRequest
from services.visits.domain.visit_records import ServiceGiven
from services.visits.service_layer.elders import active_elder, known_elder
from services.visits.service_layer.records import commit, create
from services.visits.service_layer.services import record_services
from shared.clock import local_today

if TYPE_CHECKING:
    from services.visits.bootstrap import Visits


def receive(
    visits: Visits,
    request_id: str,
    elder_id: str,
    channel: str,
    urgency: str,
    description: str,
    by: str,
    reported_at: datetime | None = None,
) -> HelpRequest:
    elder = active_elder(visits, elder_id)
    now = visits.clock.now()
    hours = visits.config.get().response_deadline_hours(urgency)
    change = rules.receive(
        request_id,
        elder.elder_id,
        elder.community,
        channel,
        urgency,
        description,
        by,
        reported_at or now,
        hours,
        now,
    )
    create(visits, visits.help_requests, change)
    return change.after


def respond(visits: Visits, request_id: str, responder: str) -> HelpRequest:
    request = visits.help_requests.require(request_id)
    change = rules.respond(request, responder, visits.clock.now())
    return commit(visits, visits.help_requests, request, change)


def resolve(
    visits: Visits, request_id: str, resolution: str, by: str, services: list[ServiceGiven]
) -> HelpRequest:
    request = visits.help_requests.require(request_id)
    resolved = commit(
        visits,
        visits.help_requests,
        request,
        rules.resolve(request, resolution, by, visits.clock.now()),
    )
    if services:
        elder = known_elder(visits, request.elder_id)
        today = local_today(visits.clock, visits.settings.zone)
        record_services(
            visits,
            f"help:{request_id}",
            elder,
            services,
            today,
            resolved.responder or by,
            by,
            help_request_id=request_id,
        )
    return resolved
