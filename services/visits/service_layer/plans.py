"""Use cases of the yearly service plans: a community's plan set (by its head, or the district),
its progress worked out from the records of the year so far, and the district's roll-up."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from services.visits.domain import plans as rules
from services.visits.domain.courses import LECTURE
from services.visits.domain.occasions import ACTIVITY, SESSION
from services.visits.domain.plans import Plan, Progress, Tally, Target
from services.visits.service_layer.container import Visits
from services.visits.service_layer.records import commit, create
from shared.errors import Conflict, NotFound, RuleViolation
from shared.vocabulary import VOLUNTEER_TEAM_KINDS

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years a plan can be of


def check_plan_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise RuleViolation(f"a plan is of a year from {FIRST_YEAR} to {LAST_YEAR}", field="year")
    return year


def set_plan(
    visits: Visits, community: str, year: int, targets: list[Target], by: str, version: int
) -> Plan:
    """The plan made, or changed from the version the caller read (0: none yet)."""
    check_plan_year(year)
    before = visits.plans.get(rules.plan_id(community, year))
    change = rules.make_plan(community, year, targets, by, before)
    if before is None:
        create(visits, visits.plans, change)
        return change.after
    if before.version != version:
        raise Conflict(f"the plan was changed meanwhile (version {before.version}); read it again")
    return commit(visits, visits.plans, before, change)


def plan_progress(visits: Visits, community: str, year: int) -> tuple[Plan, list[Progress]]:
    check_plan_year(year)
    plan = visits.plans.get(rules.plan_id(community, year))
    if plan is None:
        raise NotFound(f"{community} has no plan for {year}")
    return plan, rules.progress(plan, tallies(visits, community, year))


def district_progress(
    visits: Visits, year: int
) -> tuple[list[tuple[Plan, list[Progress]]], list[Progress]]:
    """Every community's plan of the year with its progress, and their roll-up."""
    check_plan_year(year)
    plans = sorted(visits.plans.each({"year": year}), key=lambda p: p.community)
    each = [(p, rules.progress(p, tallies(visits, p.community, year))) for p in plans]
    return each, rules.rolled_up(progress for _plan, progress in each)


def tallies(visits: Visits, community: str, year: int) -> dict[str, Tally]:
    """What the records of the year so far say of each measure, for one community."""
    zone = visits.settings.zone
    start = datetime(year, 1, 1, tzinfo=zone)
    end = min(datetime(year + 1, 1, 1, tzinfo=zone), visits.clock.now())
    due = {"community": community, "due_at": {"$gte": start, "$lt": end}}
    routine = [
        o for o in visits.obligations.each({**due, "kind": "routine"}) if o.status != "cancelled"
    ]
    mandatory = [
        o for o in visits.obligations.each({**due, "kind": "mandatory"}) if o.status != "cancelled"
    ]
    first, last = date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
    held: dict[str, Any] = {"community": community, "held_on": {"$gte": first, "$lte": last}}
    lectures = {
        c.course_id
        for c in visits.activities.courses.each({"community": community, "kind": LECTURE})
    }
    sessions = visits.activities.occasions.each({**held, "kind": SESSION})
    teams = visits.activities.teams.each(
        {
            "community": community,
            "kind": {"$in": list(VOLUNTEER_TEAM_KINDS)},
            "founded_on": {"$lte": last},
        }
    )
    months = {"community": community, "month": {"$gte": f"{year}-01", "$lte": f"{year}-12"}}
    return {
        "routine_visits": Tally(sum(o.status == "met" for o in routine), len(routine)),
        "must_visits_in_time": Tally(sum(bool(o.on_time) for o in mandatory), len(mandatory)),
        "service_items": Tally(len({s.service_type for s in visits.services.each(months)})),
        "lectures": Tally(sum(o.course_id in lectures for o in sessions)),
        "activities": Tally(
            sum(1 for _ in visits.activities.occasions.each({**held, "kind": ACTIVITY}))
        ),
        "volunteer_teams": Tally(
            sum(t.during(date(year, 1, 1), date(year, 12, 31)) for t in teams)
        ),
    }
