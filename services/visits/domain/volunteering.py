"""Elders serving the community (发挥余热): hours of volunteer service, by the person, their team
and the kind of service; and the posts elders hold (居委会委员, 居民小组长, 治安巡逻, 民事调解),
their pairings with school classes ("17 elders with 17 classes") among them."""

from dataclasses import dataclass, replace
from datetime import date

from services.visits.domain.participants import Participant
from services.visits.domain.teams import Team
from shared.changes import Change
from shared.errors import RuleViolation, check_one_of
from shared.vocabulary import COMMUNITY_POSTS, VOLUNTEER_SERVICES

MAX_HOURS_A_DAY = 24.0
CLASS_PAIRING = "class_pairing"
HELD, ENDED = "held", "ended"


@dataclass(frozen=True)
class ServiceHours:
    service_id: str
    community: str
    person: str
    name: str
    service: str  # VOLUNTEER_SERVICES
    served_on: date
    hours: float
    recorded_by: str
    elder_id: str | None = None
    volunteer_id: str | None = None
    team_id: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class CommunityPost:
    post_id: str
    community: str
    person: str
    elder_id: str
    name: str
    post: str  # COMMUNITY_POSTS
    since: date
    detail: str | None = None  # the school and class of a class pairing
    status: str = HELD
    until: date | None = None
    ended_because: str | None = None
    version: int = 1

    def during(self, first: date, last: date) -> bool:
        return self.since <= last and (self.until is None or self.until >= first)


def serve(
    service_id: str,
    who: Participant,
    community: str,
    service: str,
    served_on: date,
    hours: float,
    today: date,
    recorded_by: str,
    team: Team | None = None,
    note: str | None = None,
) -> ServiceHours:
    check_one_of(service, VOLUNTEER_SERVICES, "service")
    if served_on > today:
        raise RuleViolation("served_on is in the future", field="served_on")
    if not 0 < hours <= MAX_HOURS_A_DAY or hours * 2 != int(hours * 2):
        raise RuleViolation(
            "hours are counted in half hours, more than 0 and at most 24 a day", field="hours"
        )
    who.check_present(served_on)
    if team is not None and team.community != community:
        raise RuleViolation(
            f"{team.name} is a team of {team.community}, not of {community}", field="team_id"
        )
    if team is not None and not team.during(served_on, served_on):
        raise RuleViolation(f"{team.name} is not a team on {served_on}", field="team_id")
    return ServiceHours(
        service_id,
        community,
        who.person,
        who.name,
        service,
        served_on,
        hours,
        recorded_by,
        who.elder_id,
        who.volunteer_id,
        team.team_id if team else None,
        (note or "").strip() or None,
    )


def take_post(
    post_id: str,
    who: Participant,
    community: str,
    post: str,
    since: date,
    today: date,
    detail: str | None = None,
) -> Change[CommunityPost]:
    if who.elder_id is None:
        raise RuleViolation(
            "a community post is held by an elder of the register", field="elder_id"
        )
    check_one_of(post, COMMUNITY_POSTS, "post")
    if since > today:
        raise RuleViolation("since is in the future", field="since")
    detail = (detail or "").strip() or None
    if post == CLASS_PAIRING and detail is None:
        raise RuleViolation("name the school and class the elder is paired with", field="detail")
    who.check_present(since)
    elder_id = who.elder_id
    held = CommunityPost(post_id, community, who.person, elder_id, who.name, post, since, detail)
    return Change(held, summary=f"{who.name} took the post {post}")


def leave_post(held: CommunityPost, on: date, because: str) -> Change[CommunityPost]:
    if held.status != HELD:
        raise RuleViolation(f"the post ended on {held.until}", field="post_id")
    if on < held.since:
        raise RuleViolation("a post ends on or after the day it was taken", field="on")
    if not because.strip():
        raise RuleViolation("say why the post ends", field="reason")
    after = replace(
        held, status=ENDED, until=on, ended_because=because.strip(), version=held.version + 1
    )
    return Change(after, summary=f"ended ({because.strip()})")


def part_ways(held: CommunityPost, on: date, because: str) -> Change[CommunityPost] | None:
    """The elder died or left the district on `on`: the post ends that day."""
    if held.status != HELD:
        return None
    after = replace(
        held,
        status=ENDED,
        until=max(on, held.since),
        ended_because=because,
        version=held.version + 1,
    )
    return Change(after, summary=because)
