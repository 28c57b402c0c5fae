"""The HTTP contract of intake: request and response bodies."""

from marshmallow import Schema, ValidationError, fields, validate, validates

from services.intake.domain.national_id import InvalidNationalId, parse_national_id
from shared.events.schemas import SEXES
from shared.web.pagination import PageArgs

PHONE = validate.Regexp(r"^\+?[0-9][0-9 -]{4,19}$", error="not a phone number")


class EmergencyContactSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    phone = fields.String(required=True, validate=PHONE)
    relation = fields.String(validate=validate.Length(max=50))


class RegistrationSchema(Schema):
    national_id = fields.String(required=True, metadata={"example": "11010519440307002X"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    sex = fields.String(required=True, validate=validate.OneOf(SEXES))
    birth_date = fields.Date(required=True)
    community = fields.String(required=True, validate=validate.Length(min=1, max=100))
    address = fields.String(required=True, validate=validate.Length(min=1, max=300))
    phone = fields.String(validate=PHONE)
    emergency_contact = fields.Nested(EmergencyContactSchema)

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
    status = fields.String()
    version = fields.Integer()
    registered_at = fields.AwareDateTime()


class ElderListArgs(PageArgs):
    community = fields.String()
