"""Undoing a death reported in error in allowances: recoveries cancelled or refunded, the
entitlement granted again, back pay for the months not paid. Pure domain, no servers."""

from dataclasses import replace
from datetime import UTC, date, datetime

from services.allowances.domain.adjustments import Adjustment, paid_months
from services.allowances.domain.elder import Elder
from services.allowances.domain.entitlements import Entitlement, on_stop
from services.allowances.domain.overpayments import RECOVERED, from_deduction, overpayments
from services.allowances.domain.programmes import CycleRules, HighAgeProgramme
from services.allowances.domain.reinstatement import (
    CANCELLED,
    REFUND,
    cancellation,
    deduction_of,
    deduction_restored,
    owed_months,
    paid_since_grant,
    raised_by,
    reinstated,
)
from services.allowances.domain.roll import BACK_PAY, roll_line
from services.allowances.domain.stops import stop_of

AT = datetime(2026, 12, 2, 2, tzinfo=UTC)
ALIVE = Elder("e-1", "张桂芳", date(1940, 5, 5), "c01", 3)
DEAD = replace(ALIVE, version=2, status="deceased", died_on=date(2026, 9, 3))
RULES = CycleRules(HighAgeProgramme(), "month_after")


def line(month, elder=ALIVE, corrections=()):
    assessed = RULES.programme.assess(elder, month, RULES.stops)
    return roll_line(f"high_age:{month}", "high_age", month, elder, assessed, corrections)


def found(*months):
    lines = [line(m) for m in months]
    return overpayments(DEAD, lines, {ln.cycle_id: "month_after" for ln in lines}, AT)


def test_an_open_receivable_is_cancelled_and_one_collected_is_also_paid_back():
    october, november = found("2026-10", "2026-11")  # payable through September
    kept = cancellation(october, carried=False, reason="错报", by="intake", at=AT)
    assert (kept.cancelled.status, kept.cancelled.version, kept.refund) == (CANCELLED, 2, None)
    waived = cancellation(replace(october, status="waived"), False, "错报", "intake", AT)
    assert waived.refund is None  # nothing was collected

    paid_back = replace(november, status=RECOVERED, receipt="R-1")
    taken = cancellation(paid_back, False, "错报", "intake", AT)
    refund = taken.refund
    assert taken.cancelled.status == CANCELLED
    assert (refund.adjustment_id, refund.month, refund.amount_fen, refund.rule) == (
        "e-1:deceased:high_age:2026-11:refund",
        "2026-11",
        10_000,
        REFUND,
    )
    assert refund.item().amount_fen == 10_000 and refund.item().ref == refund.adjustment_id
    assert "错报" in refund.reason
    proposed = replace(november, status="proposed", outcome=RECOVERED, receipt="R-1")
    assert cancellation(proposed, False, "x", "intake", AT).refund is not None
    older = replace(november, status="recovering", recovery_cycle_id="high_age:2026-12")
    assert cancellation(older, True, "x", "intake", AT).refund is not None  # taken by a roll

    again = cancellation(kept.cancelled, carried=False, reason="错报", by="intake", at=AT)
    assert again.cancelled is None  # cancelled once


def test_a_deduction_the_death_left_as_a_receivable_is_a_deduction_again_unless_paid():
    debt = Adjustment("a-1", "high_age", "e-1", "2026-08", -5_000, "多发", "officer", AT)
    receivable = from_deduction(debt, stop_of(DEAD, "month_after"), AT)
    assert deduction_of(receivable) == "a-1"
    undone = cancellation(receivable, False, "错报", "intake", AT)
    assert (undone.cancelled.status, undone.refund) == (CANCELLED, None)
    again = deduction_restored(debt.to_receivable())
    assert (again.status, again.outstanding_fen) == ("pending", 5_000)
    partly = replace(debt, deducted_fen=2_000).to_receivable()
    assert deduction_restored(partly).status == "recovering"
    assert deduction_restored(debt) is None  # never a receivable
    settled = replace(receivable, status=RECOVERED, receipt="R-2")
    assert cancellation(settled, False, "错报", "intake", AT) is None  # the debt is paid


def test_only_the_overpayments_of_the_revoked_death_are_undone():
    death = found("2026-10")
    moved = replace(death[0], overpayment_id="m", cause="moved_out")
    earlier = replace(death[0], overpayment_id="d", stop_on=date(2025, 1, 1))
    assert raised_by([*death, moved, earlier], date(2026, 9, 3)) == death


def test_an_entitlement_the_death_suspended_is_granted_again_from_this_month():
    granted = Entitlement("high_age", "e-1", "granted", "80-89", 10_000, "2026-08", version=2)
    suspended = on_stop(granted, stop_of(DEAD, "month_after")).after
    now = RULES.programme.assess(ALIVE, "2026-12", RULES.stops)
    change = reinstated(suspended, now, "2026-12")
    after = change.after
    assert (after.status, after.band, after.amount_fen, after.as_of, after.version) == (
        "granted",
        "80-89",
        10_000,
        "2026-12",
        4,
    )
    assert change.events[0][0] == "allowance.reinstated"
    assert change.events[0][1]["month"] == "2026-12" and change.events[0][1]["cycle_id"] is None

    moved_out = replace(suspended, reason="moved_out")
    assert reinstated(moved_out, now, "2026-12") is None
    assert reinstated(granted, now, "2026-12") is None
    too_young = RULES.programme.assess(replace(ALIVE, birth_date=date(1950, 1, 1)), "2026-12", "x")
    assert reinstated(suspended, too_young, "2026-12") is None


def test_the_next_cycle_owes_back_pay_for_the_months_not_paid_while_recorded_dead():
    paid = [line("2026-09"), line("2026-10", DEAD), line("2026-11", DEAD)]  # excluded: deceased
    past = {month: RULES for month in ("2026-09", "2026-10", "2026-11")}
    owed = owed_months(
        ALIVE, past, paid_months(paid, "high_age"), {ln.month: ln.reason for ln in paid}
    )
    assert [(i.month, i.amount_fen, i.rule) for i in owed] == [
        ("2026-10", 10_000, BACK_PAY),
        ("2026-11", 10_000, BACK_PAY),
    ]
    assert "excluded from that roll then (deceased)" in owed[0].detail


def test_an_entitlement_granted_again_is_not_taken_as_paid_since_its_grant():
    by_cycle = Entitlement("high_age", "e-1", "granted", "80-89", 10_000, "2026-08", None, "c")
    assert paid_since_grant(by_cycle)
    suspended = on_stop(by_cycle, stop_of(DEAD, "month_after")).after
    assert not paid_since_grant(suspended)
    now = RULES.programme.assess(ALIVE, "2026-12", RULES.stops)
    again = reinstated(suspended, now, "2026-12").after
    assert not paid_since_grant(again)  # the next cycle looks for months to pay back
