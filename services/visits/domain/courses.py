"""Courses and lectures (老年人学习): the elder TV university ("14 classes"), the elder university
and school, the citizens' school, and the community's own courses and health lectures, in
about ten categories (舞蹈, 歌咏, 书法, …). A course runs between two dates, at a venue of its
community, with a capacity; elders and volunteers enrol, and its sessions take attendance
(`occasions`). A lecture is open to all: it takes no enrolment."""

from dataclasses import dataclass, replace
from datetime import date

from services.visits.domain.participants import Participant
from services.visits.domain.venues import Venue, check_in_community
from shared.changes import Change
from shared.errors import Conflict, RuleViolation, check_one_of
from shared.vocabulary import ACTIVITY_TYPES, COURSE_KINDS, COURSE_ORGANISERS

ACTIVE, ENDED = "active", "ended"
COURSE, LECTURE = "course", "lecture"


@dataclass(frozen=True)
class Enrolment:
    person: str
    name: str
    enrolled_on: date
    elder_id: str | None = None
    volunteer_id: str | None = None
    ended_on: date | None = None  # the last day of the enrolment, if it ended early
    ended_because: str | None = None

    def on(self, day: date) -> bool:
        return self.enrolled_on <= day and (self.ended_on is None or day <= self.ended_on)

    def during(self, first: date, last: date) -> bool:
        return self.enrolled_on <= last and (self.ended_on is None or self.ended_on >= first)


@dataclass(frozen=True)
class CourseTerms:
    """What the community head gives a course."""

    organiser: str  # COURSE_ORGANISERS
    kind: str  # COURSE_KINDS
    category: str  # ACTIVITY_TYPES
    name: str
    starts_on: date
    ends_on: date
    capacity: int | None = None  # places; None: as many as come
    venue_id: str | None = None


@dataclass(frozen=True)
class Course:
    course_id: str
    community: str
    organiser: str
    kind: str
    category: str
    name: str
    starts_on: date
    ends_on: date
    capacity: int | None = None
    venue_id: str | None = None
    enrolments: tuple[Enrolment, ...] = ()
    status: str = ACTIVE
    version: int = 1

    def enrolment(self, person: str) -> Enrolment | None:
        return next((e for e in self.enrolments if e.person == person and e.ended_on is None), None)

    def enrolled(self) -> list[Enrolment]:
        return [e for e in self.enrolments if e.ended_on is None]

    def runs_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def during(self, first: date, last: date) -> bool:
        return self.starts_on <= last and self.ends_on >= first


def in_history(course: Course) -> Course:
    """A course as its history lines show it: its enrolments are kept on the course itself,
    and each line's summary names who enrolled or left (see `teams.in_history`)."""
    return replace(course, enrolments=())


def plan(course_id: str, community: str, terms: CourseTerms, venue: Venue | None) -> Change[Course]:
    _check_terms(terms, community, venue)
    course = Course(
        course_id,
        community,
        terms.organiser,
        terms.kind,
        terms.category,
        terms.name.strip(),
        terms.starts_on,
        terms.ends_on,
        terms.capacity,
        terms.venue_id,
    )
    return Change(course, summary=f"planned {course.name}")


def enrol(course: Course, who: Participant, on: date) -> Change[Course]:
    _require_active(course)
    if course.kind == LECTURE:
        raise RuleViolation(f"{course.name} is a lecture, open to all: no one enrols", field="kind")
    if on > course.ends_on:
        raise RuleViolation(
            f"{course.name} ended on {course.ends_on.isoformat()}: no one enrols after it",
            field="enrolled_on",
        )
    who.check_present(on)
    if course.enrolment(who.person) is not None:
        raise Conflict(f"{who.name} is enrolled in {course.name} already")
    taken = len(course.enrolled())
    if course.capacity is not None and taken >= course.capacity:
        raise RuleViolation(
            f"{course.name} is full: {taken} of its {course.capacity} places are taken",
            field="capacity",
        )
    enrolment = Enrolment(who.person, who.name, on, who.elder_id, who.volunteer_id)
    after = replace(course, enrolments=(*course.enrolments, enrolment), version=course.version + 1)
    return Change(after, summary=f"{who.name} enrolled")


def drop(course: Course, person: str, on: date, because: str) -> Change[Course]:
    enrolment = course.enrolment(person)
    if enrolment is None:
        raise RuleViolation(f"{person} is not enrolled in {course.name}", field="person")
    if not because.strip():
        raise RuleViolation("say why the enrolment ends", field="reason")
    after = _ended(course, person, max(on, enrolment.enrolled_on), because.strip())
    return Change(after, summary=f"{enrolment.name} left the course ({because.strip()})")


def part_ways(course: Course, person: str, on: date, because: str) -> Change[Course] | None:
    """The person died or left the district on `on`: their enrolment ends that day. None if
    they were not enrolled."""
    enrolment = course.enrolment(person)
    if enrolment is None:
        return None
    after = _ended(course, person, max(on, enrolment.enrolled_on), because)
    return Change(after, summary=f"{enrolment.name} {because}")


def check_session_day(course: Course, day: date) -> None:
    if not course.runs_on(day):
        raise RuleViolation(
            f"{course.name} runs from {course.starts_on.isoformat()} to "
            f"{course.ends_on.isoformat()}: a session on {day.isoformat()} is outside it",
            field="held_on",
        )


def _ended(course: Course, person: str, on: date, because: str) -> Course:
    enrolments = tuple(
        replace(e, ended_on=on, ended_because=because)
        if e.person == person and e.ended_on is None
        else e
        for e in course.enrolments
    )
    return replace(course, enrolments=enrolments, version=course.version + 1)


def _check_terms(terms: CourseTerms, community: str, venue: Venue | None) -> None:
    for value, allowed, name in (
        (terms.organiser, COURSE_ORGANISERS, "organiser"),
        (terms.kind, COURSE_KINDS, "kind"),
        (terms.category, ACTIVITY_TYPES, "category"),
    ):
        check_one_of(value, allowed, name)
    if not terms.name.strip():
        raise RuleViolation("name the course", field="name")
    if terms.ends_on < terms.starts_on:
        raise RuleViolation("a course ends on or after the day it starts", field="ends_on")
    if terms.capacity is not None and terms.capacity < 1:
        raise RuleViolation("capacity is the places it has, at least 1", field="capacity")
    if venue is not None:
        check_in_community(venue, community, terms.starts_on)


def _require_active(course: Course) -> None:
    if course.status != ACTIVE:
        raise RuleViolation(f"{course.name} was cancelled", field="course_id")
