"""Use case: the reminders duty, run by the worker every minute. It decides which reminders
the work as it stands calls for (each once: its id is its cause), then sends those that are
due on every configured channel, holding the non-urgent ones through the quiet hours."""

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from services.visits.domain import reminders as rules
from services.visits.domain.config import VisitsConfig
from services.visits.service_layer.container import Visits
from shared.reminders import Reminder, reminder_id
from shared.reminding import Outbound, ReminderPass, keep_and_send, kept

# (the reminder's id, the elder's, how to make it given the elder's name)
Called = tuple[str, str, Callable[[str], Reminder]]


def remind(visits: Visits) -> ReminderPass:
    now, config = visits.clock.now(), visits.config.get()
    found = _called_for(visits, config, now)
    new = _new_reminders(visits, found)
    called = {reminder_id for reminder_id, _, _ in found}

    def gone(reminder: Reminder) -> bool:
        """The work it was about was done, or answered, before it could be sent."""
        return reminder.reminder_id not in called

    return keep_and_send(Outbound.of(visits, config.reminders), new, now, gone)


def _new_reminders(visits: Visits, found: list[Called]) -> list[Reminder]:
    """The reminders the work calls for that are not yet kept; the elders' names are read for
    those only (most of the work found on each pass was reminded of already)."""
    known = kept(visits.reminders, [reminder_id for reminder_id, _, _ in found])
    return [
        build(_name(visits, elder_id))
        for reminder_id, elder_id, build in found
        if reminder_id not in known
    ]


def _called_for(visits: Visits, config: VisitsConfig, now: datetime) -> list[Called]:
    horizon = now + timedelta(hours=config.reminders.due_within_hours)
    found: list[Called] = []
    for work in visits.obligations.each({"status": "open", "due_at": {"$lt": horizon}}):
        cause, decide = (
            (rules.OVERDUE, rules.overdue)
            if work.due_at <= now
            else (rules.DUE_SOON, rules.due_soon)
        )
        staff = config.staff(work.community)
        build = partial(decide, work, staff, now=now)
        found.append((reminder_id(cause, work.obligation_id), work.elder_id, build))
    urgent = {"status": "open", "urgency": "urgent", "respond_by": {"$lt": now}}
    for call in visits.help_requests.each(urgent):
        build = partial(rules.unanswered, call, config.staff(call.community), now=now)
        found.append((reminder_id(rules.UNANSWERED, call.request_id), call.elder_id, build))
    for complaint in visits.complaints.each({"status": "open", "answer_by": {"$lt": now}}):
        build = partial(rules.complaint_overdue, complaint, config.staff(complaint.community))
        the_id = reminder_id(rules.COMPLAINT_OVERDUE, complaint.complaint_id)
        found.append((the_id, complaint.elder_id or "", partial(build, now=now)))
    return found


def _name(visits: Visits, elder_id: str) -> str:
    elder = visits.elders.get(elder_id)
    return elder.name if elder else elder_id
