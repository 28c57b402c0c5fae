"""The scheduled duties, run by the worker and on demand by an operator: detect overdue
obligations (and escalate them), and generate a month's routine visits."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.visits.domain import obligations as rules
from services.visits.domain.routine import home_care_visit, pairing_visits
from services.visits.service_layer.obligations import assignee_for, open_obligation
from services.visits.service_layer.records import commit
from shared.clock import local_today
from shared.errors import Conflict, RuleViolation
from shared.months import first_day, month_of

if TYPE_CHECKING:
    from services.visits.bootstrap import Visits

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OverduePass:
    overdue: int  # newly flagged overdue
    escalated: int  # newly escalated to a community head
    unescalated: int  # overdue, but the community has no head configured


@dataclass(frozen=True)
class Generation:
    month: str
    created: int
    existing: int


def detect_overdue(visits: Visits) -> OverduePass:
    now, config = visits.clock.now(), visits.config.get()
    candidates = visits.obligations.each(
        {"status": "open", "due_at": {"$lt": now}, "escalated": False}, [("due_at", 1)]
    )
    overdue = escalated = unescalated = 0
    for obligation in candidates:
        change = rules.flag_overdue(obligation, now, config.staff(obligation.community).head)
        try:
            commit(visits, visits.obligations, obligation, change)
        except Conflict:  # met or changed meanwhile: the next pass looks again
            continue
        kinds = [kind for kind, _ in change.events]
        overdue += "obligation.overdue" in kinds
        escalated += "obligation.escalated" in kinds
        unescalated += not change.after.escalated
    if unescalated:
        log.warning("overdue work with no community head to escalate to", extra={"n": unescalated})
    return OverduePass(overdue, escalated, unescalated)


def generate_month(visits: Visits, month: str | None = None) -> Generation:
    """Open the month's routine visits; generating a month again creates nothing new."""
    current = month_of(local_today(visits.clock, visits.settings.zone))
    month = month_of(first_day(month)) if month else current
    if month < current:
        raise RuleViolation(
            f"{month} has passed; routine visits are generated ahead", field="month"
        )
    now, zone, config = visits.clock.now(), visits.settings.zone, visits.config.get()
    outcomes = []
    for elder in visits.elders.each({"status": "active", "home_care": True}):
        assignee = assignee_for(visits, config, elder)
        visit = home_care_visit(elder, month, zone, assignee, now)
        outcomes.append(open_obligation(visits, visit, elder))
    for pairing in visits.pairings.each({"status": "active"}):
        elder = visits.elders.get(pairing.elder_id)
        if elder is None or elder.status != "active":
            continue
        for obligation in pairing_visits(pairing, elder.community, month, zone, now):
            outcomes.append(open_obligation(visits, obligation, elder))
    return Generation(month, outcomes.count(True), outcomes.count(False))
