"""Events other systems publish into the product, on the inbound topic.

Hospitals, the civil-affairs death registry, household registration, hotlines and employers of
retired cadres know an elder only by national ID number. Intake resolves the number to an
elder; an event for an unknown number is parked for staff to match, never dropped. Each event
carries the reporter's own `reference`: the same reference reported twice is one incident.
"""

from marshmallow import fields, validate

from shared.events.types import EventData, EventType, Topics
from shared.vocabulary import HELP_CHANNELS, URGENCIES


class InboundData(EventData):
    national_id = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^([0-9]{17}[0-9Xx]|[0-9]{15})$",
            error="not an ID number: 18 characters, or a legacy 15 digits",
        ),
        metadata={
            "description": "The elder's national ID number: 18 characters (intake checks its "
            "check character), or a legacy 15-digit number, which names the same elder"
        },
    )
    reference = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "The reporter's own id of this report; resending it is safe"},
    )
    occurred_at = fields.AwareDateTime(required=True)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class HospitalAdmitted(InboundData):
    hospital = fields.String(required=True, validate=validate.Length(min=1, max=200))
    ward = fields.String(load_default=None, allow_none=True)


class HospitalDischarged(InboundData):
    hospital = fields.String(required=True, validate=validate.Length(min=1, max=200))


class DeathRegistered(InboundData):
    died_on = fields.Date(required=True)


class ResidenceChanged(InboundData):
    moved_on = fields.Date(required=True)
    to_community = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "Community code within the district; null for a move out"},
    )
    address = fields.String(load_default=None, allow_none=True)
    destination = fields.String(load_default=None, allow_none=True)


class HotlineCalled(InboundData):
    urgency = fields.String(load_default="normal", validate=validate.OneOf(URGENCIES))
    channel = fields.String(
        load_default="hotline",
        validate=validate.OneOf(HELP_CHANNELS),
        metadata={"description": "hotline, or a love-umbrella (爱心伞) sighting"},
    )


# Inbound type -> the must-visit trigger it raises (八个必访)


def _inbound(name: str, schema: type[EventData], description: str) -> EventType:
    return EventType(name, Topics.INBOUND, schema, description, producer="other systems")


EVENTS = [
    _inbound("hospital.admitted", HospitalAdmitted, "A hospital admitted the elder."),
    _inbound("hospital.discharged", HospitalDischarged, "A hospital discharged the elder."),
    _inbound("death.registered", DeathRegistered, "The death registry recorded a death."),
    _inbound(
        "residence.changed",
        ResidenceChanged,
        "Household registration recorded a move, within the district or out of it.",
    ),
    _inbound("hardship.reported", InboundData, "The elder has fallen into hardship."),
    _inbound("family_accident.reported", InboundData, "The elder's family had an accident."),
    _inbound("family_conflict.reported", InboundData, "There is conflict in the family."),
    _inbound("neighbour_dispute.reported", InboundData, "There is a dispute with neighbours."),
    _inbound("worries.reported", InboundData, "The elder has worries to talk about."),
    _inbound(
        "employer_benefits.undelivered",
        InboundData,
        "A retired cadre's original employer is not delivering benefits.",
    ),
    _inbound("hotline.called", HotlineCalled, "A call to the service hotline, or a love umbrella."),
]
