"""Visit records and services delivered over HTTP, with the service statistics."""

import uuid
from typing import Any

from services.visits.domain.visit_records import ServiceGiven, VisitRecord
from services.visits.entrypoints.api import (
    HEADS,
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
    ServiceDeliverySchema,
    ServiceInSchema,
    ServiceListArgs,
    StatisticsArgs,
    StatisticsSchema,
    VisitInSchema,
    VisitListArgs,
    VisitRecordSchema,
)
from services.visits.service_layer import queries
from services.visits.service_layer.services import record_services, service_statistics
from services.visits.service_layer.visit_records import record
from shared.clock import local_today
from shared.web.auth import requires
from shared.web.blueprint import Blueprint
from shared.web.pagination import page_schema

visits_blueprint = Blueprint(
    "visits", __name__, url_prefix="/visits", description="Visit records: only they meet work"
)
services_blueprint = Blueprint(
    "services", __name__, url_prefix="/services", description="Services delivered, and counts"
)


@visits_blueprint.route("", methods=["POST"])
@requires(*WORKERS)
@visits_blueprint.arguments(VisitInSchema)
@visits_blueprint.response(201, VisitRecordSchema)
@visits_blueprint.alt_response(404, description="Unknown elder or obligation")
@visits_blueprint.alt_response(409, description="An obligation is no longer open")
@visits_blueprint.alt_response(
    422, description="A visit in the future, a visitor other than you, ..."
)
def record_visit(body: dict[str, Any]) -> VisitRecord:
    """Record a visit: what was found, services given, follow-up, obligations it meets.

    Must-visit triggers found (`new_triggers`) each open a new obligation."""
    visit_id = body.pop("visit_id", None) or str(uuid.uuid4())
    body["visitor"] = acting_name(body, "visitor")
    elder = elder_for(body.pop("elder_id"))
    return record(app(), visit_id, elder.elder_id, me(), **body)


@visits_blueprint.route("")
@requires(*READERS)
@visits_blueprint.arguments(VisitListArgs, location="query")
@visits_blueprint.response(200, page_schema(VisitRecordSchema))
def list_visits(args: dict[str, Any]) -> dict[str, Any]:
    """Visits, newest first; `follow_up=true` lists those that need a follow-up"""
    found, total = queries.visits_made(app(), scoped(args), *paged(args))
    return page(args, found, total)


@visits_blueprint.route("/<visit_id>")
@requires(*READERS)
@visits_blueprint.response(200, VisitRecordSchema)
@visits_blueprint.alt_response(404, description="No such visit")
def visit_by_id(visit_id: str) -> VisitRecord:
    """One visit record"""
    return visible(app().visits.require(visit_id))


@services_blueprint.route("", methods=["POST"])
@requires(*WORKERS)
@services_blueprint.arguments(ServiceInSchema)
@services_blueprint.response(201, ServiceDeliverySchema)
@services_blueprint.alt_response(404, description="Unknown elder")
@services_blueprint.alt_response(422, description="A date in the future, ...")
def record_service_delivery(body: dict[str, Any]) -> Any:
    """Record a service delivered outside a visit (e.g. by a housekeeping provider)"""
    visits = app()
    given = ServiceGiven(body["service_type"], body["instances"], body["note"])
    (delivery,) = record_services(
        visits,
        f"service:{uuid.uuid4()}",
        elder_for(body["elder_id"]),
        [given],
        body.get("delivered_on") or local_today(visits.clock, visits.settings.zone),
        body.get("provider") or me(),
        me(),
    )
    return delivery


@services_blueprint.route("")
@requires(*READERS)
@services_blueprint.arguments(ServiceListArgs, location="query")
@services_blueprint.response(200, page_schema(ServiceDeliverySchema))
def list_services(args: dict[str, Any]) -> dict[str, Any]:
    """Services delivered, newest first"""
    found, total = queries.services_delivered(app(), scoped(args), *paged(args))
    return page(args, found, total)


@services_blueprint.route("/statistics")
@requires(*HEADS)
@services_blueprint.arguments(StatisticsArgs, location="query")
@services_blueprint.response(200, StatisticsSchema)
def count_services(args: dict[str, Any]) -> Any:
    """Service instances by type, community and month, for a period of months"""
    args = scoped(args)
    return service_statistics(
        app(), args.get("from_month"), args.get("to_month"), args.get("community")
    )
