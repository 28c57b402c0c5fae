"""Events the visits service publishes, all on one topic keyed by the elder's id.

Like intake's elder events, each event about a piece of work carries its whole state at its
`version` (the obligation, the pairing, the help request), plus what happened, so a consumer
can act on any one of them and ignore an older one.
"""

from typing import Any

from marshmallow import fields, validate

from shared.events.types import EventData, EventType, Topics
from shared.vocabulary import (
    CHECKED_FACTS,
    HELP_CHANNELS,
    HELP_STATUSES,
    OBLIGATION_KINDS,
    OBLIGATION_STATUSES,
    PARTNER_KINDS,
    SERVICE_TYPES,
    TRIGGERS,
    URGENCIES,
    VISIT_KINDS,
)


def _version() -> fields.Integer:
    return fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1),
        metadata={"description": "The record's version after this change; orders updates"},
    )


class ObligationSnapshot(EventData):
    obligation_id = fields.String(
        required=True, metadata={"description": "Derived from its cause, e.g. incident:<id>"}
    )
    version = _version()
    elder_id = fields.String(required=True)
    community = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(OBLIGATION_KINDS))
    trigger = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(TRIGGERS),
        metadata={"description": "Which of the eight must-visits, for kind mandatory"},
    )
    source = fields.String(
        required=True,
        metadata={"description": "What caused it: incident:<id>, campaign:<id>, home_care, ..."},
    )
    opens_at = fields.AwareDateTime(
        required=True, metadata={"description": "A visit from this instant on can meet it"}
    )
    due_at = fields.AwareDateTime(required=True)
    assignee = fields.String(load_default=None, allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(OBLIGATION_STATUSES))
    overdue = fields.Boolean(required=True)
    escalated_to = fields.String(load_default=None, allow_none=True)


class ObligationCreated(ObligationSnapshot):
    reported_by = fields.String(load_default=None, allow_none=True)
    note = fields.String(load_default=None, allow_none=True)


class ObligationMet(ObligationSnapshot):
    visit_id = fields.String(required=True)
    met_at = fields.AwareDateTime(required=True, metadata={"description": "When the visit was"})
    on_time = fields.Boolean(required=True)
    gift = fields.String(
        load_default=None, allow_none=True, metadata={"description": "Festival visits"}
    )


class ObligationOverdue(ObligationSnapshot):
    detected_at = fields.AwareDateTime(required=True)


class ObligationEscalated(ObligationSnapshot):
    escalated_at = fields.AwareDateTime(required=True)


class ObligationCancelled(ObligationSnapshot):
    reason = fields.String(
        required=True, metadata={"description": "e.g. deceased, moved_out, or a head's reason"}
    )


class ObligationReopened(ObligationSnapshot):
    reason = fields.String(
        required=True, metadata={"description": "Why, e.g. the death that closed it was revoked"}
    )
    previous_due_at = fields.AwareDateTime(
        required=True,
        metadata={"description": "The deadline before; a must-visit's moves on by the time closed"},
    )


class ObligationReassigned(ObligationSnapshot):
    previous_community = fields.String(required=True)
    previous_assignee = fields.String(load_default=None, allow_none=True)


class ServiceDelivered(EventData):
    delivery_id = fields.String(required=True)
    elder_id = fields.String(required=True)
    community = fields.String(required=True)
    service_type = fields.String(required=True, validate=validate.OneOf(SERVICE_TYPES))
    delivered_on = fields.Date(required=True)
    instances = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    provider = fields.String(required=True)
    visit_id = fields.String(load_default=None, allow_none=True)
    help_request_id = fields.String(load_default=None, allow_none=True)


class CorrectionData(EventData):
    fact = fields.String(required=True, validate=validate.OneOf(tuple(CHECKED_FACTS)))
    value = fields.String(required=True, metadata={"description": "yes/no for a yes-or-no fact"})


class DoorCheckData(EventData):
    corrections = fields.List(
        fields.Nested(CorrectionData),
        load_default=list,
        metadata={"description": "The facts found wrong, as they are; none: all correct"},
    )
    campaign_id = fields.String(
        load_default=None, allow_none=True, metadata={"description": "The round of checks"}
    )


