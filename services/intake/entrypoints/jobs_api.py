"""Intake's scheduled duties, run now on an operator's request."""

from typing import Any

from marshmallow import Schema, fields

from services.intake.entrypoints.api import intake
from services.intake.entrypoints.household_schemas import HousingRunSchema
from services.intake.service_layer.changes import review_key_targets
from services.intake.service_layer.households import house_everyone
from shared.web.auth import requires
from shared.web.blueprint import Blueprint

blueprint = Blueprint(
    "jobs", __name__, url_prefix="/jobs", description="Run a scheduled duty now (operators)"
)


class KeyTargetReviewSchema(Schema):
    reviewed = fields.Integer(
        metadata={"description": "Elders whose key-target reasons changed (and were announced)"}
    )


@blueprint.route("/key-targets", methods=["POST"])
@requires("operator")
@blueprint.response(200, KeyTargetReviewSchema)
def key_target_review() -> dict[str, Any]:
    """Review the key-target list now: an assessment that lapsed stops counting (again: none)"""
    return {"reviewed": review_key_targets(intake())}


@blueprint.route("/households", methods=["POST"])
@requires("operator", "district_admin")
@blueprint.response(200, HousingRunSchema)
def housing() -> Any:
    """Place every elder not yet in a household in one (the migration of a register kept
    before households; running it again places no one twice)"""
    return house_everyone(intake())
