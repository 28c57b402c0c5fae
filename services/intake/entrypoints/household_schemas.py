"""The HTTP contract of households (户): bodies, answers and list filters."""

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from services.intake.domain.household import DEPARTURES, Resident
from services.intake.entrypoints.schemas import GroupingSchema, Versioned
from shared.vocabulary import HOUSEHOLD_TYPE_SOURCES, HOUSEHOLD_TYPES, RELATIONS
from shared.web.pagination import PageArgs

TYPES = validate.OneOf(HOUSEHOLD_TYPES)


class ResidentSchema(Schema):
    """A member who is not in the register (a child, a younger spouse, a grandchild)."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    relation = fields.String(
        required=True,
        validate=validate.OneOf(RELATIONS),
        metadata={"description": ", ".join(f"{k} ({v})" for k, v in RELATIONS.items())},
    )
    birth_year = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1880, max=2100),
        metadata={"description": "Decides whether every member is 60 or over (空巢)"},
    )

    @post_load
    def make(self, data: dict[str, Any], **_: object) -> Resident:
        return Resident(**data)


class SetByHandSchema(Schema):
    household_type = fields.String()
    reason = fields.String()
    set_by = fields.String()
    set_at = fields.AwareDateTime()


class HomeCareSchema(Schema):
    since = fields.Date()
    by = fields.String()


class DepartureSchema(Schema):
    elder_id = fields.String()
    reason = fields.String(metadata={"description": ", ".join(DEPARTURES)})
    on = fields.Date()


class MemberSchema(Schema):
    """An elder of the register living in the household, as its page lists them."""

    elder_id = fields.String()
    name = fields.String()
    sex = fields.String()
    age = fields.Integer()
    marital_status = fields.String()
    key_target_reasons = fields.List(fields.String())


class HouseholdSchema(Schema):
    household_id = fields.String()
    version = fields.Integer()
    community = fields.String()
    address = fields.String()
    household_number = fields.String(allow_none=True, metadata={"description": "户号"})
    household_type = fields.String(metadata={"description": "空巢, 独居, 孤寡, 与家人同住"})
    type_source = fields.String(
        metadata={"description": ", ".join(f"{k} ({v})" for k, v in HOUSEHOLD_TYPE_SOURCES.items())}
    )
    set_by_hand = fields.Nested(SetByHandSchema, allow_none=True)
    members = fields.List(fields.String(), metadata={"description": "Elder ids living here"})
    residents = fields.List(fields.Nested(ResidentSchema))
    persons = fields.Integer(metadata={"description": "Everyone living here"})
    departures = fields.List(fields.Nested(DepartureSchema))
    status = fields.String(metadata={"description": "active, or closed once no elder lives here"})
    formed_at = fields.AwareDateTime()
    cell_id = fields.String(
        allow_none=True, metadata={"description": "The building or courtyard it is in"}
    )
    home_care = fields.Nested(
        HomeCareSchema,
        allow_none=True,
        metadata={"description": "Its enrolment as a home-care household (居家养老户), if any"},
    )


class HouseholdWithEldersSchema(HouseholdSchema):
    """A household with its elders, for its page."""

    elders = fields.List(fields.Nested(MemberSchema))


class HouseholdListArgs(PageArgs):
    community = fields.String()
    household_type = fields.String(validate=TYPES)
    type_source = fields.String(validate=validate.OneOf(HOUSEHOLD_TYPE_SOURCES))
    home_care = fields.Boolean(metadata={"description": "Home-care households only, or none"})
    cell_id = fields.String(metadata={"description": "Those in this building or courtyard"})


class HomeCareEnrolmentSchema(Versioned):
    since = fields.Date(
        load_default=None, metadata={"description": "Enrolled from (default: today)"}
    )


class HomeCareEndSchema(Versioned):
    on = fields.Date(load_default=None, metadata={"description": "Ended on (default: today)"})


class TypeByHandSchema(Versioned):
    household_type = fields.String(
        required=True,
        validate=validate.OneOf([t for t in HOUSEHOLD_TYPES if t != "unknown"]),
    )
    reason = fields.String(
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "Why the rules' type does not hold for this household"},
    )


class ResidentsSchema(Versioned):
    residents = fields.List(fields.Nested(ResidentSchema), required=True)


class PlacementSchema(Versioned):
    cell_id = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The building or courtyard of the grid; null: placed in none"},
    )


class MemberJoinSchema(Schema):
    elder_id = fields.String(required=True)


class OwnHouseholdSchema(Schema):
    elder_id = fields.String(
        required=True, metadata={"description": "The elder who lives in a household of their own"}
    )


class HousingRunSchema(GroupingSchema):
    """What placing every elder not yet in a household did."""
