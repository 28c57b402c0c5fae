"""Occasions and who came to them: a session of a course or a lecture, or an activity of a team
or of the community (健康知识讲座, 老少同乐, 老年人体育运动会, …). Attendance is named, ticked
from a list, and counted once per person and occasion; an open event is counted by head
instead, and marked so. The reports count both as person-times (人次).

Who came is kept on the occasion itself: ticking is one write of one document, a person ticked
again is there already, and the figures read an occasion, not each attendance."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from services.visits.domain.courses import COURSE, Course, check_session_day
from services.visits.domain.participants import Participant
from services.visits.domain.teams import Team
from services.visits.domain.venues import Venue, check_in_community
from shared.changes import Change
from shared.errors import RuleViolation, check_one_of
from shared.vocabulary import ACTIVITY_TYPES

SESSION, ACTIVITY = "session", "activity"


@dataclass(frozen=True)
class Attendee:
    person: str
    name: str
    recorded_by: str
    recorded_at: datetime
    elder_id: str | None = None
    volunteer_id: str | None = None


@dataclass(frozen=True)
class Occasion:
    occasion_id: str
    community: str
    kind: str  # session (of a course or lecture) or activity
    title: str
    held_on: date
    category: str  # ACTIVITY_TYPES: the course's category, or what the activity was
    recorded_by: str
    venue_id: str | None = None
    course_id: str | None = None
    team_id: str | None = None
    head_count: int | None = None  # an open event, counted by head: no names taken
    attendance: tuple[Attendee, ...] = ()  # who came, each once
    version: int = 1

    def came(self, person: str) -> bool:
        return any(a.person == person for a in self.attendance)

    @property
    def person_times(self) -> int:
        return len(self.attendance) + (self.head_count or 0)


@dataclass(frozen=True)
class Ticked:
    """What ticking did: the occasion after, those newly recorded, and those on it before."""

    change: Change[Occasion]
    recorded: list[Attendee]
    already: list[Attendee]


def in_history(occasion: Occasion) -> Occasion:
    """An occasion as its history lines show it: who came is kept on the occasion itself,
    each with who ticked them and when, and each line's summary names them."""
    return replace(occasion, attendance=())


def hold_session(
    occasion_id: str,
    course: Course,
    held_on: date,
    venue: Venue | None,
    recorded_by: str,
    title: str = "",
) -> Change[Occasion]:
    check_session_day(course, held_on)
    if venue is not None:
        check_in_community(venue, course.community, held_on)
    occasion = Occasion(
        occasion_id,
        course.community,
        SESSION,
        title.strip() or course.name,
        held_on,
        course.category,
        recorded_by,
        venue.venue_id if venue else course.venue_id,
        course_id=course.course_id,
    )
    return Change(occasion, summary=f"session of {course.name} on {held_on.isoformat()}")


def hold_activity(
    occasion_id: str,
    community: str,
    title: str,
    category: str,
    held_on: date,
    recorded_by: str,
    team: Team | None = None,
    venue: Venue | None = None,
    head_count: int | None = None,
) -> Change[Occasion]:
    check_one_of(category, ACTIVITY_TYPES, "category")
    if not title.strip():
        raise RuleViolation("say what the activity is", field="title")
    if team is not None:
        if team.community != community:
            raise RuleViolation(
                f"{team.name} is a team of {team.community}, not of {community}", field="team_id"
            )
        if not team.during(held_on, held_on):
            raise RuleViolation(f"{team.name} is not a team on {held_on}", field="team_id")
    if venue is not None:
        check_in_community(venue, community, held_on)
    if head_count is not None and head_count < 1:
        raise RuleViolation("an open event's head count is at least 1", field="head_count")
    occasion = Occasion(
        occasion_id,
        community,
        ACTIVITY,
        title.strip(),
        held_on,
        category,
        recorded_by,
        venue.venue_id if venue else None,
        team_id=team.team_id if team else None,
        head_count=head_count,
    )
    return Change(occasion, summary=f"{occasion.title} on {held_on.isoformat()}")


def attend(
    occasion: Occasion,
    people: Sequence[Participant],
    course: Course | None,
    today: date,
    by: str,
    at: datetime,
) -> Ticked:
    """Who came, as the worker ticks them, each checked before any is recorded: refused for
    an open event (counted by head), an occasion not yet held, a person gone by then, or, at
    a course's session, one not enrolled. Those ticked before are left as they are."""
    if not people:
        raise RuleViolation("tick at least one person who came", field="people")
    for who in people:
        _check_attendee(occasion, who, course, today)
    recorded = [
        Attendee(who.person, who.name, by, at, who.elder_id, who.volunteer_id)
        for who in people
        if not occasion.came(who.person)
    ]
    ticked = {who.person for who in people}
    already = [a for a in occasion.attendance if a.person in ticked]
    if not recorded:
        return Ticked(Change(occasion), [], already)
    after = replace(
        occasion, attendance=(*occasion.attendance, *recorded), version=occasion.version + 1
    )
    names = "、".join(a.name for a in recorded)
    return Ticked(Change(after, summary=f"ticked as come: {names}"), recorded, already)


def _check_attendee(
    occasion: Occasion, who: Participant, course: Course | None, today: date
) -> None:
    if occasion.head_count is not None:
        raise RuleViolation(
            f"{occasion.title} is an open event, counted by head ({occasion.head_count}): it "
            "takes no names",
            field="people",
        )
    if occasion.held_on > today:
        raise RuleViolation(
            f"{occasion.title} is held on {occasion.held_on.isoformat()}: attendance is "
            "recorded once it is held",
            field="people",
        )
    who.check_present(occasion.held_on)
    if course is not None and course.kind == COURSE:
        day = occasion.held_on
        if not any(e.person == who.person and e.on(day) for e in course.enrolments):
            raise RuleViolation(
                f"{who.name} is not enrolled in {course.name} on {occasion.held_on.isoformat()}",
                field="people",
            )
