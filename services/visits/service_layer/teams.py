"""Use cases of teams (文体队伍, 志愿服务队, 互助小组): form one, change it, take members in and
let them go, end it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from services.visits.domain import teams as rules
from services.visits.domain.teams import Team
from services.visits.service_layer.container import Visits
from services.visits.service_layer.participants import participant
from services.visits.service_layer.records import commit, create
from shared.changes import Change
from shared.clock import local_today
from shared.stores import at_version


def form(
    visits: Visits,
    team_id: str,
    community: str,
    kind: str,
    activity: str,
    name: str,
    founded_on: date | None = None,
    leader: str | None = None,
) -> Team:
    today = _today(visits)
    change = rules.form(
        team_id, community, kind, activity, name, founded_on or today, today, leader
    )
    create(visits, visits.activities.teams, change)
    return change.after


def change(
    visits: Visits, team_id: str, version: int, activity: str, name: str, leader: str | None
) -> Team:
    team = at_version(visits.activities.teams, team_id, version)
    return _commit(visits, team, rules.change(team, activity, name, leader))


def join(
    visits: Visits, team_id: str, named: Mapping[str, str | None], on: date | None = None
) -> Team:
    team = visits.activities.teams.require(team_id)
    who = participant(visits, named)
    today = _today(visits)
    return _commit(visits, team, rules.join(team, who, on or today, today))


def leave(visits: Visits, team_id: str, person: str, on: date | None, because: str) -> Team:
    team = visits.activities.teams.require(team_id)
    return _commit(visits, team, rules.leave(team, person, on or _today(visits), because))


def end(visits: Visits, team_id: str, version: int, on: date | None, because: str) -> Team:
    team = at_version(visits.activities.teams, team_id, version)
    return _commit(visits, team, rules.end(team, on or _today(visits), because))


def _commit(visits: Visits, team: Team, change: Change[Team]) -> Team:
    return commit(visits, visits.activities.teams, team, change)


def _today(visits: Visits) -> date:
    return local_today(visits.clock, visits.settings.zone)
