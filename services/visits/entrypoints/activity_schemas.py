"""The HTTP contract of learning, activities and teams: request and response bodies."""

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from services.visits.domain.courses import CourseTerms
from services.visits.domain.venues import VenueTerms
from shared.vocabulary import (
    ACTIVITY_TYPES,
    COMMUNITY_POSTS,
    COURSE_KINDS,
    COURSE_ORGANISERS,
    TEAM_KINDS,
    VENUE_KINDS,
    VOLUNTEER_SERVICES,
)
from shared.web.files import ReportFormatArgs
from shared.web.pagination import PageArgs

NAME = validate.Length(min=1, max=200)
TEXT = validate.Length(max=2000)
REASON = validate.Length(min=1, max=500)


def _one_of(words: dict[str, str], what: str) -> fields.String:
    listed = ", ".join(f"{word} ({label})" for word, label in words.items())
    return fields.String(
        required=True, validate=validate.OneOf(tuple(words)), metadata={"description": listed}
    )


def _community() -> fields.String:
    return fields.String(required=True, validate=NAME, metadata={"description": "Community code"})


# --- people


class PersonSchema(Schema):
    """One person: an elder of the register by elder_id, or a volunteer by volunteer_id (the
    elder they also are, if so)."""

    elder_id = fields.String(validate=NAME)
    volunteer_id = fields.String(validate=NAME)


# --- venues


class VenueTermsSchema(Schema):
    name = fields.String(required=True, validate=NAME)
    area_m2 = fields.Float(allow_none=True, load_default=None, metadata={"description": "m²"})
    capacity = fields.Integer(strict=True, allow_none=True, load_default=None)
    periodicals = fields.Integer(
        strict=True, load_default=0, metadata={"description": "Periodicals a reading room takes"}
    )
    equipment = fields.List(
        fields.String(validate=NAME), load_default=list, metadata={"description": "健身器材"}
    )

    @post_load
    def make(self, data: dict[str, Any], **_: object) -> dict[str, Any]:
        terms = VenueTerms(**{**data, "equipment": tuple(data["equipment"])})
        return {"terms": terms}


class VenueInSchema(VenueTermsSchema):
    community = _community()
    kind = _one_of(VENUE_KINDS, "kind")
    opened_on = fields.Date(load_default=None, metadata={"description": "Default: today"})

    @post_load
    def make(self, data: dict[str, Any], **_: object) -> dict[str, Any]:
        fixed = {key: data.pop(key) for key in ("community", "kind", "opened_on")}
        return {**fixed, **super().make(data)}


class VenueChangeSchema(VenueTermsSchema):
    version = fields.Integer(required=True, strict=True)

    @post_load
    def make(self, data: dict[str, Any], **_: object) -> dict[str, Any]:
        version = data.pop("version")
        return {"version": version, **super().make(data)}


class VenueSchema(Schema):
    venue_id = fields.String()
    community = fields.String()
    kind = fields.String()
    name = fields.String()
    opened_on = fields.Date()
    area_m2 = fields.Float(allow_none=True)
    capacity = fields.Integer(allow_none=True)
    periodicals = fields.Integer()
    equipment = fields.List(fields.String())
    status = fields.String(metadata={"description": "open or closed"})
    closed_on = fields.Date(allow_none=True)
    version = fields.Integer()


class VenueListArgs(PageArgs):
    community = fields.String()
    kind = fields.String(validate=validate.OneOf(tuple(VENUE_KINDS)))
    status = fields.String(validate=validate.OneOf(("open", "closed")))


class ClosureSchema(Schema):
    version = fields.Integer(required=True, strict=True)
    on = fields.Date(load_default=None, metadata={"description": "Default: today"})


# --- teams


class TeamInSchema(Schema):
    community = _community()
    kind = _one_of(TEAM_KINDS, "kind")
    activity = fields.String(
        required=True,
        metadata={
            "description": "A volunteer team's service (VOLUNTEER_SERVICES); others' activity "
            "type (ACTIVITY_TYPES)"
        },
    )
    name = fields.String(required=True, validate=NAME)
    founded_on = fields.Date(load_default=None, metadata={"description": "Default: today"})
    leader = fields.String(load_default=None, allow_none=True, validate=NAME)


class TeamChangeSchema(Schema):
    version = fields.Integer(required=True, strict=True)
    activity = fields.String(required=True)
    name = fields.String(required=True, validate=NAME)
    leader = fields.String(load_default=None, allow_none=True, validate=NAME)


