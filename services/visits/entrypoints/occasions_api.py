"""What community workers record over HTTP: activities held and who came to them (and to
courses' sessions), hours of volunteer service, and the posts elders hold; and the figures of
it all for a period (reports_api), as JSON or as a workbook."""

import uuid
from typing import Any

from services.visits.domain.occasions import Occasion
from services.visits.domain.volunteering import CommunityPost, ServiceHours
from services.visits.entrypoints import activity_schemas as schemas
from services.visits.entrypoints.api import HEADS, READERS, WORKERS, visible
from services.visits.entrypoints.api import visits_app as app
from services.visits.service_layer import activity_queries, occasions, volunteering
from shared.web.auth import actor, require_community, requires, scoped
from shared.web.blueprint import Blueprint
from shared.web.pagination import page, page_schema, paged
from shared.web.problems import documented

occasions_blueprint = Blueprint(
    "occasions",
    __name__,
    url_prefix="/occasions",
    description="Activities and courses' sessions held, and who came (named, or a head count)",
)
service_blueprint = Blueprint(
    "volunteer_service",
    __name__,
    url_prefix="/volunteer-service",
    description="Hours of volunteer service, by person, team and kind of service",
)
posts_blueprint = Blueprint(
    "community_posts",
    __name__,
    url_prefix="/community-posts",
    description="Posts elders hold in the community, pairings with school classes among them",
)


# --- occasions and attendance


@occasions_blueprint.route("", methods=["POST"])
@requires(*WORKERS)
@occasions_blueprint.arguments(schemas.ActivityInSchema)
@occasions_blueprint.response(201, schemas.OccasionSchema)
@documented(occasions_blueprint, 403, 404, 422)
def hold_activity(body: dict[str, Any]) -> Occasion:
    """An activity of a team or of the community (a lecture's session is held on its course):
    named attendance is then ticked; an open event gives its head count instead"""
    require_community(body["community"])
    return occasions.hold_activity(app(), str(uuid.uuid4()), by=actor(), **body)


@occasions_blueprint.route("")
@requires(*READERS)
@occasions_blueprint.arguments(schemas.OccasionListArgs, location="query")
@occasions_blueprint.response(200, page_schema(schemas.OccasionSchema))
def list_occasions(args: dict[str, Any]) -> dict[str, Any]:
    """Occasions held, latest first: by community, kind, course, team, and days"""
    found, total = activity_queries.occasions(app(), scoped(args), *paged(args))
    return page(args, found, total)


@occasions_blueprint.route("/<occasion_id>")
@requires(*READERS)
@occasions_blueprint.response(200, schemas.OccasionSchema)
@documented(occasions_blueprint, 404)
def occasion(occasion_id: str) -> Occasion:
    """One occasion, with who came"""
    return visible(app().activities.occasions.require(occasion_id))


@occasions_blueprint.route("/<occasion_id>/attendance", methods=["POST"])
@requires(*WORKERS)
@occasions_blueprint.arguments(schemas.AttendanceInSchema)
@occasions_blueprint.response(200, schemas.AttendanceAnswerSchema)
@documented(occasions_blueprint, 403, 404, 409, 422)
def record_attendance(body: dict[str, Any], occasion_id: str) -> dict[str, Any]:
    """Who came, ticked from a list: each person once per occasion (ticked again, nothing
    changes); refused, with the reason, for a person who had died or left the district by
    then, or, at a course's session, one not enrolled: then no one is recorded"""
    held = visible(app().activities.occasions.require(occasion_id))
    require_community(held.community)
    ticked = occasions.record_attendance(app(), occasion_id, body["people"], actor())
    return {
        "occasion": ticked.change.after,
        "recorded": ticked.recorded,
        "already": ticked.already,
    }


# --- volunteer service


@service_blueprint.route("", methods=["POST"])
@requires(*WORKERS)
@service_blueprint.arguments(schemas.ServiceHoursInSchema)
@service_blueprint.response(201, schemas.ServiceHoursSchema)
@documented(service_blueprint, 403, 404, 422)
def serve(body: dict[str, Any]) -> ServiceHours:
    """Hours of volunteer service given by an elder or a volunteer, for a kind of service and
    perhaps a team"""
    require_community(body["community"])
    named: dict[str, str | None] = {k: body.pop(k, None) for k in ("elder_id", "volunteer_id")}
    return volunteering.serve(app(), str(uuid.uuid4()), named, by=actor(), **body)


@service_blueprint.route("")
@requires(*READERS)
@service_blueprint.arguments(schemas.ServiceHoursListArgs, location="query")
@service_blueprint.response(200, page_schema(schemas.ServiceHoursSchema))
def list_service(args: dict[str, Any]) -> dict[str, Any]:
    """Volunteer service, latest first: by community, person, service, and days"""
    found, total = activity_queries.service_hours(app(), scoped(args), *paged(args))
    return page(args, found, total)


# --- posts


@posts_blueprint.route("", methods=["POST"])
@requires(*HEADS)
@posts_blueprint.arguments(schemas.PostInSchema)
@posts_blueprint.response(201, schemas.PostSchema)
@documented(posts_blueprint, 403, 404, 422)
def take_post(body: dict[str, Any]) -> CommunityPost:
    """An elder takes a post in the community (居委会委员, 居民小组长, 治安巡逻, 民事调解), or is
    paired with a school class (name it in detail)"""
    require_community(body["community"])
    return volunteering.take_post(app(), str(uuid.uuid4()), **body)


@posts_blueprint.route("")
@requires(*READERS)
@posts_blueprint.arguments(schemas.PostListArgs, location="query")
@posts_blueprint.response(200, page_schema(schemas.PostSchema))
def list_posts(args: dict[str, Any]) -> dict[str, Any]:
    """Posts held, by community, post, status or person"""
    found, total = activity_queries.posts(app(), scoped(args), *paged(args))
    return page(args, found, total)


@posts_blueprint.route("/<post_id>/end", methods=["POST"])
@requires(*HEADS)
@posts_blueprint.arguments(schemas.PostEndSchema)
@posts_blueprint.response(200, schemas.PostSchema)
@documented(posts_blueprint, 404, 409, 422)
def leave_post(body: dict[str, Any], post_id: str) -> CommunityPost:
    """The post ends, on a day and for a reason"""
    visible(app().activities.posts.require(post_id))
    return volunteering.leave_post(app(), post_id, body["version"], body["on"], body["reason"])
