"""An elder's part in the community's activities: their teams, courses and posts, the hours of
volunteer service they gave and the occasions they attended, as their page shows them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.visits.domain.participants import person_of_elder
from services.visits.domain.volunteering import CommunityPost
from services.visits.service_layer.container import Visits


@dataclass(frozen=True)
class TeamPart:
    team_id: str
    name: str
    kind: str
    activity: str
    joined_on: date
    left_on: date | None


@dataclass(frozen=True)
class CoursePart:
    course_id: str
    name: str
    organiser: str
    category: str
    enrolled_on: date
    ended_on: date | None


@dataclass(frozen=True)
class ElderActivities:
    elder_id: str
    person: str
    teams: list[TeamPart]
    courses: list[CoursePart]
    posts: list[CommunityPost]
    service_hours: float
    attended: int


def elder_activities(visits: Visits, elder_id: str) -> ElderActivities:
    person = person_of_elder(elder_id)
    stores = visits.activities
    teams = [
        TeamPart(t.team_id, t.name, t.kind, t.activity, m.joined_on, m.left_on)
        for t in stores.teams.each({"members.person": person})
        for m in t.members
        if m.person == person
    ]
    courses = [
        CoursePart(c.course_id, c.name, c.organiser, c.category, e.enrolled_on, e.ended_on)
        for c in stores.courses.each({"enrolments.person": person})
        for e in c.enrolments
        if e.person == person
    ]
    return ElderActivities(
        elder_id,
        person,
        teams,
        courses,
        list(stores.posts.each({"person": person})),
        sum(h.hours for h in stores.service_hours.each({"person": person})),
        sum(1 for _ in stores.occasions.each({"attendance.person": person})),
    )
