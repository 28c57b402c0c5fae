"""The rules of reminders: quiet hours across midnight or within a day, who is told, and how
a failing delivery is tried again and given up."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.visits.domain.config import CommunityStaff
from services.visits.domain.obligations import Obligation
from services.visits.domain.reminders import due_soon, overdue
from shared.errors import RuleViolation
from shared.reminders import FAILED, PENDING, SENT, Delivery, ReminderRules, delivered

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("at", "ends"),
    [
        (local(29, 23), local(30, 7)),  # late evening: until tomorrow morning
        (local(30, 6, 59), local(30, 7)),  # early morning: until this morning
        (local(30, 7), None),  # the quiet hours are over
        (local(29, 21, 59), None),
    ],
)
def test_quiet_hours_across_midnight_end_at_the_next_morning(at, ends):
    assert ReminderRules(quiet_from="22:00", quiet_until="07:00").quiet_end(at, SHANGHAI) == ends


def test_quiet_hours_within_a_day_and_none_at_all():
    lunch = ReminderRules(quiet_from="12:00", quiet_until="13:30")
    assert lunch.quiet_end(local(29, 12, 15), SHANGHAI) == local(29, 13, 30)
    assert lunch.quiet_end(local(29, 13, 30), SHANGHAI) is None
    assert ReminderRules().quiet_end(local(29, 3), SHANGHAI) is None


@pytest.mark.parametrize(
    "rules",
    [
        {"quiet_from": "22:00"},
        {"quiet_from": "25:00", "quiet_until": "07:00"},
        {"quiet_from": "07:00", "quiet_until": "07:00"},
        {"due_within_hours": 0},
    ],
)
def test_rules_that_make_no_sense_are_refused(rules):
    with pytest.raises(RuleViolation):
        ReminderRules(**rules)


def work(assignee=None) -> Obligation:
    return Obligation(
        "incident:a-1",
        "e-1",
        "xinhua",
        "mandatory",
        "incident:a-1",
        NOW,
        NOW + timedelta(hours=10),
        NOW,
        assignee,
        "hospitalised",
    )


def test_the_assignee_is_told_else_the_worker_and_the_head_once_work_is_overdue():
    staff = CommunityStaff("xinhua", worker="wang", head="li")
    assert due_soon(work("zhao"), staff, "张桂英", NOW).recipients == ("zhao",)
    assert due_soon(work(), staff, "张桂英", NOW).recipients == ("wang",)
    late = overdue(work("wang"), staff, "张桂英", NOW)
    assert (late.reminder_id, late.recipients) == ("overdue:incident:a-1", ("wang", "li"))
    assert "生病住院" in late.text and not late.urgent


def test_a_failing_delivery_waits_longer_each_time_and_is_given_up_after_five():
    reminder = due_soon(work("wang"), CommunityStaff("xinhua"), "张桂英", NOW)
    waits = []
    for attempt in range(1, 6):
        reminder = delivered(reminder, [Delivery("webhook", NOW, False, "HTTP 500")], NOW)
        waits.append(reminder.next_at - NOW)
        assert reminder.status == (FAILED if attempt == 5 else PENDING)
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    taken = delivered(
        due_soon(work("wang"), CommunityStaff("x"), "张", NOW),
        [Delivery("sms", NOW, True, "HTTP 200")],
        NOW,
    )
    assert (taken.status, taken.attempts) == (SENT, 1)
