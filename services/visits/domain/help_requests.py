"""Help requests: a call to the service hotline, or a love umbrella (爱心伞) hung out by an
elder in difficulty and seen by a patrol. Each must be answered within a deadline set by its
urgency; then someone takes charge of it and it is resolved.

States: open -> responding (a responder took charge) -> resolved.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from shared.changes import Change
from shared.errors import Conflict, RuleViolation
from shared.vocabulary import HELP_CHANNELS, URGENCIES


@dataclass(frozen=True)
class HelpRequest:
    request_id: str
    elder_id: str
    community: str
    channel: str  # hotline, love_umbrella
    urgency: str  # see shared.vocabulary.URGENCIES
    description: str
    reported_by: str
    reported_at: datetime
    respond_by: datetime
    status: str = "open"
    responder: str | None = None
    responded_at: datetime | None = None
    resolution: str | None = None
    resolved_by: str | None = None
    resolved_at: datetime | None = None
    version: int = 1

    def is_overdue(self, now: datetime) -> bool:
        """Nobody has taken charge and the response deadline has passed."""
        return self.status == "open" and now > self.respond_by

    @property
    def answered_in_time(self) -> bool | None:
        return None if self.responded_at is None else self.responded_at <= self.respond_by


@dataclass(frozen=True)
class WaitingCall:
    """A call about an elder visits does not know yet, kept until the elder's record arrives:
    then it becomes a help request (or is dismissed if the elder is no longer served, or refused
    with its reason if it breaks a rule: it must never hold up the elder's own events)."""

    request_id: str
    elder_id: str
    channel: str
    urgency: str
    description: str
    reported_by: str
    reported_at: datetime
    received_at: datetime
    status: str = "waiting"  # waiting -> received | dismissed | refused
    version: int = 1
    reason: str | None = None  # why it was refused


def receive(
    request_id: str,
    elder_id: str,
    community: str,
    channel: str,
    urgency: str,
    description: str,
    reported_by: str,
    reported_at: datetime,
    response_hours: int,
    now: datetime,
) -> Change[HelpRequest]:
    if channel not in HELP_CHANNELS:
        raise RuleViolation(f"unknown channel {channel!r}", field="channel")
    if urgency not in URGENCIES:
        raise RuleViolation(f"unknown urgency {urgency!r}", field="urgency")
    if reported_at > now:
        raise RuleViolation("reported_at is in the future", field="reported_at")
    if not description.strip():
        raise RuleViolation("describe what help is needed", field="description")
    request = HelpRequest(
        request_id,
        elder_id,
        community,
        channel,
        urgency,
        description.strip(),
        reported_by,
        reported_at,
        reported_at + timedelta(hours=response_hours),
    )
    return Change(request, (("help_request.received", {}),))


def respond(request: HelpRequest, responder: str, at: datetime) -> Change[HelpRequest]:
    """Someone takes charge; a later responder may take over until it is resolved."""
    _require_unresolved(request)
    if not responder.strip():
        raise RuleViolation("say who responds", field="responder")
    first_answer = request.responded_at or at
    taken = _next(request, status="responding", responder=responder, responded_at=first_answer)
    return Change(taken, (("help_request.responded", {}),))


def resolve(request: HelpRequest, resolution: str, by: str, at: datetime) -> Change[HelpRequest]:
    _require_unresolved(request)
    if not resolution.strip():
        raise RuleViolation("say how the request was resolved", field="resolution")
    resolved = _next(
        request,
        status="resolved",
        responder=request.responder or by,
        responded_at=request.responded_at or at,
        resolution=resolution.strip(),
        resolved_by=by,
        resolved_at=at,
    )
    return Change(resolved, (("help_request.resolved", {}),))


def _require_unresolved(request: HelpRequest) -> None:
    if request.status == "resolved":
        raise Conflict(f"help request {request.request_id} is already resolved")


def _next(request: HelpRequest, **changes: object) -> HelpRequest:
    return replace(request, **changes, version=request.version + 1)  # type: ignore[arg-type]
