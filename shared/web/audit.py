"""The audit trail over HTTP, the same in every service that keeps records' histories: every
change to one elder's records, or every change one user made, newest first."""

from collections.abc import Callable, Iterable
from typing import Any

from marshmallow import Schema, ValidationError, fields, validates_schema

from shared.records import Audited, audit_trail
from shared.web.access_log import logs_access
from shared.web.auth import requires
from shared.web.blueprint import Blueprint
from shared.web.pagination import PageArgs, page, page_schema, paged


class AuditArgs(PageArgs):
    elder_id = fields.String(metadata={"description": "Every change to this elder's records"})
    user = fields.String(metadata={"description": "Every change this user (or system) made"})

    @validates_schema
    def one_subject(self, data: dict[str, Any], **_: Any) -> None:
        if ("elder_id" in data) == ("user" in data):
            raise ValidationError("Give either elder_id or user.", "_schema")


class AuditLineSchema(Schema):
    kind = fields.String(metadata={"description": "The kind of record changed (its collection)"})
    record_id = fields.String(metadata={"description": "The id of the record changed"})
    elder_id = fields.String(
        allow_none=True, metadata={"description": "The elder the record is about, if any"}
    )
    at = fields.AwareDateTime(metadata={"description": "When the change was stored"})
    by = fields.String(
        metadata={"description": "Who made it: a user, an event's source, or system:<duty>"}
    )
    origin = fields.String(
        data_key="from",
        attribute="from",
        allow_none=True,
        metadata={"description": "From where: the client's address, kafka:<topic>, schedule"},
    )
    change = fields.String(metadata={"description": "What was done"})
    version = fields.Integer(metadata={"description": "The record's version after the change"})
    before = fields.Dict(metadata={"description": "Changed fields, as they were"})
    after = fields.Dict(metadata={"description": "Changed fields, as they became"})


def audit_blueprint(audited: Callable[[], Iterable[Audited]]) -> Blueprint:
    """`GET /audit` over the collections `audited()` names (read at each request)."""
    blueprint = Blueprint(
        "audit", __name__, description="The audit trail: who changed what, when, from where"
    )

    @blueprint.route("/audit")
    @requires()  # the district administrator only
    @logs_access("history")
    @blueprint.arguments(AuditArgs, location="query")
    @blueprint.response(200, page_schema(AuditLineSchema))
    def audit(args: dict[str, Any]) -> dict[str, Any]:
        """Every change to one elder's records, or made by one user, newest first"""
        lines = audit_trail(audited(), args.get("elder_id"), args.get("user"))
        skip, limit = paged(args)
        return page(args, lines[skip : skip + limit], len(lines))

    return blueprint
