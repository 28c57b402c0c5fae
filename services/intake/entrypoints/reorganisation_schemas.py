"""The HTTP contract of reorganising the district's communities: plans, previews, progress."""

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from services.intake.domain.reorganisation import KINDS, PLACE_KINDS, Plan
from services.intake.entrypoints.schemas import Versioned
from shared.web.pagination import PageArgs

CODE = validate.Length(min=1, max=40)


class PlanSchema(Schema):
    kind = fields.String(
        required=True,
        validate=validate.OneOf(KINDS),
        metadata={"description": "merge (撤并), split (拆分) or rename (更名)"},
    )
    sources = fields.List(
        fields.String(validate=CODE),
        required=True,
        validate=validate.Length(min=1, max=50),
        metadata={"description": "The communities reorganised (a split or rename: one)"},
    )
    target = fields.String(
        required=True,
        validate=CODE,
        metadata={
            "description": "merge: the community they become, new or one of them; split: the "
            "new community's code; rename: the community renamed"
        },
    )
    name = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "A new community's name, or the new name"},
    )
    place_kind = fields.String(
        load_default="community",
        validate=validate.OneOf(PLACE_KINDS),
        metadata={"description": "A new community's kind: community (社区) or village (村)"},
    )
    cells = fields.List(
        fields.String(),
        load_default=list,
        validate=validate.Length(max=500),
        metadata={
            "description": "split: the buildings, courtyards and resident groups that go (a "
            "group takes its buildings)"
        },
    )
    addresses = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)),
        load_default=list,
        validate=validate.Length(max=500),
        metadata={
            "description": "split: the addresses whose homes go (新华路12号 takes 新华路12号3-201, "
            "not 新华路120号)"
        },
    )
    worker = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "Who does the resulting community's visits, in visits"},
    )
    head = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "The resulting community's head, in visits"},
    )

    @post_load
    def make(self, data: dict[str, Any], **_: object) -> Plan:
        return Plan(
            **{
                **data,
                "sources": tuple(s.strip() for s in data["sources"]),
                "target": data["target"].strip(),
                "cells": tuple(data["cells"]),
                "addresses": tuple(a.strip() for a in data["addresses"]),
            }
        )


class MovedFromSchema(Schema):
    community = fields.String()
    elders = fields.Integer()


class FiguresSchema(Schema):
    elders = fields.List(
        fields.Nested(MovedFromSchema), metadata={"description": "Elders, by community left"}
    )
    elders_total = fields.Integer()
    households = fields.Integer()
    cells = fields.Integer(metadata={"description": "Buildings, courtyards and groups"})
    staff = fields.Integer(metadata={"description": "Staff accounts that change community"})


class StaffSchema(Schema):
    username = fields.String()
    roles = fields.List(fields.String())
    community = fields.String()
    becomes = fields.String(metadata={"description": "Their community after (the same: stays)"})


class ReorganisationSchema(Schema):
    reorganisation_id = fields.String()
    plan = fields.Nested(PlanSchema)
    status = fields.String(metadata={"description": "previewed, applying, applied, cancelled"})
    preview = fields.Nested(FiguresSchema, metadata={"description": "What it moves, as planned"})
    moved = fields.Nested(FiguresSchema, metadata={"description": "What it moved, once applied"})
    planned_by = fields.String()
    planned_at = fields.DateTime()
    applied_by = fields.String(allow_none=True)
    applying_since = fields.DateTime(allow_none=True)
    applied_at = fields.DateTime(allow_none=True)
    version = fields.Integer()


class PreviewSchema(ReorganisationSchema):
    staff = fields.List(
        fields.Nested(StaffSchema),
        metadata={"description": "The staff of every community it touches, before and after"},
    )


class ReorganisationListArgs(PageArgs):
    status = fields.String(
        validate=validate.OneOf(("previewed", "applying", "applied", "cancelled"))
    )


class ReorganisationVersioned(Versioned):
    version = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1),
        metadata={"description": "The reorganisation's version you saw; a stale one gets 409"},
    )


class MovingArgs(PageArgs):
    pass


class MovingSchema(Schema):
    elder_id = fields.String()
