"""Who a request names, as visits knows them from intake's events: an elder by `elder_id`, a
volunteer by `volunteer_id` (the elder they also are, if they are one)."""

from __future__ import annotations

from collections.abc import Mapping

from services.visits.domain import courses, teams, volunteering
from services.visits.domain.elder import Elder
from services.visits.domain.participants import (
    Participant,
    elder_participant,
    volunteer_participant,
)
from services.visits.service_layer.container import Visits
from services.visits.service_layer.elders import known_elder
from services.visits.service_layer.records import commit
from shared.errors import NotFound, RuleViolation


def participant(visits: Visits, named: Mapping[str, str | None]) -> Participant:
    """The person `named` gives by `elder_id` or by `volunteer_id` (one of the two)."""
    elder_id, volunteer_id = named.get("elder_id"), named.get("volunteer_id")
    if bool(elder_id) == bool(volunteer_id):
        raise RuleViolation("name each person by elder_id or by volunteer_id", field="people")
    if elder_id:
        return elder_participant(known_elder(visits, elder_id))
    assert volunteer_id is not None
    volunteer = visits.activities.volunteers.get(volunteer_id)
    if volunteer is None:
        raise NotFound(
            f"No volunteer with id {volunteer_id!r} is known to visits (yet).",
            field="volunteer_id",
        )
    elder = known_elder(visits, volunteer.elder_id) if volunteer.elder_id else None
    return volunteer_participant(volunteer, elder)


def participants(visits: Visits, named: list[Mapping[str, str | None]]) -> list[Participant]:
    """Each person named, once: the same person named twice (as the elder and as the
    volunteer they also are) counts once."""
    found: dict[str, Participant] = {}
    for one in named:
        who = participant(visits, one)
        found.setdefault(who.person, who)
    return list(found.values())


def part_ways(visits: Visits, elder: Elder) -> bool:
    """An elder who died or left the district leaves every team, course and post on that day,
    from intake's event: no one types it in. Applied again, it changes nothing. Whether
    anything changed."""
    if elder.status == "merged":
        return False
    gone = elder_participant(elder)
    if gone.gone_on is None or gone.gone_because is None:
        return False
    person, on, because = gone.person, gone.gone_on, gone.gone_because
    stores = visits.activities
    changed = False
    for team in list(stores.teams.each({"members.person": person, "status": "active"})):
        left = teams.part_ways(team, person, on, because)
        if left is not None:
            commit(visits, stores.teams, team, left)
            changed = True
    for course in list(stores.courses.each({"enrolments.person": person, "status": "active"})):
        dropped = courses.part_ways(course, person, on, because)
        if dropped is not None:
            commit(visits, stores.courses, course, dropped)
            changed = True
    for post in list(stores.posts.each({"person": person, "status": "held"})):
        ended = volunteering.part_ways(post, on, because)
        if ended is not None:
            commit(visits, stores.posts, post, ended)
            changed = True
    return changed
