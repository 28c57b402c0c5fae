"""The figures of learning, activities and teams that the field reports quote, for a period:
teams by kind and activity with their members; courses, enrolments and person-times by
category; activities held and their person-times; volunteer hours by service; venues by kind
and area; posts held by elders. People are counted once however many teams or courses they are
in ("an elder who is a volunteer is one person"); person-times (人次) count each attendance and
each head of an open event."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.visits.domain.courses import Course
from services.visits.domain.occasions import ACTIVITY, Occasion
from services.visits.domain.teams import Team
from services.visits.domain.venues import Venue
from services.visits.domain.volunteering import CommunityPost, ServiceHours


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    def holds(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass
class Records:
    """Everything of one scope (a community, or the district) that the period may count."""

    teams: list[Team] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    occasions: list[Occasion] = field(default_factory=list)
    hours: list[ServiceHours] = field(default_factory=list)
    venues: list[Venue] = field(default_factory=list)
    posts: list[CommunityPost] = field(default_factory=list)

    def of(self, community: str) -> "Records":
        def mine(items: Iterable[Any]) -> list[Any]:
            return [item for item in items if item.community == community]

        return Records(
            mine(self.teams),
            mine(self.courses),
            mine(self.occasions),
            mine(self.hours),
            mine(self.venues),
            mine(self.posts),
        )


def figures(records: Records, period: Period) -> dict[str, Any]:
    occasions = [o for o in records.occasions if period.holds(o.held_on)]
    came = {a.person for o in occasions for a in o.attendance}
    return {
        "teams": _teams(records.teams, period),
        "courses": _courses(records.courses, occasions, period),
        "activities": _activities(occasions),
        "volunteer_service": _hours(records.hours, period),
        "venues": _venues(records.venues, period.last),
        "posts": _posts(records.posts, period),
        "person_times": sum(o.person_times for o in occasions),
        "people_taking_part": len(came | _members(records.teams, period)),
    }


def _members(teams: Iterable[Team], period: Period) -> set[str]:
    return {
        m.person
        for team in teams
        for m in team.members
        if team.during(period.first, period.last) and m.during(period.first, period.last)
    }


def _teams(teams: list[Team], period: Period) -> dict[str, Any]:
    held = [t for t in teams if t.during(period.first, period.last)]
    by_kind: dict[str, list[Team]] = defaultdict(list)
    by_activity: dict[str, list[Team]] = defaultdict(list)
    for team in held:
        by_kind[team.kind].append(team)
        by_activity[team.activity].append(team)

    def counted(group: list[Team]) -> dict[str, int]:
        return {"teams": len(group), "members": len(_members(group, period))}

    return {
        "total": counted(held),
        "by_kind": {kind: counted(group) for kind, group in sorted(by_kind.items())},
        "by_activity": {name: counted(group) for name, group in sorted(by_activity.items())},
    }


def _courses(courses: list[Course], occasions: list[Occasion], period: Period) -> dict[str, Any]:
    rows: dict[str, dict[str, int]] = defaultdict(
        lambda: {"courses": 0, "enrolments": 0, "sessions": 0, "person_times": 0}
    )
    for course in courses:
        if course.during(period.first, period.last):
            row = rows[course.category]
            row["courses"] += 1
            row["enrolments"] += sum(
                1 for e in course.enrolments if e.during(period.first, period.last)
            )
    for occasion in occasions:
        if occasion.course_id is not None:
            rows[occasion.category]["sessions"] += 1
            rows[occasion.category]["person_times"] += occasion.person_times
    return _with_total(rows, ("courses", "enrolments", "sessions", "person_times"))


def _activities(occasions: list[Occasion]) -> dict[str, Any]:
    rows: dict[str, dict[str, int]] = defaultdict(
        lambda: {"held": 0, "open_events": 0, "person_times": 0}
    )
    for occasion in occasions:
        if occasion.kind == ACTIVITY:
            row = rows[occasion.category]
            row["held"] += 1
            row["open_events"] += occasion.head_count is not None
            row["person_times"] += occasion.person_times
    return _with_total(rows, ("held", "open_events", "person_times"))


def _hours(hours: list[ServiceHours], period: Period) -> dict[str, Any]:
    served = [h for h in hours if period.holds(h.served_on)]
    by_service: dict[str, list[ServiceHours]] = defaultdict(list)
    for item in served:
        by_service[item.service].append(item)

    def counted(group: list[ServiceHours]) -> dict[str, Any]:
        return {
            "hours": sum(h.hours for h in group),
            "people": len({h.person for h in group}),
            "times": len(group),
        }

    return {
        "total": counted(served),
        "by_service": {name: counted(group) for name, group in sorted(by_service.items())},
    }


def _venues(venues: list[Venue], on: date) -> dict[str, Any]:
    rows: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"venues": 0, "area_m2": 0.0, "periodicals": 0}
    )
    for venue in venues:
        if venue.open_on(on):
            row = rows[venue.kind]
            row["venues"] += 1
            row["area_m2"] += venue.area_m2 or 0.0
            row["periodicals"] += venue.periodicals
    return _with_total(rows, ("venues", "area_m2", "periodicals"))


def _posts(posts: list[CommunityPost], period: Period) -> dict[str, Any]:
    rows: dict[str, dict[str, int]] = defaultdict(lambda: {"held": 0})
    for post in posts:
        if post.during(period.first, period.last):
            rows[post.post]["held"] += 1
    return _with_total(rows, ("held",))


def _with_total(rows: dict[str, dict[str, Any]], columns: tuple[str, ...]) -> dict[str, Any]:
    return {
        "total": {column: sum(row[column] for row in rows.values()) for column in columns},
        "by_category": dict(sorted(rows.items())),
    }
