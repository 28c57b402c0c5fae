"""Supervision over HTTP: the district's inspections of a community, the corrections they
require, and each put right by the community."""

import uuid
from datetime import date
from typing import Any

from marshmallow import Schema, fields, validate

from services.visits.domain.inspections import Inspection
from services.visits.entrypoints.api import HEADS, READERS, me, visible
from services.visits.entrypoints.api import visits_app as app
from services.visits.service_layer import inspections
from shared.web.auth import requires, scoped
from shared.web.blueprint import Blueprint
from shared.web.pagination import PageArgs, page, page_schema, paged
from shared.web.problems import documented

blueprint = Blueprint(
    "inspections",
    __name__,
    url_prefix="/inspections",
    description="Supervision (督促检查): inspections of a community and the corrections required",
)
TEXT = validate.Length(min=1, max=2000)


class RequiredCorrectionInSchema(Schema):
    what = fields.String(required=True, validate=TEXT)
    due_on = fields.Date(required=True)


class InspectionInSchema(Schema):
    community = fields.String(required=True, validate=validate.Length(min=1, max=200))
    inspected_on = fields.Date(load_default=None, metadata={"description": "Default: today"})
    inspectors = fields.String(required=True, validate=validate.Length(min=1, max=200))
    findings = fields.String(required=True, validate=TEXT)
    corrections = fields.List(fields.Nested(RequiredCorrectionInSchema), load_default=list)


class RequiredCorrectionSchema(Schema):
    number = fields.Integer()
    what = fields.String()
    due_on = fields.Date()
    status = fields.String(metadata={"enum": ["open", "done"]})
    overdue = fields.Boolean()
    done_on = fields.Date(allow_none=True)
    how = fields.String(allow_none=True)
    done_by = fields.String(allow_none=True)


class InspectionSchema(Schema):
    inspection_id = fields.String()
    community = fields.String()
    inspected_on = fields.Date()
    inspectors = fields.String()
    findings = fields.String()
    corrections = fields.List(fields.Nested(RequiredCorrectionSchema))
    recorded_by = fields.String()
    version = fields.Integer()


class InspectionListArgs(PageArgs):
    community = fields.String()
    open = fields.Boolean(metadata={"description": "Only those with a correction still open"})


class PutRightSchema(Schema):
    how = fields.String(required=True, validate=TEXT)
    done_on = fields.Date(load_default=None, metadata={"description": "Default: today"})


def view(inspection: Inspection) -> dict[str, Any]:
    today = app().clock.now().astimezone(app().settings.zone).date()
    corrections = [{**vars(c), "overdue": c.is_overdue(today)} for c in inspection.corrections]
    return {**vars(inspection), "corrections": corrections}


@blueprint.route("", methods=["POST"])
@requires()
@blueprint.arguments(InspectionInSchema)
@blueprint.response(201, InspectionSchema)
@documented(blueprint, 403, 422)
def inspect(body: dict[str, Any]) -> dict[str, Any]:
    """Record an inspection of a community (the district administrator, for the area
    working group): what it found, and the corrections it requires with their due dates"""
    required = [(c["what"], c["due_on"]) for c in body["corrections"]]
    today = app().clock.now().astimezone(app().settings.zone).date()
    done = inspections.inspect(
        app(),
        str(uuid.uuid4()),
        body["community"],
        body["inspected_on"] or today,
        body["inspectors"],
        body["findings"],
        required,
        me(),
    )
    return view(done)


@blueprint.route("")
@requires(*READERS)
@blueprint.arguments(InspectionListArgs, location="query")
@blueprint.response(200, page_schema(InspectionSchema))
def list_inspections(args: dict[str, Any]) -> dict[str, Any]:
    """Inspections, the latest first; `open=true`: those with a correction still open"""
    found, total = inspections.inspections(app(), scoped(args), *paged(args))
    return page(args, [view(i) for i in found], total)


@blueprint.route("/<inspection_id>")
@requires(*READERS)
@blueprint.response(200, InspectionSchema)
@documented(blueprint, 404)
def inspection(inspection_id: str) -> dict[str, Any]:
    """One inspection"""
    return view(visible(app().inspections.require(inspection_id)))


@blueprint.route("/<inspection_id>/corrections/<int:number>/done", methods=["POST"])
@requires(*HEADS)
@blueprint.arguments(PutRightSchema)
@blueprint.response(200, InspectionSchema)
@documented(blueprint, 404, 409, 422)
def put_right(body: dict[str, Any], inspection_id: str, number: int) -> dict[str, Any]:
    """The community says how it put a correction right (the head), and on which day"""
    visible(app().inspections.require(inspection_id))
    on: date | None = body["done_on"]
    return view(inspections.put_right(app(), inspection_id, number, body["how"], me(), on))
