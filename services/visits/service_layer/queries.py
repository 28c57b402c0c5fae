"""The lists visits answers: what each filter asked for means to the stores, and each list's
order. Views limit the arguments to the caller's community first (`scoped`)."""

import re
from datetime import datetime
from typing import Any

from services.visits.domain.calendar import end_of_day
from services.visits.domain.caseload import Load, caseload
from services.visits.domain.open_work import DueBounds
from services.visits.service_layer.container import Visits
from services.visits.service_layer.grid import cell_of, residents_of
from services.visits.service_layer.open_work import SCOPES, open_obligations, open_work
from shared.clock import local_today
from shared.stores import any_of

Found = tuple[list[Any], int]  # a page of records, and the total matching


def equal(args: dict[str, Any], *names: str) -> dict[str, Any]:
    """Equality filters for the list arguments that were given."""
    return {name: args[name] for name in names if name in args}


def elders(visits: Visits, args: dict[str, Any], skip: int, limit: int) -> Found:
    """Elders known to visits, of a community, or those named (`elder_id`, several); `name`:
    those whose name holds the text (a surname, say)."""
    query = equal(args, "community", "status")
    if "name" in args:
        query["name"] = {"$regex": re.escape(args["name"])}
    if "elder_id" in args:
        query["_id"] = {"$in": args["elder_id"]}
    return visits.elders.list(query, skip, limit)


def obligations(visits: Visits, args: dict[str, Any], skip: int, limit: int) -> Found:
    """Open and done work, soonest due first; `due_before`, `due_by` (the instant itself
    included) and `overdue` bound the due time;
    `cell_id`: of the elders living in that building or courtyard, or in any of the group's."""
    now = visits.clock.now()
    if _open_work_only(args):
        due = DueBounds(_due_before(args, now), args.get("due_by"))
        return open_obligations(visits, equal(args, *SCOPES), due, skip, limit)
    names = ("community", "assignee", "status", "kind", "trigger", "source")
    query = equal(args, *names)
    if "elder_id" in args:
        query["elder_id"] = any_of(args["elder_id"])
    if "cell_id" in args:
        living = residents_of(visits, cell_of(visits, args["cell_id"]))
        if "elder_id" in args:
            living &= set(args["elder_id"])
        query["elder_id"] = any_of(living)
    if args.get("overdue"):
        query["status"] = "open"
    before = _due_before(args, now)
    if before is not None:
        query["due_at"] = {"$lt": before}
    if "due_by" in args:
        query.setdefault("due_at", {})["$lte"] = args["due_by"]
    return visits.obligations.find(query, [("due_at", 1), ("_id", 1)], skip, limit)


def _open_work_only(args: dict[str, Any]) -> bool:
    """Open work of a community or visitor (or the district's), bounded by due time only:
    what the kept open work answers (`service_layer.open_work`)."""
    open_only = args.get("status") == "open" or bool(args.get("overdue"))  # overdue is open
    other = ("kind", "trigger", "source", "elder_id", "cell_id")
    return open_only and not any(name in args for name in other)


def _due_before(args: dict[str, Any], now: datetime) -> datetime | None:
    limits = [args["due_before"]] if "due_before" in args else []
    if args.get("overdue"):
        limits.append(now)
    return min(limits) if limits else None


def help_requests(visits: Visits, args: dict[str, Any], skip: int, limit: int) -> Found:
    """The most pressing first; `overdue`: still open past the deadline of their urgency."""
    query = equal(args, "community", "elder_id", "status")
    if args.get("overdue"):
        query |= {"status": "open", "respond_by": {"$lt": visits.clock.now()}}
    return visits.help_requests.find(query, [("respond_by", 1), ("_id", 1)], skip, limit)


def visits_made(visits: Visits, args: dict[str, Any], skip: int, limit: int) -> Found:
    """Visit records, newest first; `follow_up`: those that need (or need no) follow-up."""
    query = equal(args, "elder_id", "visitor", "community")
    if "follow_up" in args:
        query["follow_up"] = {"$ne": None} if args["follow_up"] else None
    return visits.visits.find(query, [("visited_at", -1), ("_id", 1)], skip, limit)


def services_delivered(visits: Visits, args: dict[str, Any], skip: int, limit: int) -> Found:
    """Services delivered, newest first."""
    query = equal(args, "elder_id", "community", "service_type", "month")
    return visits.services.find(query, [("delivered_on", -1), ("_id", 1)], skip, limit)


def pairings(visits: Visits, args: dict[str, Any], skip: int, limit: int) -> Found:
    """Pairings by elder, partner, community or status, in the order of their ids."""
    query = equal(args, "elder_id", "partner_id", "community", "status")
    return visits.pairings.find(query, [("_id", 1)], skip, limit)


def reminders(visits: Visits, args: dict[str, Any], skip: int, limit: int) -> Found:
    """The reminders' delivery log, the newest first."""
    query = equal(args, "community", "status", "cause", "elder_id")
    return visits.reminders.find(query, [("created_at", -1), ("_id", 1)], skip, limit)


def caseloads(visits: Visits, key: str, community: str | None) -> list[Load]:
    """Open, overdue and due-today work per `key` (community or assignee), of one community
    or all; the most overdue first."""
    zone = visits.settings.zone
    end_of_today = end_of_day(local_today(visits.clock, zone), zone)
    mine = {} if community is None else {"community": community}
    work = ((getattr(o, key), o.due_at) for o in open_work(visits, mine))
    return caseload(work, visits.clock.now(), end_of_today)
