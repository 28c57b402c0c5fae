"""Use cases of help requests: receive one from the hotline or a love-umbrella sighting, take
charge of it, resolve it (with the services given, counted like any other)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from services.visits.domain import help_requests as rules
from services.visits.domain.elder import Elder
from services.visits.domain.help_requests import HelpRequest, WaitingCall
from services.visits.domain.visit_records import ServiceGiven
from services.visits.service_layer.container import Visits
from services.visits.service_layer.elders import active_elder, known_elder
from services.visits.service_layer.records import commit, create
from services.visits.service_layer.services import record_services
from shared.clock import local_today
from shared.errors import DomainError

log = logging.getLogger(__name__)


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


def take_call(visits: Visits, call: WaitingCall) -> bool:
    """A call from an event (its id comes from the call, so the same call received twice is
    one request). Unknown elder: keep it until the elder's record arrives, as incidents are
    kept, because the elder's events come on another topic and may be read later."""
    if visits.help_requests.get(call.request_id) is not None:
        return False
    if visits.elders.get(call.elder_id) is not None:
        _receive(visits, call)
        return True
    parked = visits.waiting_calls.add(call)
    # Another consumer may have stored the elder (and received what waited) meanwhile: look again.
    elder = visits.elders.get(call.elder_id)
    return (receive_waiting(visits, elder) if elder else False) or parked


def receive_waiting(visits: Visits, elder: Elder) -> bool:
    """Receive (or dismiss, if the elder is not served) the calls kept for this elder."""
    changed = False
    for call in visits.waiting_calls.each({"elder_id": elder.elder_id, "status": "waiting"}):
        outcome, reason = _receive_kept(visits, call, served=elder.status == "active")
        closed = replace(call, status=outcome, reason=reason, version=call.version + 1)
        changed = visits.waiting_calls.save(call, closed) or changed
    return changed


def _receive_kept(visits: Visits, call: WaitingCall, served: bool) -> tuple[str, str | None]:
    """What became of a kept call. One that breaks a rule is refused with its reason, so that
    it never makes the elder's later events fail."""
    if not served:
        return "dismissed", None
    try:
        if visits.help_requests.get(call.request_id) is None:
            _receive(visits, call)
    except DomainError as refused:
        log.warning(
            "kept call refused", extra={"request_id": call.request_id, "reason": refused.detail}
        )
        return "refused", refused.detail
    return "received", None


def _receive(visits: Visits, call: WaitingCall) -> HelpRequest:
    return receive(
        visits,
        call.request_id,
        call.elder_id,
        call.channel,
        call.urgency,
        call.description,
        call.reported_by,
        call.reported_at,
    )


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
