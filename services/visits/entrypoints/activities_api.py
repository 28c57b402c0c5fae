"""What the community head keeps over HTTP: venues (活动阵地), teams (文体队伍, 志愿服务队,
互助小组) with their members, and courses and lectures with their enrolments and sessions."""

import uuid
from typing import Any

from services.visits.domain.courses import Course
from services.visits.domain.occasions import Occasion
from services.visits.domain.teams import Team
from services.visits.domain.venues import Venue
from services.visits.entrypoints import activity_schemas as schemas
from services.visits.entrypoints.api import HEADS, READERS, visible
from services.visits.entrypoints.api import visits_app as app
from services.visits.service_layer import activity_queries, courses, occasions, teams, venues
from shared.web.auth import actor, require_community, requires, scoped
from shared.web.blueprint import Blueprint
from shared.web.pagination import page, page_schema, paged
from shared.web.problems import documented

venues_blueprint = Blueprint(
    "venues", __name__, url_prefix="/venues", description="The community's activity places"
)
teams_blueprint = Blueprint(
    "teams",
    __name__,
    url_prefix="/teams",
    description="Culture and sports teams, volunteer service teams and mutual-aid groups",
)
courses_blueprint = Blueprint(
    "courses",
    __name__,
    url_prefix="/courses",
    description="Courses and lectures: the elder TV university, elder university and school, "
    "the community's own; their enrolments and sessions",
)


# --- venues


@venues_blueprint.route("", methods=["POST"])
@requires(*HEADS)
@venues_blueprint.arguments(schemas.VenueInSchema)
@venues_blueprint.response(201, schemas.VenueSchema)
@documented(venues_blueprint, 403, 422)
def open_venue(body: dict[str, Any]) -> Venue:
    """Open a venue of a community: an activity room, reading room, gym, outdoor area or a
    school classroom, with its area, capacity, periodicals and equipment"""
    require_community(body["community"])
    return venues.open_venue(app(), str(uuid.uuid4()), **body)


@venues_blueprint.route("")
@requires(*READERS)
@venues_blueprint.arguments(schemas.VenueListArgs, location="query")
@venues_blueprint.response(200, page_schema(schemas.VenueSchema))
def list_venues(args: dict[str, Any]) -> dict[str, Any]:
    """Venues, by community, kind and status"""
    found, total = activity_queries.venues(app(), scoped(args), *paged(args))
    return page(args, found, total)


@venues_blueprint.route("/<venue_id>")
@requires(*READERS)
@venues_blueprint.response(200, schemas.VenueSchema)
@documented(venues_blueprint, 404)
def venue(venue_id: str) -> Venue:
    """One venue"""
    return visible(app().activities.venues.require(venue_id))


@venues_blueprint.route("/<venue_id>", methods=["PUT"])
@requires(*HEADS)
@venues_blueprint.arguments(schemas.VenueChangeSchema)
@venues_blueprint.response(200, schemas.VenueSchema)
@documented(venues_blueprint, 404, 409, 422)
def change_venue(body: dict[str, Any], venue_id: str) -> Venue:
    """Change a venue's name, area, capacity, periodicals or equipment, at its version"""
    visible(app().activities.venues.require(venue_id))
    return venues.change_venue(app(), venue_id, body["version"], body["terms"])


@venues_blueprint.route("/<venue_id>/closure", methods=["POST"])
@requires(*HEADS)
@venues_blueprint.arguments(schemas.ClosureSchema)
@venues_blueprint.response(200, schemas.VenueSchema)
@documented(venues_blueprint, 404, 409, 422)
def close_venue(body: dict[str, Any], venue_id: str) -> Venue:
    """Close a venue (its history stays)"""
    visible(app().activities.venues.require(venue_id))
    return venues.close_venue(app(), venue_id, body["version"], body["on"])


# --- teams


@teams_blueprint.route("", methods=["POST"])
@requires(*HEADS)
@teams_blueprint.arguments(schemas.TeamInSchema)
@teams_blueprint.response(201, schemas.TeamSchema)
@documented(teams_blueprint, 403, 422)
def form_team(body: dict[str, Any]) -> Team:
    """Form a team of a community: a culture and sports team (its activity), a volunteer
    service team or a party members' one (the service it gives), or a mutual-aid group"""
    require_community(body["community"])
    return teams.form(app(), str(uuid.uuid4()), **body)


@teams_blueprint.route("")
@requires(*READERS)
@teams_blueprint.arguments(schemas.TeamListArgs, location="query")
@teams_blueprint.response(200, page_schema(schemas.TeamSchema))
def list_teams(args: dict[str, Any]) -> dict[str, Any]:
    """Teams, by community, kind, activity, status, or a person who is or was a member"""
    found, total = activity_queries.teams(app(), scoped(args), *paged(args))
    return page(args, found, total)


@teams_blueprint.route("/<team_id>")
@requires(*READERS)
@teams_blueprint.response(200, schemas.TeamSchema)
@documented(teams_blueprint, 404)
def team(team_id: str) -> Team:
    """One team, with every membership, past ones too"""
    return visible(app().activities.teams.require(team_id))