class MembershipSchema(Schema):
    person = fields.String(metadata={"description": "elder:<id> or volunteer:<id>: one person"})
    name = fields.String()
    elder_id = fields.String(allow_none=True)
    volunteer_id = fields.String(allow_none=True)
    joined_on = fields.Date()
    left_on = fields.Date(allow_none=True)
    left_because = fields.String(allow_none=True)


class TeamSchema(Schema):
    team_id = fields.String()
    community = fields.String()
    kind = fields.String()
    activity = fields.String()
    name = fields.String()
    founded_on = fields.Date()
    leader = fields.String(allow_none=True)
    members = fields.List(fields.Nested(MembershipSchema))
    status = fields.String(metadata={"description": "active or ended"})
    ended_on = fields.Date(allow_none=True)
    version = fields.Integer()


class TeamListArgs(PageArgs):
    community = fields.String()
    kind = fields.String(validate=validate.OneOf(tuple(TEAM_KINDS)))
    activity = fields.String()
    status = fields.String(validate=validate.OneOf(("active", "ended")))
    person = fields.String(metadata={"description": "Teams this person is or was a member of"})


class MemberInSchema(PersonSchema):
    joined_on = fields.Date(load_default=None, metadata={"description": "Default: today"})


class DepartureSchema(Schema):
    on = fields.Date(load_default=None, metadata={"description": "The last day; default today"})
    reason = fields.String(required=True, validate=REASON)


class TeamEndSchema(DepartureSchema):
    version = fields.Integer(required=True, strict=True)


# --- courses


class CourseInSchema(Schema):
    community = _community()
    organiser = _one_of(COURSE_ORGANISERS, "organiser")
    kind = _one_of(COURSE_KINDS, "kind")
    category = _one_of(ACTIVITY_TYPES, "category")
    name = fields.String(required=True, validate=NAME)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    capacity = fields.Integer(strict=True, load_default=None, allow_none=True)
    venue_id = fields.String(load_default=None, allow_none=True)

    @post_load
    def make(self, data: dict[str, Any], **_: object) -> dict[str, Any]:
        community = data.pop("community")
        return {"community": community, "terms": CourseTerms(**data)}


class EnrolmentSchema(Schema):
    person = fields.String()
    name = fields.String()
    elder_id = fields.String(allow_none=True)
    volunteer_id = fields.String(allow_none=True)
    enrolled_on = fields.Date()
    ended_on = fields.Date(allow_none=True)
    ended_because = fields.String(allow_none=True)


class CourseSchema(Schema):
    course_id = fields.String()
    community = fields.String()
    organiser = fields.String()
    kind = fields.String()
    category = fields.String()
    name = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    capacity = fields.Integer(allow_none=True)
    venue_id = fields.String(allow_none=True)
    enrolments = fields.List(fields.Nested(EnrolmentSchema))
    status = fields.String()
    version = fields.Integer()


class CourseListArgs(PageArgs):
    community = fields.String()
    organiser = fields.String(validate=validate.OneOf(tuple(COURSE_ORGANISERS)))
    category = fields.String(validate=validate.OneOf(tuple(ACTIVITY_TYPES)))
    running_on = fields.Date(metadata={"description": "Courses running on this day"})


class EnrolmentInSchema(PersonSchema):
    enrolled_on = fields.Date(load_default=None, metadata={"description": "Default: today"})


class SessionInSchema(Schema):
    held_on = fields.Date(required=True)
    venue_id = fields.String(load_default=None, allow_none=True)
    title = fields.String(load_default="", validate=validate.Length(max=200))


# --- occasions and attendance


class ActivityInSchema(Schema):
    community = _community()
    title = fields.String(required=True, validate=NAME)
    category = _one_of(ACTIVITY_TYPES, "category")
    held_on = fields.Date(required=True)
    team_id = fields.String(load_default=None, allow_none=True)
    venue_id = fields.String(load_default=None, allow_none=True)
    head_count = fields.Integer(
        strict=True,
        load_default=None,
        allow_none=True,
        metadata={"description": "An open event: the head count, and no names taken"},
    )


class AttendeeSchema(Schema):
    person = fields.String(metadata={"description": "elder:<id> or volunteer:<id>: one person"})
    name = fields.String()
    elder_id = fields.String(allow_none=True)
    volunteer_id = fields.String(allow_none=True)
    recorded_by = fields.String()
    recorded_at = fields.AwareDateTime()


class OccasionSchema(Schema):
    occasion_id = fields.String()
    community = fields.String()
    kind = fields.String(metadata={"description": "session (of a course or lecture) or activity"})
    title = fields.String()
    held_on = fields.Date()
    category = fields.String()
    recorded_by = fields.String()
    venue_id = fields.String(allow_none=True)
    course_id = fields.String(allow_none=True)
    team_id = fields.String(allow_none=True)
    head_count = fields.Integer(allow_none=True)
    attendance = fields.List(fields.Nested(AttendeeSchema), metadata={"description": "Who came"})
    person_times = fields.Integer(metadata={"description": "Those who came, or the head count"})
    version = fields.Integer()


