"""Reminders that reach people: a visit due soon, work gone overdue, an urgent call nobody
answered. Each is decided from the work as it stands, once per cause: its id is the cause and
the work's id, so however often the duty looks, and whatever restarts, one message goes out.

Who gets it: the work's assignee (else the community's worker); once work is overdue, the
community's head too. An urgent reminder (an urgent help request unanswered) goes out at any
hour; the others wait for the end of the district's quiet hours. A delivery that fails is tried
again later, with a growing wait, and after `MAX_ATTEMPTS` it stays failed, with the reason.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from services.visits.domain.config import CommunityStaff
from services.visits.domain.help_requests import HelpRequest
from services.visits.domain.obligations import Obligation
from shared.vocabulary import OBLIGATION_KIND_LABELS, TRIGGERS

DUE_SOON = "due_soon"
OVERDUE = "overdue"
UNANSWERED = "unanswered"
CAUSES = (DUE_SOON, OVERDUE, UNANSWERED)
PENDING, SENT, FAILED = "pending", "sent", "failed"
STATUSES = (PENDING, SENT, FAILED)
MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)


@dataclass(frozen=True)
class Delivery:
    """One try of one channel."""

    channel: str
    at: datetime
    ok: bool
    detail: str


@dataclass(frozen=True)
class Reminder:
    reminder_id: str  # <cause>:<work id>: one per cause
    cause: str
    subject: str  # the obligation's or help request's id
    elder_id: str
    community: str
    recipients: tuple[str, ...]
    text: str
    urgent: bool
    created_at: datetime
    next_at: datetime  # when it is (next) to be sent
    status: str = PENDING
    attempts: int = 0
    deliveries: tuple[Delivery, ...] = ()
    version: int = 1


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
    recipients = _named((staff.worker, staff.head))
    return Reminder(
        f"{UNANSWERED}:{call.request_id}",
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


def delivered(reminder: Reminder, tries: list[Delivery], now: datetime) -> Reminder:
    """The reminder after the channels that had not yet taken it were tried: sent once every
    one has, else tried again later (those that failed only), and failed after the last
    attempt."""
    attempts = reminder.attempts + 1
    log = (*reminder.deliveries, *tries)
    if tries and all(t.ok for t in tries):
        return replace(
            reminder, status=SENT, attempts=attempts, deliveries=log, version=reminder.version + 1
        )
    status = FAILED if attempts >= MAX_ATTEMPTS else PENDING
    wait = min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)
    return replace(
        reminder,
        status=status,
        attempts=attempts,
        next_at=now + wait,
        deliveries=log,
        version=reminder.version + 1,
    )


def held_until(reminder: Reminder, until: datetime) -> Reminder:
    """A reminder that waits out the quiet hours."""
    return replace(reminder, next_at=until, version=reminder.version + 1)


def _reminder(
    cause: str, work: Obligation, to: tuple[str | None, ...], text: str, urgent: bool, now: datetime
) -> Reminder:
    return Reminder(
        f"{cause}:{work.obligation_id}",
        cause,
        work.obligation_id,
        work.elder_id,
        work.community,
        _named(to),
        text,
        urgent,
        now,
        now,
    )


def _named(names: tuple[str | None, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for n in names if n))


def _what(work: Obligation) -> str:
    if work.trigger in TRIGGERS:
        return TRIGGERS[work.trigger].label
    return OBLIGATION_KIND_LABELS.get(work.kind, work.kind)
