"""Intake's HTTP doors for reorganising the district's communities (撤并, 拆分, 更名): the
district administrator plans one and sees what it moves, then applies or cancels it."""

from dataclasses import fields
from typing import Any

from services.intake.domain.reorganisation import Reorganisation
from services.intake.entrypoints import reorganisation_schemas as schemas
from services.intake.entrypoints.api import intake
from services.intake.service_layer import reorganisations
from shared.audit import current_actor
from shared.web.auth import requires
from shared.web.blueprint import Blueprint
from shared.web.pagination import page, page_schema, paged
from shared.web.problems import documented

blueprint = Blueprint(
    "reorganisations",
    __name__,
    url_prefix="/reorganisations",
    description="Reorganising the district's communities: merge, split, rename",
)


def with_staff(reorganisation: Reorganisation) -> dict[str, Any]:
    """The reorganisation, and the staff of the communities it touches as they are now."""
    staff = reorganisations.affected_staff(intake(), reorganisation.plan)
    held = {f.name: getattr(reorganisation, f.name) for f in fields(reorganisation)}
    return {**held, "staff": staff}


@blueprint.route("")
@requires()  # the district administrator only
@blueprint.arguments(schemas.ReorganisationListArgs, location="query")
@blueprint.response(200, page_schema(schemas.ReorganisationSchema))
def list_reorganisations(args: dict[str, Any]) -> dict[str, Any]:
    """The reorganisations planned, newest first"""
    found, total = reorganisations.listed(intake(), args.get("status"), *paged(args))
    return page(args, found, total)


@blueprint.route("", methods=["POST"])
@requires()
@blueprint.arguments(schemas.PlanSchema)
@blueprint.response(201, schemas.PreviewSchema)
@documented(blueprint, 422)
def plan(body: Any) -> dict[str, Any]:
    """Plan a merge, split or rename, and see what it would move

    Nothing moves yet: the answer is the preview (active elders by the community they leave,
    households, cells of the grid, and the staff of every community it touches). Apply it with
    POST /reorganisations/{id}/application, or cancel it.
    """
    return with_staff(reorganisations.plan(intake(), body, current_actor()))


@blueprint.route("/<reorganisation_id>")
@requires()
@blueprint.response(200, schemas.PreviewSchema)
@documented(blueprint, 404)
def get_reorganisation(reorganisation_id: str) -> dict[str, Any]:
    """A reorganisation: its plan, preview, and how far it is applied"""
    return with_staff(intake().reorganisations.require(reorganisation_id))


@blueprint.route("/<reorganisation_id>/elders")
@requires()
@blueprint.arguments(schemas.MovingArgs, location="query")
@blueprint.response(200, page_schema(schemas.MovingSchema))
@documented(blueprint, 404)
def moving(args: dict[str, Any], reorganisation_id: str) -> dict[str, Any]:
    """The elders the plan would move now, a page at a time (those of a split by addresses,
    for instance, whose open visits other services can then count); none once applied"""
    reorganisation = intake().reorganisations.require(reorganisation_id)
    ids = reorganisations.elders_moving(intake(), reorganisation.plan)
    skip, limit = paged(args)
    return page(args, [{"elder_id": i} for i in ids[skip : skip + limit]], len(ids))


@blueprint.route("/<reorganisation_id>/application", methods=["POST"])
@requires()
@blueprint.arguments(schemas.ReorganisationVersioned)
@blueprint.response(202, schemas.PreviewSchema)
@documented(blueprint, 404, 409, 422)
def apply(body: dict[str, Any], reorganisation_id: str) -> dict[str, Any]:
    """Apply a previewed plan: the worker moves the records (status applying, then applied)

    The district's communities change first; then the grid's cells, the households and the
    elders move, each with its event, then the staff of communities merged. It resumes by
    itself after a restart and moves nothing twice. One reorganisation at a time.
    """
    done = reorganisations.apply(intake(), reorganisation_id, body["version"], current_actor())
    return with_staff(done)


@blueprint.route("/<reorganisation_id>/cancellation", methods=["POST"])
@requires()
@blueprint.arguments(schemas.ReorganisationVersioned)
@blueprint.response(200, schemas.PreviewSchema)
@documented(blueprint, 404, 409, 422)
def cancel(body: dict[str, Any], reorganisation_id: str) -> dict[str, Any]:
    """Cancel a plan not yet applied"""
    return with_staff(reorganisations.cancel(intake(), reorganisation_id, body["version"]))
