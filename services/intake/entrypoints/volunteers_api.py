"""Volunteers: people of any age offering their skills."""

from typing import Any

from services.intake.entrypoints import schemas
from services.intake.entrypoints.api import intake
from services.intake.service_layer.district import community_code
from services.intake.service_layer.queries import volunteers_query
from services.intake.service_layer.registration import register_volunteer
from shared.documents import plain
from shared.personal import redacted
from shared.web.auth import require_community, requires, scoped
from shared.web.blueprint import Blueprint
from shared.web.pagination import page, page_schema, paged

blueprint = Blueprint(
    "volunteers",
    __name__,
    url_prefix="/volunteers",
    description="Volunteers and the skills they offer",
)


@blueprint.route("", methods=["POST"])
@requires("intake_clerk")
@blueprint.arguments(schemas.VolunteerInSchema)
@blueprint.response(201, schemas.VolunteerSchema)
@blueprint.alt_response(422, description="Invalid fields or unknown community")
def register(body: dict[str, Any]) -> dict[str, Any]:
    """Register a volunteer (any age; may also be an elder)

    The community is its code or its name (金东社区, or 金东).
    """
    body["community"] = community_code(intake(), body["community"])
    require_community(body["community"])
    return plain(register_volunteer(intake(), **body))


@blueprint.route("")
@requires("intake_clerk", "community_head", "visitor")
@blueprint.arguments(schemas.VolunteerListArgs, location="query")
@blueprint.response(200, page_schema(schemas.VolunteerSchema))
def list_volunteers(args: dict[str, Any]) -> dict[str, Any]:
    """List volunteers, by community or skill (phones masked)"""
    scoped(args)
    query = volunteers_query(args)
    found, total = intake().volunteers.find(query, [("_id", 1)], *paged(args))
    return page(args, redacted([plain(v) for v in found]), total)
