"""The lists of learning, activities and teams: what each filter asked for means to the stores,
and each list's order. Views limit the arguments to the caller's community first (`scoped`)."""

from typing import Any

from services.visits.service_layer.container import Visits
from services.visits.service_layer.queries import Found
from shared.stores import filtered


def days_between(args: dict[str, Any], field: str, first: str, last: str) -> dict[str, Any]:
    """The condition on a day field of the days a list asks for, from `first` to `last`
    (either may be left out); none if neither is given."""
    days = {
        op: args[name].isoformat() for op, name in (("$gte", first), ("$lte", last)) if name in args
    }
    return {field: days} if days else {}


def venues(visits: Visits, args: dict[str, Any], skip: int, limit: int) -> Found:
    query = filtered(args, ("community", "kind", "status"))
    return visits.activities.venues.find(query, [("_id", 1)], skip, limit)


def teams(visits: Visits, args: dict[str, Any], skip: int, limit: int) -> Found:
    """Teams; `person`: those the person is or was a member of."""
    query = filtered(args, ("community", "kind", "activity", "status"))
    if "person" in args:
        query["members.person"] = args["person"]
    return visits.activities.teams.find(query, [("_id", 1)], skip, limit)


def courses(visits: Visits, args: dict[str, Any], skip: int, limit: int) -> Found:
    """Courses and lectures, the latest to start first; `running_on`: those running that day."""
    query = filtered(args, ("community", "organiser", "category"))
    if "running_on" in args:
        day = args["running_on"].isoformat()
        query.update({"starts_on": {"$lte": day}, "ends_on": {"$gte": day}})
    return visits.activities.courses.find(query, [("starts_on", -1)], skip, limit)


def occasions(visits: Visits, args: dict[str, Any], skip: int, limit: int) -> Found:
    """Activities and sessions, the latest first, held between `held_from` and `held_to`."""
    query = filtered(args, ("community", "kind", "course_id", "team_id"))
    query.update(days_between(args, "held_on", "held_from", "held_to"))
    return visits.activities.occasions.find(query, [("held_on", -1)], skip, limit)


def service_hours(visits: Visits, args: dict[str, Any], skip: int, limit: int) -> Found:
    """Volunteer service, the latest first, served between `served_from` and `served_to`."""
    query = filtered(args, ("community", "person", "service"))
    query.update(days_between(args, "served_on", "served_from", "served_to"))
    return visits.activities.service_hours.find(query, [("served_on", -1)], skip, limit)


def posts(visits: Visits, args: dict[str, Any], skip: int, limit: int) -> Found:
    """Posts, the latest taken first."""
    query = filtered(args, ("community", "post", "status", "person"))
    return visits.activities.posts.find(query, [("since", -1)], skip, limit)
