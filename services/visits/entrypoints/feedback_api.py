"""What those served say, over HTTP: ratings recorded by the workers, complaints received,
answered and closed (not by the worker they are about)."""

import uuid
from typing import Any

from services.visits.domain.feedback import Complaint, Feedback
from services.visits.entrypoints import feedback_schemas as schemas
from services.visits.entrypoints.api import READERS, WORKERS, elder_for, me, visible
from services.visits.entrypoints.api import visits_app as app
from services.visits.service_layer import feedback
from shared.documents import plain
from shared.errors import RuleViolation
from shared.web.auth import require_community, requires, scoped
from shared.web.blueprint import Blueprint
from shared.web.pagination import page, page_schema, paged
from shared.web.problems import documented

feedback_blueprint = Blueprint(
    "feedback",
    __name__,
    url_prefix="/feedback",
    description="Ratings of visits, services and help by the elders and families served",
)
complaints_blueprint = Blueprint(
    "complaints",
    __name__,
    url_prefix="/complaints",
    description="Complaints, answered within a deadline and escalated when not",
)


@feedback_blueprint.route("", methods=["POST"])
@requires(*WORKERS)
@feedback_blueprint.arguments(schemas.FeedbackInSchema)
@feedback_blueprint.response(201, schemas.FeedbackSchema)
@documented(feedback_blueprint, 403, 404, 422)
def give(body: dict[str, Any]) -> Feedback:
    """Record the elder's or the family's rating (1 to 5) of a visit, a service or a help
    request's handling, with their remarks; the same feedback_id again is the same rating"""
    elder_for(body["elder_id"])
    feedback_id = body.pop("feedback_id", None) or str(uuid.uuid4())
    return feedback.give_feedback(app(), feedback_id, by=me(), **body)


@feedback_blueprint.route("")
@requires(*READERS)
@feedback_blueprint.arguments(schemas.FeedbackListArgs, location="query")
@feedback_blueprint.response(200, page_schema(schemas.FeedbackSchema))
def list_feedback(args: dict[str, Any]) -> dict[str, Any]:
    """Ratings, the latest first: by community, worker, elder or rating"""
    found, total = feedback.feedback_list(app(), scoped(args), *paged(args))
    return page(args, found, total)


def view(complaint: Complaint) -> dict[str, Any]:
    return {
        **plain(complaint),
        "overdue": complaint.is_overdue(app().clock.now()),
        "answered_in_time": complaint.answered_in_time,
    }


@complaints_blueprint.route("", methods=["POST"])
@requires(*WORKERS)
@complaints_blueprint.arguments(schemas.ComplaintInSchema)
@complaints_blueprint.response(201, schemas.ComplaintSchema)
@documented(complaints_blueprint, 403, 404, 422)
def receive(body: dict[str, Any]) -> dict[str, Any]:
    """Receive a complaint, of an elder's or of the community's: it is to be answered within
    the district's deadline (72 hours unless configured), else it is escalated"""
    if body.get("elder_id"):
        body["community"] = elder_for(body["elder_id"]).community
    community = body.pop("community", None)
    if not community:
        raise RuleViolation("name the community, or the elder", field="community")
    require_community(community)
    return view(feedback.receive_complaint(app(), str(uuid.uuid4()), community, by=me(), **body))


@complaints_blueprint.route("")
@requires(*READERS)
@complaints_blueprint.arguments(schemas.ComplaintListArgs, location="query")
@complaints_blueprint.response(200, page_schema(schemas.ComplaintSchema))
def list_complaints(args: dict[str, Any]) -> dict[str, Any]:
    """Complaints, the soonest to answer first; `overdue=true`: open past their deadline"""
    found, total = feedback.complaints_list(app(), scoped(args), *paged(args))
    return page(args, [view(c) for c in found], total)


@complaints_blueprint.route("/<complaint_id>")
@requires(*READERS)
@complaints_blueprint.response(200, schemas.ComplaintSchema)
@documented(complaints_blueprint, 404)
def complaint(complaint_id: str) -> dict[str, Any]:
    """One complaint"""
    return view(visible(app().complaints.require(complaint_id)))


@complaints_blueprint.route("/<complaint_id>/close", methods=["POST"])
@requires(*WORKERS)
@complaints_blueprint.arguments(schemas.CloseComplaintSchema)
@complaints_blueprint.response(200, schemas.ComplaintSchema)
@documented(complaints_blueprint, 404, 409, 422)
def close(body: dict[str, Any], complaint_id: str) -> dict[str, Any]:
    """Answer and close the complaint; the worker it is about may not"""
    visible(app().complaints.require(complaint_id))
    return view(feedback.close_complaint(app(), complaint_id, body["answer"], me()))
