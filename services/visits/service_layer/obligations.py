"""Use cases of visit obligations: open one for a must-visit incident (now, or once the elder
is known), meet it with a visit record, cancel or reassign it, and keep open work in step with
what happens to the elder (a move, a death)."""

from __future__ import annotations

import logging
from dataclasses import replace

from services.visits.domain import obligations as rules
from services.visits.domain.config import VisitsConfig
from services.visits.domain.elder import Elder
from services.visits.domain.obligations import Obligation
from services.visits.domain.pairings import end
from services.visits.domain.routine import HOME_CARE, KEY_TARGET, no_longer_owed
from services.visits.domain.triggers import Incident, WaitingIncident
from services.visits.service_layer.container import Visits
from services.visits.service_layer.elders import active_elder
from services.visits.service_layer.records import commit, create
from shared.changes import Change
from shared.clock import local_today
from shared.errors import Conflict, DomainError, RuleViolation

log = logging.getLogger(__name__)

ROUTINE_SOURCES = [HOME_CARE, KEY_TARGET]


def assignee_for(visits: Visits, config: VisitsConfig, elder: Elder) -> str | None:
    """The community's responsible worker, or else the elder's paired partner with an account,
    if any."""
    worker = config.staff(elder.community).worker
    if worker:
        return worker
    paired = visits.pairings.each(
        {"elder_id": elder.elder_id, "status": "active"}, [("started_on", 1)]
    )
    return next((p.partner_id for p in paired if p.partner_id), None)


def open_obligation(visits: Visits, obligation: Obligation, seen: Elder) -> bool:
    """Store a new obligation, decided on the elder as `seen`, and announce it; False if its
    cause already opened it."""
    created = create(visits, visits.obligations, Change(obligation, (("obligation.created", {}),)))
    if created:
        keep_in_step(visits, seen)
    return created


def open_for_incident(visits: Visits, incident: Incident, elder: Elder) -> bool:
    config = visits.config.get()
    obligation = rules.mandatory_visit(
        incident,
        elder.community,
        config.deadline_hours(incident.trigger),
        assignee_for(visits, config, elder),
        visits.clock.now(),
    )
    return open_obligation(visits, obligation, elder)


def report_incident(visits: Visits, incident: Incident) -> Obligation:
    """Staff report a must-visit incident: the elder must be known and served."""
    elder = active_elder(visits, incident.elder_id)
    if incident.occurred_at > visits.clock.now():
        raise RuleViolation("occurred_at is in the future", field="occurred_at")
    if not open_for_incident(visits, incident, elder):
        raise Conflict("this incident was already reported", obligation_id=incident.obligation_id)
    return visits.obligations.require(incident.obligation_id)


def take_incident(visits: Visits, incident: Incident) -> bool:
    """An incident from an event. Unknown elder: keep it until the elder's record arrives."""
    elder = visits.elders.get(incident.elder_id)
    if elder is not None:
        return _open_if_served(visits, incident, elder)
    waiting = WaitingIncident(
        incident.obligation_id, incident.elder_id, incident, visits.clock.now()
    )
    parked = visits.incidents.add(waiting)
    # Another consumer may have stored the elder (and opened what waited) meanwhile: look again.
    elder = visits.elders.get(incident.elder_id)
    return (open_waiting(visits, elder) if elder else False) or parked


def open_waiting(visits: Visits, elder: Elder) -> bool:
    """Open (or dismiss, if the elder is not served) the incidents kept for this elder."""
    changed = False
    for waiting in visits.incidents.each({"elder_id": elder.elder_id, "status": "waiting"}):
        outcome, reason = _open_kept(visits, waiting.incident, elder)
        closed = replace(waiting, status=outcome, reason=reason, version=waiting.version + 1)
        changed = visits.incidents.save(waiting, closed) or changed
    return changed


def _open_kept(visits: Visits, incident: Incident, elder: Elder) -> tuple[str, str | None]:
    """What became of a kept incident. One that breaks a rule is refused with its reason, so
    that it never makes the elder's later events fail."""
    if elder.status != "active":
        return "dismissed", elder.status
    try:
        open_for_incident(visits, incident, elder)
    except DomainError as refused:
        log.warning(
            "kept incident refused",
            extra={"obligation_id": incident.obligation_id, "reason": refused.detail},
        )
        return "refused", refused.detail
    return "opened", None


def _open_if_served(visits: Visits, incident: Incident, elder: Elder) -> bool:
    """No obligation for an elder no longer served. One the register says died is kept,
    dismissed with that reason, in case the death was reported in error and is revoked."""
    if elder.status != "active":
        log.info(
            "incident for an elder no longer served; no obligation opened",
            extra={"obligation_id": incident.obligation_id, "status": elder.status},
        )
        if elder.status != "deceased":
            return False
        kept = WaitingIncident(
            incident.obligation_id,
            incident.elder_id,
            incident,
            visits.clock.now(),
            status="dismissed",
            reason=elder.status,
        )
        return visits.incidents.add(kept)
    return open_for_incident(visits, incident, elder)


