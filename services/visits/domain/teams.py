"""Teams (发挥余热, 业余文体队伍): amateur culture and sports teams ("every community has 5 or
more"), elder volunteer service teams, party members' volunteer teams, and mutual-aid groups.
Members are elders of the register and volunteers, each one person however they are named.

A member who dies or leaves the district leaves every team on that day, from intake's events;
a team that ends, ends every membership with it. Memberships are kept, never deleted."""

from dataclasses import dataclass, replace
from datetime import date

from services.visits.domain.participants import Participant
from shared.changes import Change
from shared.errors import Conflict, RuleViolation, check_one_of
from shared.vocabulary import ACTIVITY_TYPES, TEAM_KINDS, VOLUNTEER_SERVICES, VOLUNTEER_TEAM_KINDS

ACTIVE, ENDED = "active", "ended"


@dataclass(frozen=True)
class Membership:
    person: str
    name: str
    joined_on: date
    elder_id: str | None = None
    volunteer_id: str | None = None
    left_on: date | None = None  # the last day they were a member
    left_because: str | None = None

    def on(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)

    def during(self, first: date, last: date) -> bool:
        return self.joined_on <= last and (self.left_on is None or self.left_on >= first)


@dataclass(frozen=True)
class Team:
    team_id: str
    community: str
    kind: str  # TEAM_KINDS
    activity: str  # ACTIVITY_TYPES; for a volunteer team, the service: VOLUNTEER_SERVICES
    name: str
    founded_on: date
    leader: str | None = None  # the leader's name (队长, 组长)
    members: tuple[Membership, ...] = ()
    status: str = ACTIVE
    ended_on: date | None = None
    version: int = 1

    def member(self, person: str) -> Membership | None:
        """The person's membership that has not ended, if any."""
        return next((m for m in self.members if m.person == person and m.left_on is None), None)

    def during(self, first: date, last: date) -> bool:
        return self.founded_on <= last and (self.ended_on is None or self.ended_on >= first)


def in_history(team: Team) -> Team:
    """A team as its history lines show it: the members are kept on the team itself (each
    with the day they joined and left, and why), and each line's summary names who joined or
    left; written again in every line, they would grow the team's history by its square."""
    return replace(team, members=())


def activities_of(kind: str) -> dict[str, str]:
    """What a team of this kind may do: a volunteer team's service, others' activity type."""
    return VOLUNTEER_SERVICES if kind in VOLUNTEER_TEAM_KINDS else ACTIVITY_TYPES


def form(
    team_id: str,
    community: str,
    kind: str,
    activity: str,
    name: str,
    founded_on: date,
    today: date,
    leader: str | None = None,
) -> Change[Team]:
    check_one_of(kind, TEAM_KINDS, "kind", what="a team")
    _check_activity(kind, activity)
    if not name.strip():
        raise RuleViolation("name the team", field="name")
    if founded_on > today:
        raise RuleViolation("founded_on is in the future", field="founded_on")
    leader = (leader or "").strip() or None
    team = Team(team_id, community, kind, activity, name.strip(), founded_on, leader)
    return Change(team, summary=f"formed {team.name}")


def change(team: Team, activity: str, name: str, leader: str | None) -> Change[Team]:
    _require_active(team)
    _check_activity(team.kind, activity)
    if not name.strip():
        raise RuleViolation("name the team", field="name")
    after = replace(
        team,
        activity=activity,
        name=name.strip(),
        leader=(leader or "").strip() or None,
        version=team.version + 1,
    )
    return Change(after, summary="changed")


def join(team: Team, who: Participant, on: date, today: date) -> Change[Team]:
    _require_active(team)
    if on > today:
        raise RuleViolation("joined_on is in the future", field="joined_on")
    if on < team.founded_on:
        raise RuleViolation(
            f"{team.name} was founded on {team.founded_on.isoformat()}: join on or after it",
            field="joined_on",
        )
    who.check_present(on)
    if team.member(who.person) is not None:
        raise Conflict(f"{who.name} is a member of {team.name} already")
    joined = Membership(who.person, who.name, on, who.elder_id, who.volunteer_id)
    after = replace(team, members=(*team.members, joined), version=team.version + 1)
    return Change(after, summary=f"{who.name} joined")


def leave(team: Team, person: str, on: date, because: str) -> Change[Team]:
    membership = team.member(person)
    if membership is None:
        raise RuleViolation(f"{person} is not a member of {team.name}", field="person")
    if on < membership.joined_on:
        raise RuleViolation(
            f"{membership.name} joined on {membership.joined_on.isoformat()}: leave on or after it",
            field="left_on",
        )
    if not because.strip():
        raise RuleViolation("say why they leave", field="reason")
    after = _left(team, {person}, on, because.strip())
    return Change(after, summary=f"{membership.name} left ({because.strip()})")


def part_ways(team: Team, person: str, on: date, because: str) -> Change[Team] | None:
    """The person died or left the district on `on`: their membership ends that day. None if
    they were not a member, or their membership had ended by then."""
    membership = team.member(person)
    if membership is None:
        return None
    after = _left(team, {person}, max(on, membership.joined_on), because)
    return Change(after, summary=f"{membership.name} {because}")


def end(team: Team, on: date, because: str) -> Change[Team]:
    _require_active(team)
    if on < team.founded_on:
        raise RuleViolation("a team ends on or after the day it was founded", field="on")
    if not because.strip():
        raise RuleViolation("say why the team ends", field="reason")
    current = {m.person for m in team.members if m.left_on is None}
    left = _left(team, current, on, "the team ended")
    after = replace(left, status=ENDED, ended_on=on)
    return Change(after, summary=f"ended ({because.strip()})")


def _left(team: Team, people: set[str], on: date, because: str) -> Team:
    members = tuple(
        replace(m, left_on=max(on, m.joined_on), left_because=because)
        if m.person in people and m.left_on is None
        else m
        for m in team.members
    )
    return replace(team, members=members, version=team.version + 1)


def _check_activity(kind: str, activity: str) -> None:
    allowed = activities_of(kind)
    if activity not in allowed:
        raise RuleViolation(
            f"a {kind} team does {', '.join(allowed)}, not {activity!r}", field="activity"
        )


def _require_active(team: Team) -> None:
    if team.status != ACTIVE:
        raise RuleViolation(
            f"{team.name} ended on {team.ended_on}: it takes no more changes", field="team_id"
        )
