"""Intake's HTTP doors for correcting closed or wrong records: thin views over the use cases."""

from typing import Any

from services.intake.entrypoints import schemas
from services.intake.entrypoints.api import CLERK, intake, scoped_elder, view
from services.intake.service_layer import corrections
from shared.web.auth import actor, require_community, requires
from shared.web.blueprint import Blueprint
from shared.web.problems import documented

blueprint = Blueprint(
    "corrections",
    __name__,
    url_prefix="/elders",
    description="Corrections of closed or wrong records: deaths in error, returns, identity",
)


@blueprint.route("/<elder_id>/death/revocation", methods=["POST"])
@requires()  # the district administrator only
@blueprint.arguments(schemas.DeathRevocationSchema)
@blueprint.response(200, schemas.ElderSchema)
@documented(blueprint, 404, 409, 422)
def revoke_death(body: dict[str, Any], elder_id: str) -> dict[str, Any]:
    """Revoke a death reported in error: the record is active again

    Visits reopens the work the death closed; allowances resumes payment, with back pay for
    the months not paid, and cancels the recoveries the death raised.
    """
    scoped_elder(elder_id)
    return view(
        corrections.revoke_death(intake(), elder_id, body["version"], actor(), body["reason"])
    )


@blueprint.route("/<elder_id>/return", methods=["POST"])
@requires(CLERK)
@blueprint.arguments(schemas.ReturnSchema)
@blueprint.response(200, schemas.ElderSchema)
@documented(blueprint, 404, 409, 422)
def return_to_district(body: dict[str, Any], elder_id: str) -> dict[str, Any]:
    """Re-activate an elder who moved out of the district and came back (not a new record)"""
    scoped_elder(elder_id)
    require_community(body["community"])
    return view(
        corrections.return_to_district(
            intake(),
            elder_id,
            body["version"],
            actor(),
            body["returned_on"],
            body["community"],
            body["address"],
        )
    )


@blueprint.route("/<elder_id>/identity-corrections", methods=["POST"])
@requires(CLERK)
@blueprint.arguments(schemas.IdentityCorrectionInSchema)
@blueprint.response(200, schemas.ElderSchema)
@documented(blueprint, 404, 409, 422)
def propose_identity_correction(body: dict[str, Any], elder_id: str) -> dict[str, Any]:
    """Propose a correction of the ID number, birth date and sex, for an administrator to decide

    Birth date and sex must agree with the ID number (GB 11643); nothing changes until
    another person, a district administrator, approves.
    """
    scoped_elder(elder_id)
    version = body.pop("version")
    return view(
        corrections.propose_identity_correction(intake(), elder_id, version, actor(), **body)
    )


@blueprint.route("/<elder_id>/identity-corrections/approval", methods=["POST"])
@requires()  # the district administrator only
@blueprint.arguments(schemas.Versioned)
@blueprint.response(200, schemas.ElderSchema)
@documented(blueprint, 404, 409, 422)
def approve_identity_correction(body: dict[str, Any], elder_id: str) -> dict[str, Any]:
    """Approve the pending identity correction (not the one who proposed it)"""
    scoped_elder(elder_id)
    return view(
        corrections.approve_identity_correction(intake(), elder_id, body["version"], actor())
    )


@blueprint.route("/<elder_id>/identity-corrections/rejection", methods=["POST"])
@requires()  # the district administrator only
@blueprint.arguments(schemas.RejectionSchema)
@blueprint.response(200, schemas.ElderSchema)
@documented(blueprint, 404, 409, 422)
def reject_identity_correction(body: dict[str, Any], elder_id: str) -> dict[str, Any]:
    """Reject the pending identity correction, with a note"""
    scoped_elder(elder_id)
    return view(
        corrections.reject_identity_correction(
            intake(), elder_id, body["version"], actor(), body["note"]
        )
    )
