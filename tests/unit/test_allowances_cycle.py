"""The cycle's state machine: open -> reviewed -> approved -> exported -> paid, and every way
out of order is refused without a change."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.allowances.domain import cycle as rules
from services.allowances.domain.cycle import STATES, AllowanceCycle
from services.allowances.domain.payment_orders import Payment, PaymentException, PaymentOrder
from services.allowances.domain.roll import Totals, totals_of
from shared.errors import Conflict, DomainError, RuleViolation

AT = datetime(2026, 11, 20, 2, tzinfo=UTC)
TODAY = date(2026, 11, 20)
TOTALS = totals_of([])
PAID_LINE = Payment(
    "l1", "e1", "张三", "c01", 10000, "bank_account", "6222000000000001", "张三", "农商银行"
)
UNPAID = PaymentException("l2", "e2", "李四", "c01", 5000, "no_account", "no payee account")
ORDER = PaymentOrder("high_age:2026-11", "high_age 2026-11", (PAID_LINE,), (UNPAID,))


def opened(month: str = "2026-11", due_day: int = 25, by: str = "officer") -> AllowanceCycle:
    begun = rules.begin("high_age", month, by, AT, TODAY, due_day, {}, latest=None)
    return rules.opened(begun, TOTALS).after


def test_a_cycle_moves_through_every_state_once_recording_who_and_when():
    cycle = opened()
    assert (cycle.cycle_id, cycle.state, cycle.version) == ("high_age:2026-11", "open", 2)
    steps = [rules.review(cycle, "officer", AT, TODAY, "checked")]
    steps.append(rules.approve(steps[-1].after, "approver", AT))
    steps.append(rules.export(steps[-1].after, "officer", AT, ORDER, "abc"))
    steps.append(rules.mark_paid(steps[-1].after, "officer", AT, TODAY, TODAY))
    cycle = steps[-1].after
    assert [s.summary for s in steps] == [
        "cycle.reviewed",
        "cycle.approved",
        "cycle.exported",
        "cycle.paid",
    ]
    assert [kind for s in steps for kind, _ in s.events] == [
        "allowance.cycle_approved",
        "allowance.payment_exported",
    ]
    assert steps[1].events[0][1] == {
        "prepared_by": "officer",
        "approved_by": "approver",
        "late": False,
        "due_on": date(2026, 11, 25),
    }
    assert steps[2].events[0][1] == {
        "exported_by": "officer",
        "file_sha256": "abc",
        "file_payments": 1,
        "file_amount_fen": 10000,
        "exceptions": 1,
        "withheld_fen": 5000,
    }
    assert cycle.state == "paid" and cycle.version == 6
    assert (cycle.reviewed_by, cycle.approved_by, cycle.paid_on) == ("officer", "approver", TODAY)
    assert cycle.file_sha256 == "abc" and cycle.late is False


@pytest.mark.parametrize(
    ("submitted", "due_day", "month", "late"),
    [
        (date(2026, 11, 25), 25, "2026-11", False),
        (date(2026, 11, 26), 25, "2026-11", True),
        (date(2026, 12, 3), 25, "2026-11", True),
        (date(2026, 2, 28), 31, "2026-02", False),  # due on the month's last day
        (date(2026, 3, 1), 31, "2026-02", True),
    ],
)
def test_a_report_submitted_after_the_due_day_is_flagged_late(submitted, due_day, month, late):
    cycle = opened(month, due_day)
    assert cycle.overdue(submitted) is late
    reviewed = rules.review(cycle, "officer", AT, submitted, None).after
    assert (reviewed.submitted_on, reviewed.late) == (submitted, late)
    assert reviewed.overdue(submitted) is False


def test_the_preparer_cannot_approve_even_as_administrator():
    cycle = rules.review(opened(by="admin"), "admin", AT, TODAY, None).after
    with pytest.raises(RuleViolation, match="admin prepared this cycle"):
        rules.approve(cycle, "admin", AT)


def test_the_reviewer_cannot_approve_either():
    cycle = rules.review(opened(by="officer"), "qian", AT, TODAY, None).after
    with pytest.raises(RuleViolation, match="qian reviewed this cycle"):
        rules.approve(cycle, "qian", AT)
    assert rules.approve(cycle, "approver", AT).after.approved_by == "approver"


def test_approving_twice_is_a_conflict():
    reviewed = rules.review(opened(), "officer", AT, TODAY, None).after
    approved = rules.approve(reviewed, "approver", AT).after
    with pytest.raises(Conflict, match="already approved by approver"):
        rules.approve(approved, "another", AT)


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("open", lambda c: rules.approve(c, "approver", AT)),
        ("open", lambda c: rules.export(c, "officer", AT, ORDER, "x")),
        ("reviewed", lambda c: rules.review(c, "officer", AT, TODAY, None)),
        ("reviewed", lambda c: rules.export(c, "officer", AT, ORDER, "x")),
        ("approved", lambda c: rules.mark_paid(c, "officer", AT, TODAY, TODAY)),
        ("exported", lambda c: rules.export(c, "officer", AT, ORDER, "x")),
        ("paid", lambda c: rules.mark_paid(c, "officer", AT, TODAY, TODAY)),
        ("opening", lambda c: rules.review(c, "officer", AT, TODAY, None)),
    ],
)
def test_steps_out_of_order_are_conflicts(state, action):
    with pytest.raises(Conflict):
        action(replace(opened(), state=state))


def test_opening_is_refused_for_a_future_month_or_before_the_latest_cycle():
    with pytest.raises(RuleViolation, match="future month"):
        rules.begin("high_age", "2026-12", "officer", AT, TODAY, 25, {}, None)
    latest = opened("2026-10")
    with pytest.raises(RuleViolation, match="month order"):
        rules.begin("high_age", "2026-10", "officer", AT, TODAY, 25, {}, latest)
    still_opening = replace(latest, state="opening")
    with pytest.raises(Conflict, match="still being opened"):
        rules.begin("high_age", "2026-11", "officer", AT, TODAY, 25, {}, still_opening)
    with pytest.raises(RuleViolation, match="not a month"):
        rules.begin("high_age", "2026-13", "officer", AT, TODAY, 25, {}, None)


def test_a_roll_that_does_not_reconcile_cannot_be_frozen():
    begun = rules.begin("high_age", "2026-11", "officer", AT, TODAY, 25, {}, None)
    wrong = Totals(1, 1, (), (), 1, 100, 0, 0, 99)
    with pytest.raises(RuleViolation, match="does not reconcile"):
        rules.opened(begun, wrong)


def test_payment_cannot_be_dated_in_the_future():
    exported = replace(opened(), state="exported")
    with pytest.raises(RuleViolation, match="future"):
        rules.mark_paid(exported, "officer", AT, date(2026, 11, 21), TODAY)


ACTIONS = {
    "review": lambda c, who: rules.review(c, who, AT, TODAY, None),
    "approve": lambda c, who: rules.approve(c, who, AT),
    "export": lambda c, who: rules.export(c, who, AT, ORDER, "x"),
    "paid": lambda c, who: rules.mark_paid(c, who, AT, TODAY, TODAY),
}


@given(
    st.lists(
        st.tuples(st.sampled_from(sorted(ACTIONS)), st.sampled_from(["officer", "approver"])),
        max_size=12,
    )
)
def test_whatever_is_tried_the_state_only_moves_forward_one_step_at_a_time(attempts):
    cycle = opened()
    for action, who in attempts:
        try:
            moved = ACTIONS[action](cycle, who).after
        except DomainError:
            continue
        assert STATES.index(moved.state) == STATES.index(cycle.state) + 1
        assert moved.version == cycle.version + 1
        cycle = moved
    assert cycle.approved_by in (None, "approver")  # never the preparer


def test_a_voucher_cycle_is_never_exported_or_paid_as_cash():
    begun = rules.begin("home_care_voucher", "2026-11", "officer", AT, TODAY, 25, {}, latest=None)
    reviewed = rules.review(rules.opened(begun, TOTALS).after, "officer", AT, TODAY, None)
    approved = rules.approve(reviewed.after, "approver", AT).after
    assert approved.state == "approved"  # the vouchers are issued
    with pytest.raises(RuleViolation, match="not cash: a voucher cycle has no payment file"):
        rules.export(approved, "officer", AT, ORDER, "abc")
    exported = replace(approved, state="exported")  # as if written by an older version
    with pytest.raises(RuleViolation, match="not cash"):
        rules.mark_paid(exported, "officer", AT, TODAY, TODAY)
    festival = rules.begin("festival:spring", "2026-11", "officer", AT, TODAY, 25, {}, None)
    rules.require_cash(festival)  # gifts are money
