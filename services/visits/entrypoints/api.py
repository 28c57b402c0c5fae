"""Visits' HTTP doors: thin views over its stores and use cases. This module holds the elders
view and what every view module shares; app.py registers all the blueprints."""

from typing import Any, TypeVar

from flask import current_app

from services.visits.domain.elder import Elder
from services.visits.entrypoints.activity_schemas import ElderActivitiesSchema
from services.visits.entrypoints.schemas import ElderListArgs, ElderSchema
from services.visits.service_layer import queries
from services.visits.service_layer.container import Visits
from services.visits.service_layer.elder_activities import ElderActivities, elder_activities
from services.visits.service_layer.elders import known_elder, with_contacts
from shared.errors import RuleViolation
from shared.personal import redacted
from shared.web.auth import principal, requires, scoped
from shared.web.auth import visible as in_scope
from shared.web.blueprint import Blueprint
from shared.web.pagination import page, page_schema, paged

blueprint = Blueprint(
    "elders", __name__, url_prefix="/elders", description="Visits' view of the elders it serves"
)
READERS = ("visitor", "community_head")
WORKERS = ("visitor", "community_head")  # who visits, reports incidents and records services
HEADS = ("community_head",)


def visits_app() -> Visits:
    return current_app.extensions["visits"]


def me() -> str:
    """The user name of the caller."""
    return principal().user


def acting_name(body: dict[str, Any], field: str) -> str:
    """Who acted, as the record and its audit keep them: the signed-in user. A body naming
    anyone else in `field` is refused, so that nobody records work in a colleague's name."""
    named = body.pop(field, None)
    if named is not None and named.strip() != me():
        raise RuleViolation(
            f"{field} is the signed-in user ({me()}); {named.strip()} records their own work "
            "with their own account",
            field=field,
        )
    return me()


Record = TypeVar("Record", bound=Any)


def visible(record: Record) -> Record:
    """The record, if the caller may see it (see shared.web.auth.visible)."""
    in_scope(record.community, "such record")
    return record


def elder_for(elder_id: str) -> Elder:
    """A known elder the caller may act for."""
    return visible(known_elder(visits_app(), elder_id))


@blueprint.route("")
@requires(*READERS)
@blueprint.arguments(ElderListArgs, location="query")
@blueprint.response(200, page_schema(ElderSchema))
def list_elders(args: dict[str, Any]) -> dict[str, Any]:
    """List elders known to visits, optionally of one community or only those named

    Phones are masked in the list; one elder's record has the phone to call.
    """
    elders, total = queries.elders(visits_app(), scoped(args), *paged(args))
    return page(args, redacted(with_contacts(visits_app(), elders)), total)


@blueprint.route("/<elder_id>")
@requires(*READERS)
@blueprint.response(200, ElderSchema)
@blueprint.alt_response(404, description="Not (yet) known to visits")
def elder_by_id(elder_id: str) -> Any:
    """One elder by id, with the address and phone to visit"""
    return with_contacts(visits_app(), [elder_for(elder_id)])[0]


@blueprint.route("/<elder_id>/activities")
@requires(*READERS)
@blueprint.response(200, ElderActivitiesSchema)
@blueprint.alt_response(404, description="Not (yet) known to visits")
def activities_of_elder(elder_id: str) -> ElderActivities:
    """The elder's teams, courses and posts, past ones too, the hours of volunteer service
    they gave and the occasions they attended"""
    elder_for(elder_id)
    return elder_activities(visits_app(), elder_id)