def complete(visits: Visits, obligation_id: str, visit_id: str) -> Obligation:
    """Meet an obligation with a visit already recorded."""
    obligation = visits.obligations.require(obligation_id)
    visit = visits.visits.require(visit_id)
    change = rules.meet(obligation, visit, visits.clock.now())
    return commit(visits, visits.obligations, obligation, change)


def cancel(visits: Visits, obligation_id: str, reason: str) -> Obligation:
    obligation = visits.obligations.require(obligation_id)
    change = rules.cancel(obligation, reason, visits.clock.now())
    return commit(visits, visits.obligations, obligation, change)


def reassign(visits: Visits, obligation_id: str, assignee: str) -> Obligation:
    return give(visits, visits.obligations.require(obligation_id), assignee)


def give(visits: Visits, obligation: Obligation, assignee: str) -> Obligation:
    """The obligation, as read, to `assignee`; Conflict if it changed since."""
    change = rules.reassign(obligation, obligation.community, assignee)
    return commit(visits, visits.obligations, obligation, change)


def follow_elder(visits: Visits, elder: Elder) -> bool:
    """Bring the elder's open work in step with the elder's current record (work kept for
    the elder is released once the batch of events is handled: kept_work)."""
    if elder.status != "active":
        return close_work(visits, elder)
    return follow_active(visits, elder)


def keep_in_step(visits: Visits, seen: Elder) -> None:
    """Look at the elder again once new work, decided on the elder as `seen`, is stored. A
    death or a move applied meanwhile closed or moved the work open then, which did not
    include this one; whichever of the two writers looks second sees the other's write."""
    elder = visits.elders.get(seen.elder_id)
    if elder is None or elder.version == seen.version:  # nothing happened to the elder since
        return
    try:
        if elder.status != "active":
            close_work(visits, elder)
        else:
            follow_active(visits, elder)
    except Conflict:
        log.info("open work brought in step by another writer", extra={"elder_id": elder.elder_id})


def close_work(visits: Visits, elder: Elder) -> bool:
    """The elder is no longer served: cancel open obligations and end pairings, with the
    reason (deceased, moved_out, merged). What was done stays on record."""
    reason, now = elder.status, visits.clock.now()
    today = local_today(visits.clock, visits.settings.zone)
    ended_on = elder.died_on or elder.moved_out_on or today
    changed = False
    for obligation in visits.obligations.each({"elder_id": elder.elder_id, "status": "open"}):
        commit(visits, visits.obligations, obligation, rules.cancel(obligation, reason, now))
        changed = True
    for pairing in visits.pairings.each({"elder_id": elder.elder_id, "status": "active"}):
        commit(visits, visits.pairings, pairing, end(pairing, reason, ended_on))
        changed = True
    return changed


def follow_active(visits: Visits, elder: Elder) -> bool:
    """An elder still served: work follows a move, and routine visits no longer owed end."""
    transferred = transfer_work(visits, elder)
    return drop_unowed_routine(visits, elder) or transferred


def drop_unowed_routine(visits: Visits, elder: Elder) -> bool:
    """Cancel the open routine visits the elder no longer owes: the household left home care,
    the elder is no longer a key target, or became a home-care household whose monthly visit
    takes the place of the key-target one."""
    routine = {"elder_id": elder.elder_id, "status": "open", "source": {"$in": ROUTINE_SOURCES}}
    found = list(visits.obligations.each(routine))
    if not found:
        return False
    months = visits.config.get().key_target_months(elder.key_target_reasons)
    changed, now = False, visits.clock.now()
    for obligation in found:
        reason = no_longer_owed(obligation, elder, months)
        if reason:
            commit(visits, visits.obligations, obligation, rules.cancel(obligation, reason, now))
            changed = True
    return changed


def transfer_work(visits: Visits, elder: Elder) -> bool:
    """The elder now lives in another community: open work goes with them. Work assigned to
    the old community's worker (or to nobody) goes to the new community's assignee."""
    elsewhere = {
        "elder_id": elder.elder_id,
        "status": "open",
        "community": {"$ne": elder.community},
    }
    moved = list(visits.obligations.each(elsewhere))
    if not moved:
        return False
    config = visits.config.get()
    for obligation in moved:
        assignee = obligation.assignee
        if assignee in (None, config.staff(obligation.community).worker):
            assignee = assignee_for(visits, config, elder)
        change = rules.reassign(obligation, elder.community, assignee)
        commit(visits, visits.obligations, obligation, change)
    return True
