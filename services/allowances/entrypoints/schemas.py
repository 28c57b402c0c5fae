"""The HTTP contract of allowances: request and response bodies."""

from marshmallow import Schema, fields

from shared.web.pagination import PageArgs


class HighAgeAllowanceSchema(Schema):
    eligible = fields.Boolean()
    band = fields.String(allow_none=True, metadata={"description": "80-89, 90-99 or 100+"})
    age = fields.Integer()
    as_of = fields.Date(metadata={"description": "The district's today"})


class ElderSchema(Schema):
    elder_id = fields.String()
    name = fields.String()
    birth_date = fields.Date()
    community = fields.String()
    status = fields.String()
    version = fields.Integer()
    high_age_allowance = fields.Nested(HighAgeAllowanceSchema)


class ElderListArgs(PageArgs):
    community = fields.String()
