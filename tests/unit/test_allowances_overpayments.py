"""Overpayments: what was paid for months from a stop on, to the fen, by the rule of the cycle
that paid it; a receivable resolved by hand with four eyes. Deductions from a living elder's
next payments, never below zero."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.allowances.domain.adjustments import Adjustment, corrections, stranded
from services.allowances.domain.elder import Elder
from services.allowances.domain.overpayments import (
    approve_resolution,
    from_deduction,
    overpayments,
    propose_recovered,
    propose_waiver,
    reject_resolution,
)
from services.allowances.domain.programmes import HighAgeProgramme, VoucherProgramme
from services.allowances.domain.roll import LineItem, roll_line
from services.allowances.domain.stops import stop_of
from shared.errors import Conflict, RuleViolation
from shared.months import add_months

AT = datetime(2026, 12, 2, 2, tzinfo=UTC)
ALIVE = Elder("e-1", "张桂芳", date(1940, 5, 5), "c01", 1, home_care=True)


def paid(month: str, programme=None, corrections=()):
    programme = programme or HighAgeProgramme()
    code = "home_care_voucher" if isinstance(programme, VoucherProgramme) else "high_age"
    assessed = programme.assess(ALIVE, month, "month_after")
    return roll_line(f"{code}:{month}", code, month, ALIVE, assessed, corrections)


def overpaid(elder: Elder, rule: str, lines) -> list:
    """What `lines` overpaid, each paid by a cycle whose stop rule was `rule`."""
    return overpayments(elder, lines, {line.cycle_id: rule for line in lines}, AT)


def died(on: date) -> Elder:
    return Elder("e-1", "张桂芳", date(1940, 5, 5), "c01", 2, status="deceased", died_on=on)


def test_a_death_after_a_paid_month_gives_the_exact_overpayment():
    lines = [paid("2026-08"), paid("2026-09"), paid("2026-10")]
    found = overpaid(died(date(2026, 8, 20)), "month_after", lines)  # August is still payable
    assert [(o.cycle_id, o.months, o.amount_fen) for o in found] == [
        ("high_age:2026-09", ("2026-09",), 10_000),
        ("high_age:2026-10", ("2026-10",), 10_000),
    ]
    assert found[0].overpayment_id == "e-1:deceased:high_age:2026-09"
    assert found[0].detail == "died on 2026-08-20; payable through 2026-08"
    assert found[0].status == "open"  # a receivable: nothing goes into a later roll
    under_event_month = overpaid(died(date(2026, 8, 20)), "event_month", lines)
    assert sum(o.amount_fen for o in under_event_month) == 30_000


def test_back_pay_for_months_after_the_stop_counts_but_recoveries_and_vouchers_do_not():
    line = paid(
        "2026-10",
        corrections=[
            LineItem("high_age.back_pay", "2026-08", 10_000, "back pay"),
            LineItem("high_age.back_pay", "2026-09", 10_000, "back pay"),
            LineItem("overpayment.recovery", "2026-07", -10_000, "earlier", "o-0"),
        ],
    )
    found = overpaid(died(date(2026, 8, 31)), "month_after", [line])
    assert [(o.months, o.amount_fen) for o in found] == [(("2026-09", "2026-10"), 20_000)]
    voucher = paid("2026-10", VoucherProgramme())
    assert overpaid(died(date(2026, 8, 31)), "month_after", [voucher]) == []


def test_a_move_out_of_the_district_is_its_own_cause():
    moved = Elder(
        "e-1",
        "张桂芳",
        date(1940, 5, 5),
        "c01",
        2,
        status="moved_out",
        moved_out_on=date(2026, 9, 30),
    )
    found = overpaid(moved, "month_after", [paid("2026-09"), paid("2026-10")])
    assert [(o.overpayment_id, o.amount_fen) for o in found] == [
        ("e-1:moved_out:high_age:2026-10", 10_000)
    ]


@given(st.integers(0, 12), st.integers(1, 28), st.sampled_from(["month_after", "event_month"]))
def test_the_overpayment_is_every_paid_month_from_the_stop_month_on(paid_months, day, rule):
    months = [add_months("2026-01", n) for n in range(paid_months)]
    death = date(2026, 3, day)
    found = overpaid(died(death), rule, [paid(m) for m in months])
    first_unpaid = "2026-04" if rule == "month_after" else "2026-03"
    assert sum(o.amount_fen for o in found) == 10_000 * len(
        [m for m in months if m >= first_unpaid]
    )


def test_each_month_is_judged_by_the_stop_rule_of_the_cycle_that_paid_it():
    """September was paid under `month_after` (the month of death is paid), October under
    `event_month`; the district's rule today does not matter."""
    lines = [paid("2026-09"), paid("2026-10")]
    dead = died(date(2026, 9, 10))
    rules = {"high_age:2026-09": "month_after", "high_age:2026-10": "event_month"}
    found = overpayments(dead, lines, rules, AT)
    assert [(o.cycle_id, o.months, o.from_month) for o in found] == [
        ("high_age:2026-10", ("2026-10",), "2026-09")
    ]
    strict = {"high_age:2026-09": "event_month", "high_age:2026-10": "event_month"}
    assert [o.cycle_id for o in overpayments(dead, lines, strict, AT)] == [
        "high_age:2026-09",
        "high_age:2026-10",
    ]


