"""Sending the reminders that are due, the one way every service's duty does it: the pending
ones whose time has come, oldest first, a batch at a time; each held through the quiet hours
unless urgent, else tried on the channels that have not yet taken it."""

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from shared import metrics
from shared.config import Settings
from shared.reminder_channels import Channel
from shared.reminders import (
    FAILED,
    PENDING,
    SENT,
    WITHDRAWN,
    Delivery,
    Reminder,
    ReminderRules,
    delivered,
    held_until,
    withdrawn,
)
from shared.staff_contacts import StaffContact, mobiles_of
from shared.stores import ProjectionStore, RecordStore

BATCH = 200  # reminders sent in one pass at the most
# No reminder is begun after this long into a pass; the rest wait for the next. A receiver
# that hangs costs each try its channel's timeout, and a pass that outlived its duty's lease
# (shared.leases: two periods and a minute) could meet another copy's pass sending the same.
SENDING_SECONDS = 60.0
HELD = "held"
UNSENT = "unsent"


@dataclass(frozen=True)
class ReminderPass:
    """What one pass of a reminders duty did."""

    created: int
    sent: int
    retrying: int
    failed: int
    held: int  # waiting for the end of the quiet hours
    withdrawn: int = 0  # not sent: their cause went first

    @classmethod
    def of(cls, created: int, outcomes: list[str], withdrawn: int = 0) -> "ReminderPass":
        return cls(
            created,
            outcomes.count(SENT),
            outcomes.count(PENDING),
            outcomes.count(FAILED),
            outcomes.count(HELD),
            withdrawn,
        )


class Reminding(Protocol):
    """A service's container that sends reminders: its settings, store and channels."""

    @property
    def settings(self) -> Settings: ...

    @property
    def reminders(self) -> RecordStore[Reminder]: ...

    @property
    def channels(self) -> Sequence[Channel]: ...

    @property
    def staff_contacts(self) -> ProjectionStore[StaffContact]: ...


@dataclass(frozen=True)
class Outbound:
    """Where a service's reminders go, and by its rules."""

    service: str
    store: RecordStore[Reminder]
    channels: Sequence[Channel]
    rules: ReminderRules
    zone: ZoneInfo
    contacts: ProjectionStore[StaffContact]

    @classmethod
    def of(cls, service: Reminding, rules: ReminderRules) -> "Outbound":
        settings = service.settings
        return cls(
            settings.service,
            service.reminders,
            service.channels,
            rules,
            settings.zone,
            service.staff_contacts,
        )

    def phones(self, reminder: Reminder) -> dict[str, str]:
        """The recipients' mobile numbers: their accounts' (`shared.staff_contacts`), else
        those the rules give by user name."""
        return {**self.rules.phones, **mobiles_of(self.contacts, reminder.recipients)}


def kept(store: RecordStore[Reminder], reminder_ids: Sequence[str]) -> set[str]:
    """Those of the reminders that are kept already: decided on an earlier pass."""
    return {r.reminder_id for r in store.each({"_id": {"$in": list(reminder_ids)}})}


def keep_and_send(
    outbound: Outbound,
    new: Iterable[Reminder],
    now: datetime,
    gone: Callable[[Reminder], bool] = lambda _reminder: False,
) -> ReminderPass:
    """One pass of a reminders duty: keep the new reminders that reach someone, withdraw
    those not yet sent whose cause is `gone` (the duty's pass no longer calls for them), then
    send what is due."""
    created = sum(outbound.store.add(r) for r in new if r.recipients)
    dropped = withdraw(outbound, gone)
    return ReminderPass.of(created, send_due(outbound, now), dropped)


def withdraw(outbound: Outbound, gone: Callable[[Reminder], bool]) -> int:
    """Withdraw the pending reminders whose cause has gone: a visit held through the night is
    not announced in the morning once it was made."""
    stale = [r for r in outbound.store.each({"status": PENDING}) if gone(r)]
    dropped = sum(outbound.store.save(r, withdrawn(r)) for r in stale)
    if dropped:
        metrics.REMINDERS.labels(outbound.service, "any", WITHDRAWN).inc(dropped)
    return dropped


def send_due(
    outbound: Outbound, now: datetime, timer: Callable[[], float] = time.monotonic
) -> list[str]:
    """Send what is due now, oldest first, for `SENDING_SECONDS` at the most; each reminder's
    outcome: sent, pending (to be tried again), failed, held (quiet hours), unsent (no channel
    configured: kept for the log). What is left stays pending for the next pass."""
    due = outbound.store.each({"status": PENDING, "next_at": {"$lte": now}}, [("next_at", 1)])
    until = timer() + SENDING_SECONDS
    outcomes = []
    for reminder in list(due)[:BATCH]:
        if timer() >= until:
            break
        outcomes.append(_send(outbound, reminder, now))
    return outcomes


def _send(outbound: Outbound, reminder: Reminder, now: datetime) -> str:
    if not outbound.channels:
        return UNSENT
    quiet_end = None if reminder.urgent else outbound.rules.quiet_end(now, outbound.zone)
    if quiet_end is not None:
        outbound.store.save(reminder, held_until(reminder, quiet_end))
        return HELD
    done = {d.channel for d in reminder.deliveries if d.ok}  # a retry sends nothing twice
    left = [c for c in outbound.channels if c.name not in done]
    phones = outbound.phones(reminder)
    tries = [d for c in left if (d := c.send(reminder, phones, now)) is not None]
    if not tries:
        tries = [Delivery("none", now, False, "no configured channel reaches its recipients")]
    after = delivered(reminder, tries, now)
    if not outbound.store.save(reminder, after):
        return "changed meanwhile"  # another worker's pass took it
    metrics.REMINDERS.labels(outbound.service, reminder.cause, after.status).inc()
    return after.status
