from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.visits.domain.obligations import (
    Obligation,
    cancel,
    flag_overdue,
    mandatory_visit,
    meet,
    reassign,
)
from services.visits.domain.triggers import reported
from services.visits.domain.visit_records import record_visit
from shared.errors import Conflict, RuleViolation

OCCURRED = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
NOW = OCCURRED + timedelta(hours=1)
DUE = OCCURRED + timedelta(hours=72)


def obligation(**changes) -> Obligation:
    incident = reported("i-1", "e-1", "hospitalised", OCCURRED, "hospital")
    return replace(mandatory_visit(incident, "xinhua", 72, "wang", NOW), **changes)


def visit(at=NOW, kind="home", elder_id="e-1", gift=None):
    return record_visit(
        "v-1", elder_id, "xinhua", "wang", at, kind, "wang", at + timedelta(days=10), gift=gift
    )


def test_a_visit_in_person_meets_the_obligation_and_says_if_it_was_on_time():
    change = meet(obligation(), visit(at=OCCURRED + timedelta(hours=5)), NOW)
    met = change.after
    assert (met.status, met.visit_id, met.on_time, met.version) == ("met", "v-1", True, 2)
    assert [kind for kind, _ in change.events] == ["obligation.met"]
    assert change.events[0][1]["on_time"] is True
    late = meet(obligation(), visit(at=DUE + timedelta(minutes=1)), NOW).after
    assert late.on_time is False


def test_only_a_fitting_visit_meets_an_obligation():
    with pytest.raises(RuleViolation, match="phone call"):
        meet(obligation(), visit(kind="phone"), NOW)
    with pytest.raises(RuleViolation, match="another elder"):
        meet(obligation(), visit(elder_id="e-2"), NOW)
    with pytest.raises(RuleViolation, match="before obligation incident:i-1 opened"):
        meet(obligation(), visit(at=OCCURRED - timedelta(hours=1)), NOW)
    festival = obligation(kind="festival", trigger=None)
    with pytest.raises(RuleViolation, match="gift") as refused:
        meet(festival, visit(), NOW)
    assert refused.value.context == {"field": "gift"}
    assert meet(festival, visit(gift="月饼一盒"), NOW).after.gift == "月饼一盒"
    door_check = obligation(kind="door_check", trigger=None)
    with pytest.raises(RuleViolation, match="what was checked"):
        meet(door_check, visit(), NOW)


def test_a_visit_given_to_the_minute_meets_an_obligation_opened_in_that_minute():
    """A form gives the time to the minute: 08:00 meets what opened at 08:00:40, not 08:01."""
    opened = obligation(opens_at=OCCURRED + timedelta(seconds=40))
    assert meet(opened, visit(at=OCCURRED), NOW).after.status == "met"
    later = obligation(opens_at=OCCURRED + timedelta(minutes=1))
    with pytest.raises(RuleViolation, match="before obligation"):
        meet(later, visit(at=OCCURRED), NOW)


def test_a_closed_obligation_is_neither_met_nor_cancelled_again():
    met = meet(obligation(), visit(), NOW).after
    cancelled = cancel(obligation(), "deceased", NOW).after
    assert (cancelled.status, cancelled.cancelled_reason) == ("cancelled", "deceased")
    for closed in (met, cancelled):
        with pytest.raises(Conflict, match="no longer open"):
            meet(closed, visit(), NOW)
        with pytest.raises(Conflict):
            cancel(closed, "again", NOW)


def test_overdue_is_flagged_once_and_escalated_once_to_the_head():
    late = DUE + timedelta(seconds=1)
    assert flag_overdue(obligation(), DUE, "li").events == ()  # due at, not yet past
    change = flag_overdue(obligation(), late, "li")
    assert [kind for kind, _ in change.events] == ["obligation.overdue", "obligation.escalated"]
    assert (change.after.overdue, change.after.escalated_to) == (True, "li")
    assert flag_overdue(change.after, late + timedelta(days=1), "li").events == ()


def test_without_a_head_the_obligation_waits_overdue_for_escalation():
    late = DUE + timedelta(hours=1)
    waiting = flag_overdue(obligation(), late, None)
    assert [kind for kind, _ in waiting.events] == ["obligation.overdue"]
    assert not waiting.after.escalated
    assert flag_overdue(waiting.after, late, None).events == ()
    named = flag_overdue(waiting.after, late, "li")
    assert [kind for kind, _ in named.events] == ["obligation.escalated"]


@given(st.timedeltas(min_value=timedelta(days=-30), max_value=timedelta(days=30)))
def test_only_open_work_past_its_due_time_becomes_overdue(offset):
    now = DUE + offset
    for candidate in (obligation(), meet(obligation(), visit(), NOW).after):
        change = flag_overdue(candidate, now, "li")
        assert change.after.overdue == (candidate.status == "open" and now > DUE)
        assert change.after.version == candidate.version + (1 if change.events else 0)


def test_reassigning_records_where_the_work_was_before():
    change = reassign(obligation(), "dongfeng", "zhao")
    assert (change.after.community, change.after.assignee) == ("dongfeng", "zhao")
    assert change.events == (
        ("obligation.reassigned", {"previous_community": "xinhua", "previous_assignee": "wang"}),
    )
    assert reassign(obligation(), "xinhua", "wang").events == ()
