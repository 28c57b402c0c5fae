"""Use cases of what those served say: a rating of a visit, a service or a help request's
handling, recorded by the worker; a complaint received, and answered and closed (not by the
worker it is about); and the satisfaction of a period, per community, worker and service."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from services.visits.domain import feedback as rules
from services.visits.domain.feedback import Complaint, Feedback, SatisfactionReport
from services.visits.service_layer.container import Visits
from services.visits.service_layer.elders import active_elder, known_elder
from services.visits.service_layer.queries import Found
from services.visits.service_layer.records import commit, create
from shared.errors import RuleViolation
from shared.stores import filtered


def give_feedback(
    visits: Visits,
    feedback_id: str,
    elder_id: str,
    subject: str,
    rating: int,
    given_by: str,
    by: str,
    reference: str | None = None,
    worker: str | None = None,
    service_type: str | None = None,
    remarks: str = "",
) -> Feedback:
    """The rating of a visit (its visitor's work), a help request's handling (its
    responder's), or a service (the worker named). Recording it twice (the same id) is one."""
    elder = known_elder(visits, elder_id)
    rated = _rated_worker(visits, subject, reference, elder_id) or worker or ""
    change = rules.give(
        feedback_id,
        elder.elder_id,
        elder.community,
        subject,
        rated,
        rating,
        given_by,
        by,
        visits.clock.now(),
        reference,
        service_type,
        remarks,
    )
    create(visits, visits.feedback, change)
    return change.after


def _rated_worker(visits: Visits, subject: str, reference: str | None, elder_id: str) -> str | None:
    """Whose work the feedback rates, from the visit or help request it is about."""
    if reference is None or subject == "service":
        return None
    if subject == "visit":
        visit = visits.visits.require(reference)
        owner, worker = visit.elder_id, visit.visitor
    else:
        request = visits.help_requests.require(reference)
        owner, worker = request.elder_id, request.responder or ""
    if owner != elder_id:
        raise RuleViolation(f"{reference} is not of elder {elder_id}", field="reference")
    return worker or None


def receive_complaint(
    visits: Visits,
    complaint_id: str,
    community: str,
    channel: str,
    about: str,
    description: str,
    by: str,
    elder_id: str | None = None,
    worker: str | None = None,
    received_at: datetime | None = None,
) -> Complaint:
    if elder_id is not None:
        community = active_elder(visits, elder_id).community
    now = visits.clock.now()
    change = rules.receive_complaint(
        complaint_id,
        community,
        channel,
        about,
        description,
        by,
        received_at or now,
        visits.config.get().complaint_answer_hours,
        now,
        elder_id,
        worker,
    )
    create(visits, visits.complaints, change)
    return change.after


def close_complaint(visits: Visits, complaint_id: str, answer: str, by: str) -> Complaint:
    """Answered and closed; not by the worker the complaint is about."""
    complaint = visits.complaints.require(complaint_id)
    if complaint.worker is not None and complaint.worker == by:
        raise RuleViolation(
            f"the complaint is about {by}'s work: someone else answers it", field="closed_by"
        )
    return commit(
        visits,
        visits.complaints,
        complaint,
        rules.close(complaint, answer, by, visits.clock.now()),
    )


def satisfaction_report(
    visits: Visits, first: date, last: date, community: str | None = None
) -> SatisfactionReport:
    """The satisfaction of the ratings recorded in the period (the district's days), and the
    complaints received in it: answered in time, answered late, open, open past the deadline."""
    zone = visits.settings.zone
    start = datetime.combine(first, time(), zone)
    end = datetime.combine(last + timedelta(days=1), time(), zone)
    mine: dict[str, Any] = {"community": community} if community else {}
    given = list(visits.feedback.each({**mine, "recorded_at": {"$gte": start, "$lt": end}}))
    total, by_community = rules.satisfaction(given, lambda f: f.community)
    received = visits.complaints.each({**mine, "received_at": {"$gte": start, "$lt": end}})
    return SatisfactionReport(
        first,
        last,
        community,
        total,
        by_community,
        rules.satisfaction(given, lambda f: f.worker)[1],
        rules.satisfaction(given, lambda f: f.service_type)[1],
        _complaints(received, visits.clock.now()),
    )


def _complaints(received: Any, now: datetime) -> dict[str, int]:
    counted = {"received": 0, "answered_in_time": 0, "answered_late": 0, "open": 0, "overdue": 0}
    for complaint in received:
        counted["received"] += 1
        if complaint.status == "closed":
            counted["answered_in_time" if complaint.answered_in_time else "answered_late"] += 1
        else:
            counted["open"] += 1
            counted["overdue"] += complaint.is_overdue(now)
    return counted


def feedback_list(visits: Visits, args: dict[str, Any], skip: int, limit: int) -> Found:
    """Ratings, the latest first, by community, worker, elder or rating."""
    query = filtered(args, ("community", "worker", "elder_id", "rating"))
    return visits.feedback.find(query, [("recorded_at", -1)], skip, limit)


def complaints_list(visits: Visits, args: dict[str, Any], skip: int, limit: int) -> Found:
    """Complaints, the soonest to answer first; `overdue`: open past their deadline."""
    query = filtered(args, ("community", "status"))
    if args.get("overdue"):
        query.update({"status": "open", "answer_by": {"$lt": visits.clock.now()}})
    return visits.complaints.find(query, [("answer_by", 1)], skip, limit)
