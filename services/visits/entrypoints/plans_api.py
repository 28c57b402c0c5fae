"""The yearly service plans over HTTP: a community's plan set by its head (or the district),
its progress worked out from the records when read, and the district's roll-up."""

from typing import Any

from marshmallow import Schema, fields, validate

from services.visits.domain.plans import MEASURES, Plan, Progress, Target
from services.visits.entrypoints.api import HEADS, READERS, me
from services.visits.entrypoints.api import visits_app as app
from services.visits.service_layer import plans
from shared.roles import SUMMARY_READERS
from shared.web.auth import require_community, requires
from shared.web.blueprint import Blueprint
from shared.web.problems import documented

blueprint = Blueprint(
    "plans",
    __name__,
    url_prefix="/plans",
    description="Yearly service plans (服务计划): targets, and progress from the records",
)
YEAR = validate.Range(min=2000, max=2100)


class PlanTargetSchema(Schema):
    measure = fields.String(
        required=True,
        validate=validate.OneOf(tuple(MEASURES)),
        metadata={
            "description": "; ".join(
                f"{m}: {label} ({unit})" for m, (label, unit) in MEASURES.items()
            )
        },
    )
    target = fields.Float(required=True, validate=validate.Range(min=0))
    responsible = fields.String(required=True, validate=validate.Length(min=1, max=100))


class PlanInSchema(Schema):
    targets = fields.List(fields.Nested(PlanTargetSchema), required=True)
    version = fields.Integer(
        load_default=0, strict=True, metadata={"description": "The version read; 0 for a new plan"}
    )


class PlanProgressSchema(Schema):
    measure = fields.String()
    label = fields.String()
    unit = fields.String()
    target = fields.Float()
    responsible = fields.String()
    value = fields.Float(allow_none=True, metadata={"description": "None: nothing due yet"})
    numerator = fields.Integer()
    denominator = fields.Integer(allow_none=True, metadata={"description": "For a share"})
    reached = fields.Boolean()


class PlanSchema(Schema):
    community = fields.String()
    year = fields.Integer()
    made_by = fields.String()
    version = fields.Integer()
    progress = fields.List(fields.Nested(PlanProgressSchema))


class DistrictPlanSchema(Schema):
    year = fields.Integer()
    communities = fields.List(fields.Nested(PlanSchema))
    district = fields.List(fields.Nested(PlanProgressSchema))


def shown(progress: list[Progress]) -> list[dict[str, Any]]:
    return [
        {
            "measure": p.measure,
            "label": MEASURES[p.measure][0],
            "unit": MEASURES[p.measure][1],
            "target": p.target,
            "responsible": p.responsible,
            "value": p.tally.value,
            "numerator": p.tally.numerator,
            "denominator": p.tally.denominator,
            "reached": p.reached,
        }
        for p in progress
    ]


def plan_view(plan: Plan, progress: list[Progress]) -> dict[str, Any]:
    return {
        "community": plan.community,
        "year": plan.year,
        "made_by": plan.made_by,
        "version": plan.version,
        "progress": shown(progress),
    }


@blueprint.route("/district/<int:year>")
@requires(*READERS, *SUMMARY_READERS)
@blueprint.response(200, DistrictPlanSchema)
@documented(blueprint, 422)
def district(year: int) -> dict[str, Any]:
    """Every community's plan of the year with its progress, and the district's roll-up
    (targets and counts summed; a share counted again from its summed parts)"""
    each, rolled = plans.district_progress(app(), year)
    communities = [plan_view(plan, progress) for plan, progress in each]
    return {"year": year, "communities": communities, "district": shown(rolled)}


@blueprint.route("/<community>/<int:year>", methods=["PUT"])
@requires(*HEADS)
@blueprint.arguments(PlanInSchema)
@blueprint.response(200, PlanSchema)
@documented(blueprint, 403, 409, 422)
def set_plan(body: dict[str, Any], community: str, year: int) -> dict[str, Any]:
    """Set the community's plan of the year: each target with the person responsible"""
    require_community(community)
    targets = [Target(t["measure"], t["target"], t["responsible"].strip()) for t in body["targets"]]
    plans.set_plan(app(), community, year, targets, me(), body["version"])
    return plan_view(*plans.plan_progress(app(), community, year))


@blueprint.route("/<community>/<int:year>")
@requires(*READERS, *SUMMARY_READERS)
@blueprint.response(200, PlanSchema)
@documented(blueprint, 403, 404, 422)
def plan(community: str, year: int) -> dict[str, Any]:
    """The community's plan of the year, with its progress worked out from the records"""
    require_community(community)
    return plan_view(*plans.plan_progress(app(), community, year))
