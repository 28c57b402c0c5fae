"""Use cases of courses and lectures: plan one, enrol a person, end an enrolment."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from services.visits.domain import courses as rules
from services.visits.domain.courses import Course, CourseTerms
from services.visits.service_layer.container import Visits
from services.visits.service_layer.participants import participant
from services.visits.service_layer.records import commit, create
from services.visits.service_layer.venues import venue_of
from shared.clock import local_today


def plan(visits: Visits, course_id: str, community: str, terms: CourseTerms) -> Course:
    change = rules.plan(course_id, community, terms, venue_of(visits, terms.venue_id))
    create(visits, visits.activities.courses, change)
    return change.after


def enrol(
    visits: Visits, course_id: str, named: Mapping[str, str | None], on: date | None = None
) -> Course:
    course = visits.activities.courses.require(course_id)
    who = participant(visits, named)
    day = on or local_today(visits.clock, visits.settings.zone)
    return commit(visits, visits.activities.courses, course, rules.enrol(course, who, day))


def drop(visits: Visits, course_id: str, person: str, on: date | None, because: str) -> Course:
    course = visits.activities.courses.require(course_id)
    day = on or local_today(visits.clock, visits.settings.zone)
    change = rules.drop(course, person, day, because)
    return commit(visits, visits.activities.courses, course, change)
