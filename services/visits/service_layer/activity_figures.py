"""The figures of learning, activities and teams for a period, per community and for the
district (`domain.activity_figures`), read from the records the period can count."""

from __future__ import annotations

from typing import Any

from services.visits.domain.activity_figures import Period, Records, figures
from services.visits.service_layer.container import Visits


def activity_figures(
    visits: Visits, period: Period, community: str | None = None
) -> dict[str, Any]:
    """Each community's figures, and the district's (of the communities asked for) counted
    again from the records, so that a person in two communities' teams is one person. Kept
    until the next write of any of those records (`shared.stamps`)."""
    key = (period.first, period.last, community)
    return visits.activities.figures.get(key, lambda: _worked_out(visits, period, community))


def _worked_out(visits: Visits, period: Period, community: str | None) -> dict[str, Any]:
    records = _records(visits, period, community)
    communities = sorted(
        {item.community for group in vars(records).values() for item in group}
        | ({community} if community else set())
    )
    return {
        "first": period.first,
        "last": period.last,
        "district": figures(records, period),
        "communities": [
            {"community": code, **figures(records.of(code), period)} for code in communities
        ],
    }


def _records(visits: Visits, period: Period, community: str | None) -> Records:
    stores = visits.activities
    mine = {"community": community} if community else {}
    first, last = period.first.isoformat(), period.last.isoformat()
    held = {**mine, "held_on": {"$gte": first, "$lte": last}}
    return Records(
        teams=list(stores.teams.each({**mine, "founded_on": {"$lte": last}})),
        courses=list(stores.courses.each({**mine, "ends_on": {"$gte": first}})),
        occasions=list(stores.occasions.each(held)),
        hours=list(stores.service_hours.each({**mine, "served_on": {"$gte": first, "$lte": last}})),
        venues=list(stores.venues.each(mine)),
        posts=list(stores.posts.each({**mine, "since": {"$lte": last}})),
    )