class OccasionListArgs(PageArgs):
    community = fields.String()
    kind = fields.String(validate=validate.OneOf(("session", "activity")))
    course_id = fields.String()
    team_id = fields.String()
    held_from = fields.Date()
    held_to = fields.Date()


class AttendanceInSchema(Schema):
    people = fields.List(
        fields.Nested(PersonSchema),
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "Everyone who came: recorded once each, ticked again or not"},
    )


class AttendanceAnswerSchema(Schema):
    occasion = fields.Nested(OccasionSchema, metadata={"description": "As it now stands"})
    recorded = fields.List(fields.Nested(AttendeeSchema), metadata={"description": "New"})
    already = fields.List(
        fields.Nested(AttendeeSchema), metadata={"description": "On the record before: unchanged"}
    )


# --- volunteer service and posts


class ServiceHoursInSchema(PersonSchema):
    community = _community()
    service = _one_of(VOLUNTEER_SERVICES, "service")
    served_on = fields.Date(required=True)
    hours = fields.Float(required=True, metadata={"description": "In half hours, at most 24"})
    team_id = fields.String(load_default=None, allow_none=True)
    note = fields.String(load_default=None, allow_none=True, validate=TEXT)


class ServiceHoursSchema(Schema):
    service_id = fields.String()
    community = fields.String()
    person = fields.String()
    name = fields.String()
    service = fields.String()
    served_on = fields.Date()
    hours = fields.Float()
    recorded_by = fields.String()
    elder_id = fields.String(allow_none=True)
    volunteer_id = fields.String(allow_none=True)
    team_id = fields.String(allow_none=True)
    note = fields.String(allow_none=True)


class ServiceHoursListArgs(PageArgs):
    community = fields.String()
    person = fields.String()
    service = fields.String(validate=validate.OneOf(tuple(VOLUNTEER_SERVICES)))
    served_from = fields.Date()
    served_to = fields.Date()


class PostInSchema(Schema):
    elder_id = fields.String(required=True, validate=NAME)
    community = _community()
    post = _one_of(COMMUNITY_POSTS, "post")
    since = fields.Date(load_default=None, metadata={"description": "Default: today"})
    detail = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={"description": "The school and class of a class pairing"},
    )


class PostSchema(Schema):
    post_id = fields.String()
    community = fields.String()
    person = fields.String()
    elder_id = fields.String()
    name = fields.String()
    post = fields.String()
    since = fields.Date()
    detail = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "held or ended"})
    until = fields.Date(allow_none=True)
    ended_because = fields.String(allow_none=True)
    version = fields.Integer()


class PostListArgs(PageArgs):
    community = fields.String()
    post = fields.String(validate=validate.OneOf(tuple(COMMUNITY_POSTS)))
    status = fields.String(validate=validate.OneOf(("held", "ended")))
    person = fields.String()


class PostEndSchema(DepartureSchema):
    version = fields.Integer(required=True, strict=True)


# --- an elder's part, and the figures


class TeamPartSchema(Schema):
    team_id = fields.String()
    name = fields.String()
    kind = fields.String()
    activity = fields.String()
    joined_on = fields.Date()
    left_on = fields.Date(allow_none=True)


class CoursePartSchema(Schema):
    course_id = fields.String()
    name = fields.String()
    organiser = fields.String()
    category = fields.String()
    enrolled_on = fields.Date()
    ended_on = fields.Date(allow_none=True)


class ElderActivitiesSchema(Schema):
    elder_id = fields.String()
    person = fields.String()
    teams = fields.List(fields.Nested(TeamPartSchema), metadata={"description": "Each membership"})
    courses = fields.List(fields.Nested(CoursePartSchema), metadata={"description": "Enrolments"})
    posts = fields.List(fields.Nested(PostSchema))
    service_hours = fields.Float(metadata={"description": "Volunteer hours served, all told"})
    attended = fields.Integer(metadata={"description": "Occasions attended"})


class ActivityFiguresArgs(ReportFormatArgs):
    first = fields.Date(required=True, metadata={"description": "The period's first day"})
    last = fields.Date(required=True, metadata={"description": "The period's last day"})
    community = fields.String()


class ActivityFiguresSchema(Schema):
    first = fields.Date()
    last = fields.Date()
    district = fields.Dict(
        metadata={"description": "Teams, courses, activities, volunteer service, venues, posts"}
    )
    communities = fields.List(fields.Dict())
