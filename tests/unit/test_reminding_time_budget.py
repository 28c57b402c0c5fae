"""A pass of a reminders duty begins no send after its time is up: a receiver that hangs costs
each try its channel's timeout, and the rest wait, still pending, for the next pass, instead of
keeping the pass past its duty's lease (when another copy's pass could send the same)."""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from shared.clock import FixedClock
from shared.memory_stores import MemoryProjection, MemoryRecords
from shared.reminders import PENDING, SENT, Delivery, Reminder, ReminderRules
from shared.reminding import SENDING_SECONDS, Outbound, send_due
from shared.staff_contacts import StaffContact

NOW = datetime(2026, 11, 29, 2, tzinfo=UTC)
HANG = 25.0  # seconds each send takes: a receiver that answers only at its timeout


class SlowReceiver:
    """A channel whose every send takes `HANG` seconds of the pass's timer."""

    name = "webhook"

    def __init__(self) -> None:
        self.elapsed = 0.0
        self.sent: list[str] = []

    def send(self, reminder: Reminder, phones: Mapping[str, str], now: datetime) -> Delivery:
        self.elapsed += HANG
        self.sent.append(reminder.reminder_id)
        return Delivery(self.name, now, True, "200")


def reminder(n: int) -> Reminder:
    at = NOW - timedelta(minutes=10 - n)
    return Reminder(
        f"overdue:o{n}", "overdue", f"o{n}", None, "c01", ("wang",), "逾期", False, at, at
    )


def test_a_pass_begins_no_send_once_its_time_is_up_and_the_rest_wait_for_the_next():
    store = MemoryRecords("reminders", Reminder, "reminder", FixedClock(NOW))
    for n in range(6):
        store.add(reminder(n))
    receiver = SlowReceiver()
    outbound = Outbound(
        "visits",
        store,
        [receiver],
        ReminderRules(),
        ZoneInfo("Asia/Shanghai"),
        MemoryProjection(StaffContact),
    )
    first = send_due(outbound, NOW, timer=lambda: receiver.elapsed)
    begun = int(SENDING_SECONDS // HANG) + 1  # those begun before the time was up
    assert first == [SENT] * begun
    assert receiver.sent == [f"overdue:o{n}" for n in range(begun)]  # oldest first
    left = [r.reminder_id for r in store.each({"status": PENDING})]
    assert left == [f"overdue:o{n}" for n in range(begun, 6)]
    receiver.elapsed = 0.0  # the next pass
    assert send_due(outbound, NOW, timer=lambda: receiver.elapsed) == [SENT] * (6 - begun)
    assert len(receiver.sent) == len(set(receiver.sent)) == 6  # each sent once
