"""The HTTP contract of visits: request and response bodies."""

from marshmallow import Schema, fields

from shared.web.pagination import PageArgs


class ElderSchema(Schema):
    elder_id = fields.String()
    name = fields.String()
    sex = fields.String()
    birth_date = fields.Date()
    community = fields.String()
    address = fields.String()
    phone = fields.String(allow_none=True)
    status = fields.String()
    version = fields.Integer()


class ElderListArgs(PageArgs):
    community = fields.String()
