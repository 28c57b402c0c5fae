"""Reminders that reach people, as every service sends them: a reminder is decided once per
cause (its id is the cause and the id of what it is about), stored, then sent on every
configured channel (`shared.reminder_channels`). A non-urgent one waits for the end of the
district's quiet hours. A delivery that fails is tried again later, with a growing wait, on the
channels that failed only, and after `MAX_ATTEMPTS` it stays failed, with each try's reason.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from shared.errors import RuleViolation

PENDING, SENT, FAILED = "pending", "sent", "failed"
WITHDRAWN = "withdrawn"  # its cause went (the work was done) before it could be sent
STATUSES = (PENDING, SENT, FAILED, WITHDRAWN)
MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)


@dataclass(frozen=True)
class ReminderRules:
    """The district's choices: how long before its deadline work is reminded of, the quiet
    hours (local time; None: none), the staff's mobile numbers for SMS, by user name, and who
    is told of work that has no one of its own yet (`to`: e.g. a month's cycle not opened)."""

    due_within_hours: int = 24
    quiet_from: str | None = None  # "22:00"
    quiet_until: str | None = None  # "07:00"
    phones: dict[str, str] = field(default_factory=dict)
    to: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 1 <= self.due_within_hours <= 24 * 14:
            raise RuleViolation("remind between 1 hour and 14 days ahead", field="due_within_hours")
        if (self.quiet_from is None) != (self.quiet_until is None):
            raise RuleViolation("give both ends of the quiet hours, or neither", field="quiet_from")
        for name in ("quiet_from", "quiet_until"):
            _clock_time(getattr(self, name), name)
        if self.quiet_from is not None and self.quiet_from == self.quiet_until:
            raise RuleViolation("the quiet hours end when they begin", field="quiet_until")

    def quiet_end(self, at: datetime, zone: ZoneInfo) -> datetime | None:
        """When the quiet hours that hold `at` end; None if `at` is not in quiet hours."""
        start = _clock_time(self.quiet_from, "quiet_from")
        end = _clock_time(self.quiet_until, "quiet_until")
        if start is None or end is None:
            return None
        local = at.astimezone(zone)
        now = local.time()
        inside = start <= now < end if start < end else now >= start or now < end
        if not inside:
            return None
        until = datetime.combine(local.date(), end, zone)
        return until if until > local else until + timedelta(days=1)


@dataclass(frozen=True)
class Delivery:
    """One try of one channel."""

    channel: str
    at: datetime
    ok: bool
    detail: str


@dataclass(frozen=True)
class Reminder:
    reminder_id: str  # <cause>:<subject>: one per cause
    cause: str
    subject: str  # the id of what it is about: an obligation, a help request, a cycle
    elder_id: str | None
    community: str | None
    recipients: tuple[str, ...]
    text: str
    urgent: bool
    created_at: datetime
    next_at: datetime  # when it is (next) to be sent
    status: str = PENDING
    attempts: int = 0
    deliveries: tuple[Delivery, ...] = ()
    version: int = 1


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


def withdrawn(reminder: Reminder) -> Reminder:
    """A reminder not yet sent whose cause has gone: held through the quiet hours, or waiting
    to be tried again, while the work was done."""
    return replace(reminder, status=WITHDRAWN, version=reminder.version + 1)


def held_until(reminder: Reminder, until: datetime) -> Reminder:
    """A reminder that waits out the quiet hours."""
    return replace(reminder, next_at=until, version=reminder.version + 1)


def reminder_id(cause: str, subject: str) -> str:
    """A reminder's id: its cause and what it is about, so that it is decided once."""
    return f"{cause}:{subject}"


def named(names: tuple[str | None, ...]) -> tuple[str, ...]:
    """The names given, each once and in order, leaving out the missing ones."""
    return tuple(dict.fromkeys(n for n in names if n))


def _clock_time(text: str | None, name: str) -> time | None:
    if text is None:
        return None
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise RuleViolation(f"{text!r} is not a time of day such as 22:00", field=name) from None
