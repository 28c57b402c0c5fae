"""Help requests over HTTP: hotline calls and love-umbrella sightings, answered and resolved."""

import uuid
from typing import Any

from services.visits.domain.help_requests import HelpRequest
from services.visits.entrypoints.api import (
    READERS,
    WORKERS,
    acting_name,
    elder_for,
    me,
    page,
    paged,
    scoped,
    visible,
)
from services.visits.entrypoints.api import visits_app as app
from services.visits.entrypoints.schemas import (
    HelpRequestInSchema,
    HelpRequestListArgs,
    HelpRequestSchema,
    ResolveSchema,
    RespondSchema,
)
from services.visits.service_layer import help_requests, queries
from shared.documents import plain
from shared.web.auth import requires
from shared.web.blueprint import Blueprint
from shared.web.pagination import page_schema

blueprint = Blueprint(
    "help_requests",
    __name__,
    url_prefix="/help-requests",
    description="Help requests from the hotline and love-umbrella (爱心伞) sightings",
)


def view(request: HelpRequest) -> dict[str, Any]:
    return {
        **plain(request),
        "overdue": request.is_overdue(app().clock.now()),
        "answered_in_time": request.answered_in_time,
    }


def help_request(request_id: str) -> HelpRequest:
    return visible(app().help_requests.require(request_id))


@blueprint.route("", methods=["POST"])
@requires(*WORKERS)
@blueprint.arguments(HelpRequestInSchema)
@blueprint.response(201, HelpRequestSchema)
@blueprint.alt_response(404, description="Unknown elder")
def receive_help_request(body: dict[str, Any]) -> dict[str, Any]:
    """Receive a help request; it must be answered by its urgency's deadline"""
    elder_for(body["elder_id"])
    request = help_requests.receive(app(), str(uuid.uuid4()), by=me(), **body)
    return view(request)


@blueprint.route("")
@requires(*READERS)
@blueprint.arguments(HelpRequestListArgs, location="query")
@blueprint.response(200, page_schema(HelpRequestSchema))
def list_help_requests(args: dict[str, Any]) -> dict[str, Any]:
    """Help requests, the most pressing first; `overdue=true`: unanswered past deadline"""
    found, total = queries.help_requests(app(), scoped(args), *paged(args))
    return page(args, [view(r) for r in found], total)


@blueprint.route("/<request_id>")
@requires(*READERS)
@blueprint.response(200, HelpRequestSchema)
@blueprint.alt_response(404, description="No such help request")
def help_request_by_id(request_id: str) -> dict[str, Any]:
    """One help request"""
    return view(help_request(request_id))


@blueprint.route("/<request_id>/respond", methods=["POST"])
@requires(*WORKERS)
@blueprint.arguments(RespondSchema)
@blueprint.response(200, HelpRequestSchema)
@blueprint.alt_response(409, description="Already resolved")
@blueprint.alt_response(422, description="A responder other than you")
def respond_to_help_request(body: dict[str, Any], request_id: str) -> dict[str, Any]:
    """Take charge of a help request: you are its responder"""
    help_request(request_id)
    responder = acting_name(body, "responder")
    return view(help_requests.respond(app(), request_id, responder))


@blueprint.route("/<request_id>/resolve", methods=["POST"])
@requires(*WORKERS)
@blueprint.arguments(ResolveSchema)
@blueprint.response(200, HelpRequestSchema)
@blueprint.alt_response(409, description="Already resolved")
def resolve_help_request(body: dict[str, Any], request_id: str) -> dict[str, Any]:
    """Resolve a help request, with the services given (counted in the statistics)"""
    help_request(request_id)
    resolved = help_requests.resolve(app(), request_id, body["resolution"], me(), body["services"])
    return view(resolved)