class VisitRecorded(EventData):
    visit_id = fields.String(required=True)
    elder_id = fields.String(required=True)
    community = fields.String(required=True)
    visitor = fields.String(required=True)
    visited_at = fields.AwareDateTime(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(VISIT_KINDS))
    findings = fields.String(load_default="")
    new_triggers = fields.List(
        fields.String(validate=validate.OneOf(TRIGGERS)),
        load_default=list,
        metadata={"description": "Must-visit triggers found; each raises an obligation"},
    )
    follow_up = fields.String(load_default=None, allow_none=True)
    meets = fields.List(
        fields.String(), load_default=list, metadata={"description": "Obligations it meets"}
    )
    door_check = fields.Nested(
        DoorCheckData,
        load_default=None,
        allow_none=True,
        metadata={
            "description": "A door-to-door check (入户核对信息): intake corrects the record and "
            "notes when it was checked, and by whom"
        },
    )


class PairingSnapshot(EventData):
    pairing_id = fields.String(required=True)
    version = _version()
    elder_id = fields.String(required=True)
    community = fields.String(required=True)
    partner_id = fields.String(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "The volunteer's id or the user name; none for a partner who is "
            "neither (a neighbour, say), known by partner_name"
        },
    )
    partner_name = fields.String(required=True)
    partner_kind = fields.String(
        required=True,
        validate=validate.OneOf(PARTNER_KINDS),
        metadata={
            "description": "volunteer, cadre, property_staff, building_leader (楼道长), neighbour"
        },
    )
    visits_per_month = fields.Integer(required=True, strict=True)
    status = fields.String(required=True, validate=validate.OneOf(("active", "ended")))
    started_on = fields.Date(required=True)
    ended_on = fields.Date(load_default=None, allow_none=True)
    end_reason = fields.String(load_default=None, allow_none=True)


class PairingResumed(PairingSnapshot):
    reason = fields.String(required=True)


class HelpRequestSnapshot(EventData):
    request_id = fields.String(required=True)
    version = _version()
    elder_id = fields.String(required=True)
    community = fields.String(required=True)
    channel = fields.String(required=True, validate=validate.OneOf(HELP_CHANNELS))
    urgency = fields.String(required=True, validate=validate.OneOf(URGENCIES))
    status = fields.String(required=True, validate=validate.OneOf(HELP_STATUSES))
    reported_at = fields.AwareDateTime(required=True)
    respond_by = fields.AwareDateTime(required=True)
    responder = fields.String(load_default=None, allow_none=True)
    responded_at = fields.AwareDateTime(load_default=None, allow_none=True)
    resolution = fields.String(load_default=None, allow_none=True)
    resolved_at = fields.AwareDateTime(load_default=None, allow_none=True)


def _visits(name: str, schema: type[EventData], description: str, **versions: Any) -> EventType:
    return EventType(name, Topics.VISITS, schema, description, producer="visits", **versions)


def same_data(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 of the pairing events lets partner_id be null; version 1 data is valid as is."""
    return data


EVENTS = [
    _visits(
        "obligation.created",
        ObligationCreated,
        "A visit obligation was opened: a must-visit, a monthly, pairing or festival visit.",
    ),
    _visits("obligation.met", ObligationMet, "A visit record met an obligation."),
    _visits(
        "obligation.overdue", ObligationOverdue, "An open obligation passed its due time unmet."
    ),
    _visits(
        "obligation.escalated",
        ObligationEscalated,
        "An overdue obligation was escalated to the community head.",
    ),
    _visits(
        "obligation.cancelled",
        ObligationCancelled,
        "An open obligation was cancelled (the elder died or left, or a head cancelled it).",
    ),
    _visits(
        "obligation.reassigned",
        ObligationReassigned,
        "An open obligation passed to another visitor or community (e.g. the elder moved).",
    ),
    _visits(
        "obligation.reopened",
        ObligationReopened,
        "An obligation cancelled by a death reported in error is open again (keyed by elder id).",
    ),
    _visits("visit.recorded", VisitRecorded, "A visit to an elder was recorded."),
    _visits(
        "service.delivered", ServiceDelivered, "A service was delivered to an elder (counted)."
    ),
    _visits(
        "pairing.started",
        PairingSnapshot,
        "A partner (volunteer, cadre, property staff, building group leader or neighbour) was "
        "paired with an elder.",
        version=2,
        upcasters={1: same_data},
    ),
    _visits(
        "pairing.ended",
        PairingSnapshot,
        "A pairing ended; end_reason says why.",
        version=2,
        upcasters={1: same_data},
    ),
    _visits(
        "pairing.resumed",
        PairingResumed,
        "A pairing ended by a death reported in error is active again.",
    ),
    _visits(
        "help_request.received",
        HelpRequestSnapshot,
        "A call to the hotline or a love-umbrella sighting asks for help.",
    ),
    _visits(
        "help_request.responded",
        HelpRequestSnapshot,
        "Someone took charge of a help request.",
    ),
    _visits("help_request.resolved", HelpRequestSnapshot, "A help request was resolved."),
]