OWED = overpaid(died(date(2026, 8, 20)), "month_after", [paid("2026-09")])[0]
TODAY = date(2026, 12, 5)


def test_a_recovery_needs_its_receipt_and_an_approver_other_than_the_proposer():
    with pytest.raises(RuleViolation, match="receipt"):
        propose_recovered(OWED, " ", date(2026, 12, 3), "officer", AT, TODAY)
    with pytest.raises(RuleViolation, match="in the future"):
        propose_recovered(OWED, "R-1", date(2026, 12, 6), "officer", AT, TODAY)
    proposing = propose_recovered(OWED, " 收据 0042 ", date(2026, 12, 3), "officer", AT, TODAY)
    assert (proposing.events, proposing.summary) == ((), "overpayment.resolution_proposed")
    proposed = proposing.after
    assert (proposed.status, proposed.outcome, proposed.receipt) == (
        "proposed",
        "recovered",
        "收据 0042",
    )
    with pytest.raises(Conflict, match="only an open one"):
        propose_waiver(proposed, "no estate", "officer2", AT)
    with pytest.raises(RuleViolation, match="officer proposed this resolution"):
        approve_resolution(proposed, "officer", AT, None)
    approval = approve_resolution(proposed, "approver", AT, None)
    assert approval.events == [("allowance.overpayment_resolved", {"approved_by": "approver"})]
    recovered = approval.after
    assert (recovered.status, recovered.decided_by, recovered.version) == (
        "recovered",
        "approver",
        OWED.version + 2,
    )
    with pytest.raises(Conflict, match="no proposal to approve"):
        approve_resolution(recovered, "approver2", AT, None)


def test_a_waiver_carries_the_approvers_reason_and_a_rejection_reopens_it():
    with pytest.raises(RuleViolation, match="say why"):
        propose_waiver(OWED, "", "officer", AT)
    proposed = propose_waiver(OWED, "no estate; the only son is on 低保", "officer", AT).after
    with pytest.raises(RuleViolation, match="with their reason"):
        approve_resolution(proposed, "approver", AT, "  ")
    waived = approve_resolution(proposed, "approver", AT, "agreed: nothing to collect from").after
    assert (waived.status, waived.outcome, waived.decision_note) == (
        "waived",
        "waived",
        "agreed: nothing to collect from",
    )
    with pytest.raises(RuleViolation, match="say why"):
        reject_resolution(proposed, "approver", AT, "")
    rejection = reject_resolution(proposed, "approver", AT, "ask the daughter first")
    assert (rejection.events, rejection.summary) == ((), "overpayment.resolution_rejected")
    reopened = rejection.after
    assert (reopened.status, reopened.outcome) == ("open", None)
    again = propose_recovered(reopened, "R-9", TODAY, "officer", AT, TODAY)
    assert again.after.status == "proposed"


