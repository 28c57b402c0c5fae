"""Use case: the reminders duty, run by the worker every minute. It decides which reminders
the work as it stands calls for (each once: its id is its cause), then sends those that are
due on every configured channel, holding the non-urgent ones through the quiet hours."""

from datetime import datetime, timedelta

from services.visits.domain import reminders as rules
from services.visits.domain.config import VisitsConfig
from services.visits.service_layer.container import Visits
from shared.reminders import Reminder
from shared.reminding import Outbound, ReminderPass, send_due


def remind(visits: Visits) -> ReminderPass:
    now, config = visits.clock.now(), visits.config.get()
    created = sum(visits.reminders.add(r) for r in _new_reminders(visits, config, now))
    outbound = Outbound(
        visits.settings.service,
        visits.reminders,
        visits.channels,
        config.reminders,
        visits.settings.zone,
    )
    return ReminderPass.of(created, send_due(outbound, now))


def _new_reminders(visits: Visits, config: VisitsConfig, now: datetime) -> list[Reminder]:
    horizon = now + timedelta(hours=config.reminders.due_within_hours)
    found: list[Reminder] = []
    for work in visits.obligations.each({"status": "open", "due_at": {"$lt": horizon}}):
        decide = rules.overdue if work.due_at <= now else rules.due_soon
        found.append(decide(work, config.staff(work.community), _name(visits, work.elder_id), now))
    urgent = {"status": "open", "urgency": "urgent", "respond_by": {"$lt": now}}
    for call in visits.help_requests.each(urgent):
        staff = config.staff(call.community)
        found.append(rules.unanswered(call, staff, _name(visits, call.elder_id), now))
    known = {
        r.reminder_id
        for r in visits.reminders.each({"_id": {"$in": [r.reminder_id for r in found]}})
    }
    return [r for r in found if r.reminder_id not in known and r.recipients]


def _name(visits: Visits, elder_id: str) -> str:
    elder = visits.elders.get(elder_id)
    return elder.name if elder else elder_id
