"""Use cases of elders serving the community: record hours of volunteer service, and the
posts elders hold (居委会委员, 居民小组长, …, a school class paired)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from services.visits.domain import volunteering as rules
from services.visits.domain.volunteering import CommunityPost, ServiceHours
from services.visits.service_layer.container import Visits
from services.visits.service_layer.participants import participant
from services.visits.service_layer.records import commit, create
from shared.audit import Actor
from shared.changes import Change
from shared.clock import local_today
from shared.stores import at_version


def serve(
    visits: Visits,
    service_id: str,
    named: Mapping[str, str | None],
    community: str,
    service: str,
    served_on: date,
    hours: float,
    by: Actor,
    team_id: str | None = None,
    note: str | None = None,
) -> ServiceHours:
    team = visits.activities.teams.require(team_id) if team_id else None
    served = rules.serve(
        service_id,
        participant(visits, named),
        community,
        service,
        served_on,
        hours,
        local_today(visits.clock, visits.settings.zone),
        by.user,
        team,
        note,
    )
    create(visits, visits.activities.service_hours, Change(served))
    return served


def take_post(
    visits: Visits,
    post_id: str,
    elder_id: str,
    community: str,
    post: str,
    since: date | None = None,
    detail: str | None = None,
) -> CommunityPost:
    today = local_today(visits.clock, visits.settings.zone)
    who = participant(visits, {"elder_id": elder_id})
    change = rules.take_post(post_id, who, community, post, since or today, today, detail)
    create(visits, visits.activities.posts, change)
    return change.after


def leave_post(
    visits: Visits, post_id: str, version: int, on: date | None, because: str
) -> CommunityPost:
    held = at_version(visits.activities.posts, post_id, version)
    day = on or local_today(visits.clock, visits.settings.zone)
    return commit(visits, visits.activities.posts, held, rules.leave_post(held, day, because))
