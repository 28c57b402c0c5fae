"""Reminders that reach people: a visit due soon, work gone overdue, an urgent call nobody
answered. Each is decided from the work as it stands, once per cause: its id is the cause and
the work's id, so however often the duty looks, and whatever restarts, one message goes out.

Who gets it: the work's assignee (else the community's worker); once work is overdue, the
community's head too; a complaint not answered in time, to the head. An urgent reminder (an
urgent help request unanswered) goes out at any hour; the others wait for the end of the
district's quiet hours (`shared.reminders`).
"""

from datetime import datetime

from services.visits.domain.config import CommunityStaff
from services.visits.domain.feedback import Complaint
from services.visits.domain.help_requests import HelpRequest
from services.visits.domain.obligations import Obligation
from shared.reminders import Reminder, named, reminder_id
from shared.vocabulary import OBLIGATION_KIND_LABELS, TRIGGERS

DUE_SOON = "due_soon"
OVERDUE = "overdue"
UNANSWERED = "unanswered"
COMPLAINT_OVERDUE = "complaint_overdue"
CAUSES = (DUE_SOON, OVERDUE, UNANSWERED, COMPLAINT_OVERDUE)


def due_soon(work: Obligation, staff: CommunityStaff, name: str, now: datetime) -> Reminder:
    hours = max(1, round((work.due_at - now).total_seconds() / 3600))
    text = f"【走访提醒】{name}（{_what(work)}）的走访将在约{hours}小时内到期，请及时走访。"
    return _reminder(DUE_SOON, work, (work.assignee or staff.worker,), text, False, now)


def overdue(work: Obligation, staff: CommunityStaff, name: str, now: datetime) -> Reminder:
    text = f"【逾期提醒】{name}（{_what(work)}）的走访已逾期，请尽快安排。"
    to = (work.assignee or staff.worker, staff.head)
    return _reminder(OVERDUE, work, to, text, False, now)


def unanswered(call: HelpRequest, staff: CommunityStaff, name: str, now: datetime) -> Reminder:
    text = f"【紧急求助】{name}的紧急求助已超过应答时限，仍无人响应，请立即处理。"
    recipients = named((staff.worker, staff.head))
    return Reminder(
        reminder_id(UNANSWERED, call.request_id),
        UNANSWERED,
        call.request_id,
        call.elder_id,
        call.community,
        recipients,
        text,
        True,
        now,
        now,
    )


def complaint_overdue(
    complaint: Complaint, staff: CommunityStaff, name: str, now: datetime
) -> Reminder:
    """To the head, and to the community's worker unless the complaint is about them."""
    whose = f"{name}" if complaint.elder_id else "居民"
    text = f"【投诉逾期】{whose}关于“{complaint.about}”的投诉已超过答复时限，仍未答复，请尽快处理。"
    worker = staff.worker if staff.worker != complaint.worker else None
    return Reminder(
        reminder_id(COMPLAINT_OVERDUE, complaint.complaint_id),
        COMPLAINT_OVERDUE,
        complaint.complaint_id,
        complaint.elder_id,
        complaint.community,
        named((staff.head, worker)),
        text,
        False,
        now,
        now,
    )


def _reminder(
    cause: str, work: Obligation, to: tuple[str | None, ...], text: str, urgent: bool, now: datetime
) -> Reminder:
    return Reminder(
        reminder_id(cause, work.obligation_id),
        cause,
        work.obligation_id,
        work.elder_id,
        work.community,
        named(to),
        text,
        urgent,
        now,
        now,
    )


def _what(work: Obligation) -> str:
    if work.trigger in TRIGGERS:
        return TRIGGERS[work.trigger].label
    return OBLIGATION_KIND_LABELS.get(work.kind, work.kind)