@teams_blueprint.route("/<team_id>", methods=["PUT"])
@requires(*HEADS)
@teams_blueprint.arguments(schemas.TeamChangeSchema)
@teams_blueprint.response(200, schemas.TeamSchema)
@documented(teams_blueprint, 404, 409, 422)
def change_team(body: dict[str, Any], team_id: str) -> Team:
    """Change a team's activity, name or leader, at its version"""
    visible(app().activities.teams.require(team_id))
    return teams.change(app(), team_id, **body)


@teams_blueprint.route("/<team_id>/members", methods=["POST"])
@requires(*HEADS)
@teams_blueprint.arguments(schemas.MemberInSchema)
@teams_blueprint.response(200, schemas.TeamSchema)
@documented(teams_blueprint, 404, 409, 422)
def join_team(body: dict[str, Any], team_id: str) -> Team:
    """Take a member in: an elder (elder_id) or a volunteer (volunteer_id); a volunteer who
    is an elder is one person, the elder"""
    visible(app().activities.teams.require(team_id))
    on = body.pop("joined_on")
    return teams.join(app(), team_id, body, on)


@teams_blueprint.route("/<team_id>/members/<person>/departure", methods=["POST"])
@requires(*HEADS)
@teams_blueprint.arguments(schemas.DepartureSchema)
@teams_blueprint.response(200, schemas.TeamSchema)
@documented(teams_blueprint, 404, 409, 422)
def leave_team(body: dict[str, Any], team_id: str, person: str) -> Team:
    """A member leaves the team, on a day and for a reason"""
    visible(app().activities.teams.require(team_id))
    return teams.leave(app(), team_id, person, body["on"], body["reason"])


@teams_blueprint.route("/<team_id>/end", methods=["POST"])
@requires(*HEADS)
@teams_blueprint.arguments(schemas.TeamEndSchema)
@teams_blueprint.response(200, schemas.TeamSchema)
@documented(teams_blueprint, 404, 409, 422)
def end_team(body: dict[str, Any], team_id: str) -> Team:
    """The team ends, and every membership with it"""
    visible(app().activities.teams.require(team_id))
    return teams.end(app(), team_id, body["version"], body["on"], body["reason"])


# --- courses


@courses_blueprint.route("", methods=["POST"])
@requires(*HEADS)
@courses_blueprint.arguments(schemas.CourseInSchema)
@courses_blueprint.response(201, schemas.CourseSchema)
@documented(courses_blueprint, 403, 404, 422)
def plan_course(body: dict[str, Any]) -> Course:
    """Plan a course or lecture of a community: organiser, category, dates, capacity, venue"""
    require_community(body["community"])
    return courses.plan(app(), str(uuid.uuid4()), body["community"], body["terms"])


@courses_blueprint.route("")
@requires(*READERS)
@courses_blueprint.arguments(schemas.CourseListArgs, location="query")
@courses_blueprint.response(200, page_schema(schemas.CourseSchema))
def list_courses(args: dict[str, Any]) -> dict[str, Any]:
    """Courses and lectures, by community, organiser, category, or the day they run on"""
    found, total = activity_queries.courses(app(), scoped(args), *paged(args))
    return page(args, found, total)


@courses_blueprint.route("/<course_id>")
@requires(*READERS)
@courses_blueprint.response(200, schemas.CourseSchema)
@documented(courses_blueprint, 404)
def course(course_id: str) -> Course:
    """One course, with its enrolments"""
    return visible(app().activities.courses.require(course_id))


@courses_blueprint.route("/<course_id>/enrolments", methods=["POST"])
@requires(*HEADS)
@courses_blueprint.arguments(schemas.EnrolmentInSchema)
@courses_blueprint.response(200, schemas.CourseSchema)
@documented(courses_blueprint, 404, 409, 422)
def enrol(body: dict[str, Any], course_id: str) -> Course:
    """Enrol an elder or a volunteer, within the course's capacity"""
    visible(app().activities.courses.require(course_id))
    on = body.pop("enrolled_on")
    return courses.enrol(app(), course_id, body, on)


@courses_blueprint.route("/<course_id>/enrolments/<person>/end", methods=["POST"])
@requires(*HEADS)
@courses_blueprint.arguments(schemas.DepartureSchema)
@courses_blueprint.response(200, schemas.CourseSchema)
@documented(courses_blueprint, 404, 409, 422)
def drop(body: dict[str, Any], course_id: str, person: str) -> Course:
    """An enrolment ends before the course does, on a day and for a reason"""
    visible(app().activities.courses.require(course_id))
    return courses.drop(app(), course_id, person, body["on"], body["reason"])


@courses_blueprint.route("/<course_id>/sessions", methods=["POST"])
@requires(*READERS)
@courses_blueprint.arguments(schemas.SessionInSchema)
@courses_blueprint.response(201, schemas.OccasionSchema)
@documented(courses_blueprint, 404, 422)
def hold_session(body: dict[str, Any], course_id: str) -> Occasion:
    """A session of the course, on a day within its dates: its attendance is then ticked"""
    visible(app().activities.courses.require(course_id))
    held_on, by = body.pop("held_on"), actor()
    return occasions.hold_session(app(), str(uuid.uuid4()), course_id, held_on, by, **body)
