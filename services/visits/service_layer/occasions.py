"""Use cases of occasions: hold a course's session or an activity, and record who came."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from services.visits.domain import occasions as rules
from services.visits.domain.occasions import Occasion, Ticked
from services.visits.service_layer.container import Visits
from services.visits.service_layer.participants import participants
from services.visits.service_layer.records import commit, create
from services.visits.service_layer.venues import venue_of
from shared.audit import Actor
from shared.clock import local_today
from shared.errors import Conflict

ATTEMPTS = 3  # ticked by others meanwhile: tried again on the occasion as it then is


def hold_session(
    visits: Visits,
    occasion_id: str,
    course_id: str,
    held_on: date,
    by: Actor,
    venue_id: str | None = None,
    title: str = "",
) -> Occasion:
    course = visits.activities.courses.require(course_id)
    change = rules.hold_session(
        occasion_id, course, held_on, venue_of(visits, venue_id), by.user, title
    )
    create(visits, visits.activities.occasions, change)
    return change.after


def hold_activity(
    visits: Visits,
    occasion_id: str,
    community: str,
    title: str,
    category: str,
    held_on: date,
    by: Actor,
    team_id: str | None = None,
    venue_id: str | None = None,
    head_count: int | None = None,
) -> Occasion:
    team = visits.activities.teams.require(team_id) if team_id else None
    change = rules.hold_activity(
        occasion_id,
        community,
        title,
        category,
        held_on,
        by.user,
        team,
        venue_of(visits, venue_id),
        head_count,
    )
    create(visits, visits.activities.occasions, change)
    return change.after


def record_attendance(
    visits: Visits, occasion_id: str, named: list[Mapping[str, str | None]], by: Actor
) -> Ticked:
    """Everyone ticked, or no one: each person is checked before any is written, and all go
    on the occasion in one write (done again on the occasion as it then is, if someone else
    ticked others meanwhile)."""
    people = participants(visits, named)
    today = local_today(visits.clock, visits.settings.zone)
    for attempt in range(ATTEMPTS):
        occasion = visits.activities.occasions.require(occasion_id)
        courses = visits.activities.courses
        course = courses.require(occasion.course_id) if occasion.course_id else None
        ticked = rules.attend(occasion, people, course, today, by.user, visits.clock.now())
        try:
            commit(visits, visits.activities.occasions, occasion, ticked.change)
        except Conflict:
            if attempt == ATTEMPTS - 1:
                raise
            continue
        return ticked
    raise AssertionError("unreachable")
