"""Use case: the reminders duty, run by the worker every minute. It decides which reminders
the work as it stands calls for (each once: its id is its cause), then sends those that are
due on every configured channel, holding the non-urgent ones through the quiet hours."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from services.visits.domain import reminders as rules
from services.visits.domain.config import VisitsConfig
from services.visits.domain.reminders import Delivery, Reminder
from services.visits.service_layer.container import Visits
from shared import metrics

BATCH = 200  # reminders sent in one pass at the most


@dataclass(frozen=True)
class ReminderPass:
    created: int
    sent: int
    retrying: int
    failed: int
    held: int  # waiting for the end of the quiet hours


def remind(visits: Visits) -> ReminderPass:
    now, config = visits.clock.now(), visits.config.get()
    created = sum(visits.reminders.add(r) for r in _new_reminders(visits, config, now))
    outcomes = [_send(visits, config, r, now) for r in _due(visits, now)]
    return ReminderPass(
        created,
        outcomes.count(rules.SENT),
        outcomes.count(rules.PENDING),
        outcomes.count(rules.FAILED),
        outcomes.count("held"),
    )


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


def _due(visits: Visits, now: datetime) -> list[Reminder]:
    due = visits.reminders.each(
        {"status": rules.PENDING, "next_at": {"$lte": now}}, [("next_at", 1)]
    )
    return [r for _, r in zip(range(BATCH), due, strict=False)]


def _send(visits: Visits, config: VisitsConfig, reminder: Reminder, now: datetime) -> str:
    if not visits.channels:
        return "unsent"  # kept, for the log, until a channel is configured
    quiet_end = None if reminder.urgent else config.reminders.quiet_end(now, visits.settings.zone)
    if quiet_end is not None:
        visits.reminders.save(reminder, rules.held_until(reminder, quiet_end))
        return "held"
    phones = config.reminders.phones
    done = {d.channel for d in reminder.deliveries if d.ok}  # a retry sends nothing twice
    left = [c for c in visits.channels if c.name not in done]
    tries = [d for c in left if (d := c.send(reminder, phones, now)) is not None]
    if not tries:
        tries = [Delivery("none", now, False, "no configured channel reaches its recipients")]
    after = rules.delivered(reminder, tries, now)
    if not visits.reminders.save(reminder, after):
        return "changed meanwhile"  # another worker's pass took it
    metrics.REMINDERS.labels(visits.settings.service, reminder.cause, after.status).inc()
    return after.status


def _name(visits: Visits, elder_id: str) -> str:
    elder = visits.elders.get(elder_id)
    return elder.name if elder else elder_id
