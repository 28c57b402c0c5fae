"""The scheduled duties, run by the worker and on demand by an operator: detect overdue
obligations (and escalate them), and generate a month's routine visits."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

from services.visits.domain import obligations as rules
from services.visits.domain.config import VisitsConfig
from services.visits.domain.elder import Elder
from services.visits.domain.obligations import Obligation
from services.visits.domain.pairings import visit_assignee
from services.visits.domain.routine import home_care_visit, key_target_visit, pairing_visits
from services.visits.service_layer.container import Visits
from services.visits.service_layer.obligations import assignee_for, open_obligation
from services.visits.service_layer.records import commit
from shared.clock import local_today
from shared.errors import Conflict, RuleViolation
from shared.months import first_day, month_of
from shared.vocabulary import KEY_TARGET_REASONS

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
    past_due: int  # not opened: the month's due day had passed when the elder became due


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
    config = visits.config.get()
    outcomes = [
        *(_open_routine(visits, visit, elder) for visit, elder in _routine(visits, config, month)),
        *_open_pairing_visits(visits, config, month),
    ]
    if outcomes.count(None):
        log.info("routine visits past their due day not opened", extra={"n": outcomes.count(None)})
    return Generation(month, outcomes.count(True), outcomes.count(False), outcomes.count(None))


def _routine(
    visits: Visits, config: VisitsConfig, month: str
) -> Iterator[tuple[Obligation, Elder]]:
    """The month's visits to home-care households, then to the other key targets: a home-care
    household's monthly visit is its key-target visit too."""
    now, zone, due_day = visits.clock.now(), visits.settings.zone, config.routine_due_day
    for elder in visits.elders.each({"status": "active", "home_care": True}):
        assignee = assignee_for(visits, config, elder)
        yield home_care_visit(elder, month, due_day, zone, assignee, now), elder
    key_targets = {"status": "active", "key_target_reasons": {"$in": list(KEY_TARGET_REASONS)}}
    for elder in visits.elders.each(key_targets):
        months = config.key_target_months(elder.key_target_reasons)
        if elder.home_care or months is None:
            continue
        assignee = assignee_for(visits, config, elder)
        yield key_target_visit(elder, month, months, due_day, zone, assignee, now), elder


def _open_routine(visits: Visits, visit: Obligation, elder: Elder) -> bool | None:
    """Open a routine visit unless its due time has passed: an elder who became due after the
    due day (say, enrolled on the 27th) is first visited in the next period."""
    if visit.due_at <= visits.clock.now():
        return None if visits.obligations.get(visit.obligation_id) is None else False
    return open_obligation(visits, visit, elder)


def _open_pairing_visits(visits: Visits, config: VisitsConfig, month: str) -> Iterator[bool]:
    now, zone = visits.clock.now(), visits.settings.zone
    for pairing in visits.pairings.each({"status": "active"}):
        elder = visits.elders.get(pairing.elder_id)
        if elder is None or elder.status != "active":
            continue
        assignee = visit_assignee(pairing, config.staff(elder.community).worker)
        for obligation in pairing_visits(pairing, elder.community, month, zone, assignee, now):
            yield open_obligation(visits, obligation, elder)
