"""Use cases of supervision: an inspection of a community recorded with its corrections, a
correction put right, and the corrections still open (overdue ones first)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from services.visits.domain import inspections as rules
from services.visits.domain.inspections import Correction, Inspection
from services.visits.service_layer.container import Visits
from services.visits.service_layer.queries import Found
from services.visits.service_layer.records import commit, create
from shared.clock import local_today
from shared.stores import filtered


def inspect(
    visits: Visits,
    inspection_id: str,
    community: str,
    inspected_on: date,
    inspectors: str,
    findings: str,
    required: list[tuple[str, date]],
    by: str,
) -> Inspection:
    today = local_today(visits.clock, visits.settings.zone)
    change = rules.inspect(
        inspection_id, community, inspected_on, inspectors, findings, required, by, today
    )
    create(visits, visits.inspections, change)
    return change.after


def put_right(
    visits: Visits, inspection_id: str, number: int, how: str, by: str, on: date | None = None
) -> Inspection:
    inspection = visits.inspections.require(inspection_id)
    today = local_today(visits.clock, visits.settings.zone)
    change = rules.put_right(inspection, number, how, by, on or today, today)
    return commit(visits, visits.inspections, inspection, change)


def inspections(visits: Visits, args: dict[str, Any], skip: int, limit: int) -> Found:
    """Inspections, the latest first; `open`: those with a correction still open."""
    query = filtered(args, ("community",))
    if args.get("open"):
        query["corrections.status"] = "open"
    return visits.inspections.find(query, [("inspected_on", -1), ("_id", 1)], skip, limit)


@dataclass(frozen=True)
class OpenCorrection:
    inspection_id: str
    community: str
    inspected_on: date
    correction: Correction
    overdue: bool


def open_corrections(visits: Visits, community: str | None = None) -> list[OpenCorrection]:
    """Every correction still open, of one community or all, the overdue and soonest due
    first: what the head's and the district's pages follow up."""
    today = local_today(visits.clock, visits.settings.zone)
    query: dict[str, Any] = {"corrections.status": "open"}
    if community:
        query["community"] = community
    found = [
        OpenCorrection(i.inspection_id, i.community, i.inspected_on, c, c.is_overdue(today))
        for i in visits.inspections.each(query)
        for c in i.corrections
        if c.status == "open"
    ]
    return sorted(found, key=lambda o: (not o.overdue, o.correction.due_on, o.inspection_id))