def debt(fen: int, n: int = 1, deducted: int = 0) -> Adjustment:
    return Adjustment(
        f"a-{n}",
        "high_age",
        "e-1",
        "2026-08",
        -fen,
        "paid twice",
        "officer",
        datetime(2026, 9, n, tzinfo=UTC),
        deducted_fen=deducted,
    )


def test_a_deduction_never_takes_a_line_below_zero_and_the_rest_carries_forward():
    items = corrections(10_000, [debt(25_000)])
    assert [(i.rule, i.amount_fen, i.ref) for i in items] == [("adjustment.manual", -10_000, "a-1")]
    assert "100.00 of 250.00 yuan outstanding, 150.00 yuan carried forward" in items[0].detail
    first = debt(25_000).carried("high_age:2026-10", 10_000)
    assert (first.status, first.deducted_fen, first.outstanding_fen) == (
        "recovering",
        10_000,
        15_000,
    )
    second = corrections(10_000, [first])
    last = first.carried("high_age:2026-11", 10_000)
    third = corrections(10_000, [last])
    done = last.carried("high_age:2026-12", -third[0].amount_fen)
    assert [i.amount_fen for i in second + third] == [-10_000, -5_000]
    assert (done.status, done.outstanding_fen, done.cycle_ids) == (
        "applied",
        0,
        ("high_age:2026-10", "high_age:2026-11", "high_age:2026-12"),
    )
    assert corrections(0, [debt(5_000)]) == []  # nothing paid this month: nothing taken


@given(
    st.integers(0, 60_000),
    st.lists(st.integers(1, 40_000), max_size=5),
    st.lists(st.integers(1, 40_000), max_size=3),
)
def test_whatever_is_owed_a_line_is_never_negative_and_nothing_is_lost(paid, debts, credits):
    adjustments = [debt(fen, n + 1) for n, fen in enumerate(debts)] + [
        Adjustment(f"c-{n}", "high_age", "e-1", "2026-08", fen, "x", "o", AT)
        for n, fen in enumerate(credits)
    ]
    items = corrections(paid, adjustments)
    line = paid + sum(i.amount_fen for i in items)
    assert line >= 0
    taken = -sum(i.amount_fen for i in items if i.amount_fen < 0)
    assert taken == min(sum(debts), paid + sum(credits))


def test_a_line_the_payment_file_withheld_overpaid_nothing():
    lines = [paid("2026-09"), paid("2026-10")]
    dead = died(date(2026, 8, 20))
    rules = {line.cycle_id: "month_after" for line in lines}
    found = overpayments(dead, lines, rules, AT, withheld={"high_age:2026-10:e-1"})
    assert [o.cycle_id for o in found] == ["high_age:2026-09"]


def test_what_a_deduction_had_left_when_payment_stopped_is_a_receivable():
    taken = debt(25_000).carried("high_age:2026-09", 10_000)
    done = debt(5_000, 2).carried("high_age:2026-09", 5_000)
    untouched = debt(3_000, 3)
    credit = Adjustment("c-1", "high_age", "e-1", "2026-08", 4_000, "x", "o", AT)
    assert [a.adjustment_id for a in stranded([taken, done, untouched, credit])] == ["a-1", "a-3"]
    stop = stop_of(died(date(2026, 9, 20)), "month_after")
    owed = from_deduction(taken, stop, AT)
    assert (owed.overpayment_id, owed.amount_fen, owed.months, owed.status) == (
        "e-1:deceased:adjustment:a-1",
        15_000,
        ("2026-08",),
        "open",
    )
    assert owed.detail.startswith("150.00 yuan of a deduction for 2026-08 (paid twice)")
    assert taken.to_receivable().status == "receivable"
    assert corrections(10_000, [taken.to_receivable()]) == []  # no longer deducted
