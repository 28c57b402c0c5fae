"""Reminders of the month's cycles, on allowances' stores in memory: three days before the
report day a cycle not handed in is reminded of, after it it is late; once per cycle and cause,
to its preparer, or to the officers the rules name while nobody has opened it."""

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

import pytest
from memory_allowances import memory_allowances

from services.allowances.domain.cycle import OPEN, REVIEWED, AllowanceCycle
from services.allowances.domain.cycle_reminders import cycle_reminders
from services.allowances.service_layer.reminders import remind
from shared.clock import FixedClock
from shared.reminders import Delivery, Reminder, ReminderRules

NOW = datetime(2026, 11, 22, 2, tzinfo=UTC)  # the 22nd: the 25th is three days away


def cycle(programme: str, state: str = OPEN, by: str = "officer-a") -> AllowanceCycle:
    return AllowanceCycle(
        f"{programme}:2026-11", programme, "2026-11", state, by, NOW, date(2026, 11, 25), {}
    )


def test_three_days_ahead_a_cycle_not_handed_in_is_due_and_after_the_day_late():
    opened = {"high_age": cycle("high_age")}
    officers = ("officer-b", "officer-c")
    early = cycle_reminders("2026-11", 25, opened, officers, date(2026, 11, 21), NOW)
    assert early == []
    due = cycle_reminders("2026-11", 25, opened, officers, date(2026, 11, 22), NOW)
    assert [(r.reminder_id, r.recipients) for r in due] == [
        ("cycle_due:high_age:2026-11", ("officer-a",)),  # its preparer
        ("cycle_due:home_care_voucher:2026-11", officers),  # not opened: the officers
    ]
    assert "高龄津贴2026年11月发放名册及月报表应于2026-11-25前报送（还有3天）" in due[0].text
    assert "尚未生成" in due[1].text
    late = cycle_reminders("2026-11", 25, opened, officers, date(2026, 11, 26), NOW)
    assert [r.cause for r in late] == ["cycle_late", "cycle_late"] and "已逾期" in late[0].text
    handed_in = {"high_age": cycle("high_age", REVIEWED)}
    assert [
        r.subject for r in cycle_reminders("2026-11", 25, handed_in, (), date(2026, 11, 26), NOW)
    ] == ["home_care_voucher:2026-11"]


@dataclass
class Group:
    """A channel that keeps what it is given (the real ones are tested against HTTP)."""

    name: str = "wecom"
    given: list[str] = field(default_factory=list)

    def send(self, reminder: Reminder, phones, now) -> Delivery:
        self.given.append(reminder.reminder_id)
        return Delivery(self.name, now, True, "ok")


def test_the_duty_sends_each_cycle_reminder_once():
    group = Group()
    allowances = replace(memory_allowances(NOW), channels=(group,))
    current = allowances.programmes.get()
    allowances.programmes.save(
        current, replace(current, reminders=ReminderRules(to=("officer-b",)), version=1), "x"
    )
    allowances.cycles.add(cycle("high_age"))
    first = remind(allowances)
    assert (first.created, first.sent) == (2, 2)
    assert remind(allowances).created == 0 and len(group.given) == 2
    late = remind(replace(allowances, clock=FixedClock(datetime(2026, 11, 26, 2, tzinfo=UTC))))
    assert (late.created, late.sent) == (2, 2)
    assert sorted(group.given)[:2] == [
        "cycle_due:high_age:2026-11",
        "cycle_due:home_care_voucher:2026-11",
    ]


@pytest.mark.parametrize("day", [10, 21])
def test_nothing_before_three_days_ahead(day):
    allowances = memory_allowances(datetime(2026, 11, day, 2, tzinfo=UTC))
    assert remind(allowances).created == 0


@dataclass
class Down:
    """A channel that cannot be reached: every reminder stays pending, to be tried again."""

    name: str = "sms"

    def send(self, reminder: Reminder, phones, now) -> Delivery:
        return Delivery(self.name, now, False, "unreachable")


def test_a_reminder_still_waiting_when_its_cycle_is_handed_in_is_withdrawn():
    allowances = replace(memory_allowances(NOW), channels=(Down(),))
    allowances.cycles.add(cycle("high_age"))
    allowances.cycles.add(cycle("home_care_voucher"))
    first = remind(allowances)
    assert (first.created, first.retrying) == (2, 2)
    opened = allowances.cycles.require("high_age:2026-11")
    allowances.cycles.save(opened, replace(opened, state=REVIEWED))
    # a last month's reminder still waiting is not this month's pass to judge
    old = replace(
        cycle_reminders("2026-10", 25, {}, ("officer-b",), date(2026, 10, 26), NOW)[0], next_at=NOW
    )
    allowances.reminders.add(old)
    later = remind(replace(allowances, clock=FixedClock(datetime(2026, 11, 22, 3, tzinfo=UTC))))
    assert later.withdrawn == 1
    statuses = {r.reminder_id: r.status for r in allowances.reminders.each({})}
    assert statuses["cycle_due:high_age:2026-11"] == "withdrawn"
    assert statuses["cycle_due:home_care_voucher:2026-11"] == "pending"
    assert statuses[old.reminder_id] == "pending"
