"""Visits' part in a reorganisation of the district's communities (intake's
`community.reorganised`): the community it results in takes the worker and head named. The
elders' open work moves with each elder's own event (`obligations.transfer_work`); what
arrives there held by nobody, or by the worker of a community merged away, goes to the
community's worker, whichever of the two events came first. The venues, teams, courses and
posts of a community merged away become the resulting community's; the occasions held, their
attendance and the hours served keep the community they were recorded in."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from services.visits.domain import obligations as rules
from services.visits.domain.courses import Course
from services.visits.domain.teams import Team
from services.visits.domain.venues import Venue
from services.visits.domain.volunteering import CommunityPost
from services.visits.service_layer.configuration import set_community_staff
from services.visits.service_layer.container import Visits
from services.visits.service_layer.records import commit
from shared.changes import Change
from shared.stores import RecordStore

Moved = TypeVar("Moved", Venue, Team, Course, CommunityPost)


def follow_reorganisation(visits: Visits, data: dict[str, Any]) -> bool:
    community = data["target"]
    config = visits.config.get()
    held = config.staff(community)
    named = replace(held, worker=data["worker"] or held.worker, head=data["head"] or held.head)
    if named != held:
        config = set_community_staff(visits, named)
    former = {config.staff(code).worker for code in data["retired"]} | {None}
    given = give_open_work(visits, community, former)
    moved = move_activities(visits, data["retired"], community)
    return named != held or given > 0 or moved > 0


def move_activities(visits: Visits, retired: list[str], community: str) -> int:
    """The venues, teams, courses and posts of the communities merged away become
    `community`'s; how many."""
    if not retired:
        return 0
    stores = visits.activities
    return (
        _move(visits, stores.venues, retired, community)
        + _move(visits, stores.teams, retired, community)
        + _move(visits, stores.courses, retired, community)
        + _move(visits, stores.posts, retired, community)
    )


def _move(visits: Visits, store: RecordStore[Moved], retired: list[str], community: str) -> int:
    moved = 0
    for record in list(store.each({"community": {"$in": list(retired)}})):
        after = replace(record, community=community, version=record.version + 1)
        commit(visits, store, record, Change(after, summary=f"now of {community}"))
        moved += 1
    return moved


def give_open_work(visits: Visits, community: str, former: set[str | None]) -> int:
    """The community's open work held by any of `former` goes to its worker; how many."""
    worker = visits.config.get().staff(community).worker
    if worker is None:
        return 0
    given = 0
    for obligation in visits.obligations.each({"community": community, "status": "open"}):
        if obligation.assignee in former and obligation.assignee != worker:
            change = rules.reassign(obligation, community, worker)
            commit(visits, visits.obligations, obligation, change)
            given += 1
    return given
