"""The HTTP contract of intake: request and response bodies."""

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates

from services.intake.domain.elder import Circumstances
from services.intake.domain.national_id import InvalidNationalId, parse_national_id
from shared.events.intake import HOUSEHOLD_TYPES, SEXES
from shared.web.pagination import PageArgs

PHONE = validate.Regexp(r"^\+?[0-9][0-9 -]{4,19}$", error="not a phone number")


class EmergencyContactSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    phone = fields.String(required=True, validate=PHONE)
    relation = fields.String(validate=validate.Length(max=50))


class CircumstancesSchema(Schema):
    household_type = fields.String(load_default="unknown", validate=validate.OneOf(HOUSEHOLD_TYPES))
    low_income = fields.Boolean(load_default=False, metadata={"description": "低保"})
    disabled = fields.Boolean(load_default=False)
    home_care = fields.Boolean(
        load_default=False, metadata={"description": "Enrolled home-care household (居家养老户)"}
    )
    retired_cadre_employer = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=200)
    )
    retired_cadre_employer_contact = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=200)
    )

    @post_load
    def make(self, data: dict, **_: object) -> Circumstances:
        return Circumstances(**data)


class RegistrationSchema(Schema):
    national_id = fields.String(required=True, metadata={"example": "11010519440307002X"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    sex = fields.String(required=True, validate=validate.OneOf(SEXES))
    birth_date = fields.Date(required=True)
    community = fields.String(required=True, validate=validate.Length(min=1, max=100))
    address = fields.String(required=True, validate=validate.Length(min=1, max=300))
    phone = fields.String(validate=PHONE)
    emergency_contact = fields.Nested(EmergencyContactSchema)
    circumstances = fields.Nested(CircumstancesSchema, load_default=Circumstances)

    @validates("national_id")
    def valid_id(self, value: str, **_: object) -> None:
        try:
            parse_national_id(value)
        except InvalidNationalId as error:
            raise ValidationError(str(error)) from error


class ElderSchema(Schema):
    elder_id = fields.String()
    national_id = fields.String()
    name = fields.String()
    sex = fields.String()
    birth_date = fields.Date()
    age = fields.Integer()
    community = fields.String()
    address = fields.String()
    phone = fields.String(allow_none=True)
    emergency_contact = fields.Nested(EmergencyContactSchema)
    circumstances = fields.Nested(CircumstancesSchema)
    key_target_reasons = fields.List(fields.String())
    status = fields.String()
    died_on = fields.Date(allow_none=True)
    moved_out_on = fields.Date(allow_none=True)
    version = fields.Integer()
    registered_at = fields.AwareDateTime()


class ElderListArgs(PageArgs):
    community = fields.String()
