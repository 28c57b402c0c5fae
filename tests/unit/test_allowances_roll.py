"""Rolls: who is paid what by which rule, who is excluded and why, back pay, standing changes,
and totals that reconcile."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.allowances.domain.adjustments import back_pay, paid_months, record_adjustment
from services.allowances.domain.elder import Elder
from services.allowances.domain.entitlements import Entitlement, on_roll, on_stop
from services.allowances.domain.money import check_fen, yuan
from services.allowances.domain.programmes import (
    BandAmount,
    CycleRules,
    FestivalCampaign,
    HighAgeProgramme,
    Programmes,
    Target,
    VoucherProgramme,
)
from services.allowances.domain.roll import LineItem, roll_line, totals_of
from services.allowances.domain.stops import stop_of
from shared.errors import RuleViolation

AT = datetime(2026, 11, 20, 2, tzinfo=UTC)


def elder(elder_id="e-1", born=date(1940, 5, 5), **changes) -> Elder:
    return Elder(elder_id, "李桂兰", born, changes.pop("community", "c01"), 1, **changes)


def line(e: Elder, programme=None, month="2026-11", corrections=()):
    programme = programme or HighAgeProgramme()
    assessed = programme.assess(e, month, "month_after")
    return roll_line(f"high_age:{month}", "high_age", month, e, assessed, corrections)


def test_excluded_elders_carry_the_reason_and_no_amount():
    cases = {
        "under_age": elder(born=date(1950, 1, 1)),
        "deceased": elder(status="deceased", died_on=date(2026, 9, 3)),
        "moved_out": elder(status="moved_out", moved_out_on=date(2026, 10, 31)),
        "merged": elder(status="merged"),
    }
    for reason, who in cases.items():
        excluded = line(who)
        assert (excluded.eligible, excluded.reason, excluded.items) == (False, reason, ())
        assert excluded.amount_fen == 0 and excluded.detail
    assert "payable through 2026-10" in line(cases["moved_out"]).detail


def test_a_death_in_the_month_is_paid_for_that_month_by_default():
    assert line(elder(status="deceased", died_on=date(2026, 11, 2))).eligible
    assessed = HighAgeProgramme().assess(
        elder(status="deceased", died_on=date(2026, 11, 2)), "2026-11", "event_month"
    )
    assert assessed.reason == "deceased"


def test_vouchers_go_to_enrolled_home_care_households():
    vouchers = VoucherProgramme()
    enrolled = vouchers.assess(elder(home_care=True), "2026-11", "month_after")
    assert enrolled.item == LineItem(
        "home_care_voucher.monthly", "2026-11", 6000, "home-care voucher for 2026-11: 60.00 yuan"
    )
    assert vouchers.assess(elder(), "2026-11", "month_after").reason == "not_enrolled"


def test_a_festival_gift_goes_to_its_target_group_alive_on_the_day():
    campaign = FestivalCampaign(
        "double-ninth-2026",
        "重阳节慰问",
        date(2026, 10, 29),
        20_000,
        Target(low_income=True, communities=("c01",)),
    )
    assert campaign.code == "festival:double-ninth-2026" and campaign.month == "2026-10"

    def reason(e: Elder) -> str | None:
        return campaign.assess(e, "2026-10", "month_after").reason

    assert reason(elder(low_income=True)) is None
    assert reason(elder()) == "not_targeted"
    assert reason(elder(low_income=True, community="c02")) == "not_targeted"
    assert reason(elder(low_income=True, status="deceased", died_on=date(2026, 10, 28))) == (
        "deceased"
    )
    assert reason(elder(low_income=True, status="deceased", died_on=date(2026, 10, 29))) is None
    assert reason(elder(low_income=True, born=date(1967, 1, 1))) == "under_age"


def test_a_late_registration_is_owed_every_past_cycle_month_at_that_cycles_amount():
    cheaper = HighAgeProgramme(
        (BandAmount("80-89", 8000), BandAmount("90-99", 30_000), BandAmount("100+", 60_000))
    )
    past = {
        "2026-08": CycleRules(cheaper, "month_after"),
        "2026-09": CycleRules(HighAgeProgramme(), "month_after"),
        "2026-10": CycleRules(HighAgeProgramme(), "month_after"),
    }
    late = elder(born=date(1946, 7, 15))  # 80 in July 2026: paid from August
    items = back_pay(late, past, paid=set(), rolled={})
    assert [(i.rule, i.month, i.amount_fen) for i in items] == [
        ("high_age.back_pay", "2026-08", 8000),
        ("high_age.back_pay", "2026-09", 10_000),
        ("high_age.back_pay", "2026-10", 10_000),
    ]
    assert "not on that roll (registered later)" in items[0].detail
    again = back_pay(late, past, paid={"2026-08", "2026-09"}, rolled={"2026-10": "under_age"})
    assert [i.month for i in again] == ["2026-10"]
    assert "excluded from that roll then (under_age)" in again[0].detail
    young = elder(born=date(1946, 9, 15))  # 80 in September: paid from October
    assert [i.month for i in back_pay(young, past, set(), {})] == ["2026-10"]


def test_paid_months_count_the_programmes_items_and_back_pay_not_corrections():
    paid = line(elder(), month="2026-09")
    corrected = line(
        elder(),
        month="2026-10",
        corrections=[
            LineItem("high_age.back_pay", "2026-08", 10_000, "back pay"),
            LineItem("adjustment.manual", "2026-07", 500, "fix", "a-1"),
        ],
    )
    assert paid_months([paid, corrected], "high_age") == {"2026-08", "2026-09", "2026-10"}


def test_standing_is_granted_changed_and_suspended_once_per_cycle():
    programme = HighAgeProgramme()
    who = elder(born=date(1936, 10, 2))  # 90 in October 2026: 90-99 from November

    def change(current, month, e=who):
        assessed = programme.assess(e, month, "month_after")
        return on_roll(current, "high_age", e.elder_id, f"high_age:{month}", month, assessed)

    granted = change(None, "2026-10")
    assert granted.events[0][0] == "allowance.granted" and granted.events[0][1]["band"] == "80-89"
    assert granted.after.version == 1
    assert change(granted.after, "2026-10") is None  # the same cycle again
    moved = change(granted.after, "2026-11")
    assert moved.events[0][0] == "allowance.band_changed"
    assert (moved.events[0][1]["from_band"], moved.events[0][1]["to_band"]) == ("80-89", "90-99")
    assert moved.after.version == 2
    assert change(moved.after, "2026-12") is None  # nothing changed
    dead = elder(born=who.birth_date, status="deceased", died_on=date(2026, 11, 9))
    suspended = change(moved.after, "2026-12", dead)
    assert suspended.events[0][0] == "allowance.suspended"
    assert suspended.events[0][1]["reason"] == "deceased"
    assert suspended.after.status == "suspended"
    assert change(suspended.after, "2027-01", dead) is None


def test_a_stop_suspends_at_once_and_a_later_cycle_does_not_grant_again():
    current = Entitlement("high_age", "e-1", "granted", "80-89", 10_000, "2026-10", None, "c")
    dead = elder(status="deceased", died_on=date(2026, 10, 9))
    stopped = on_stop(current, stop_of(dead, "month_after"))
    assert stopped.events[0][0] == "allowance.suspended"
    assert stopped.after.as_of == "2026-11"
    assert on_stop(stopped.after, stop_of(dead, "month_after")) is None
    assessed = HighAgeProgramme().assess(dead, "2026-10", "month_after")  # October still paid
    assert assessed.eligible
    assert on_roll(stopped.after, "high_age", "e-1", "c10", "2026-10", assessed) is None


def test_totals_reconcile_payments_and_recoveries_by_rule():
    recovery = LineItem("overpayment.recovery", "2026-09", -10_000, "recovery", "o-1")
    lines = [
        line(elder("e-1")),
        line(elder("e-2", born=date(1930, 1, 1))),
        line(elder("e-3", status="deceased", died_on=date(2026, 8, 1)), corrections=[recovery]),
        line(elder("e-4", born=date(1960, 1, 1))),
    ]
    totals = totals_of(lines)
    assert (totals.lines, totals.eligible, totals.payees, totals.debtors) == (4, 2, 2, 1)
    assert (totals.payable_fen, totals.to_recover_fen, totals.net_fen) == (40_000, 10_000, 30_000)
    assert {r.reason: r.lines for r in totals.excluded} == {"deceased": 1, "under_age": 1}
    assert {r.rule: r.amount_fen for r in totals.by_rule} == {
        "high_age.band.80-89": 10_000,
        "high_age.band.90-99": 30_000,
        "overpayment.recovery": -10_000,
    }
    assert totals.reconciles


@given(
    st.lists(
        st.lists(st.integers(-50_000, 50_000).filter(bool), max_size=4), min_size=0, max_size=30
    )
)
def test_any_roll_reconciles_to_the_fen(amounts):
    lines = [
        line(
            elder(f"e-{n}"),
            corrections=[LineItem("adjustment.manual", "2026-10", a, "x", f"a-{n}") for a in items],
        )
        for n, items in enumerate(amounts)
    ]
    totals = totals_of(lines)
    assert totals.reconciles
    assert totals.net_fen == sum(x.amount_fen for x in lines)


def test_amounts_must_be_whole_fen():
    with pytest.raises(RuleViolation, match="whole number of fen"):
        check_fen(100.5, "amount_fen")
    with pytest.raises(RuleViolation):
        check_fen(True, "amount_fen")
    with pytest.raises(RuleViolation, match="negative"):
        check_fen(-1, "amount_fen")
    with pytest.raises(RuleViolation):
        HighAgeProgramme((BandAmount("80-89", 100.0), *HighAgeProgramme().amounts[1:]))
    with pytest.raises(RuleViolation, match="one amount for each band"):
        HighAgeProgramme(HighAgeProgramme().amounts[:2])
    with pytest.raises(RuleViolation):
        VoucherProgramme(amount_fen="60")
    with pytest.raises(RuleViolation, match="stops"):
        Programmes(stops="never")
    assert (yuan(12_345), yuan(-5), yuan(0)) == ("123.45", "-0.05", "0.00")


def test_an_adjustment_needs_a_reason_a_past_month_and_a_non_zero_amount():
    def adjust(**changes):
        values = {"month": "2026-10", "amount_fen": -2500, "reason": "double paid", **changes}
        return record_adjustment(
            "a-1",
            "high_age",
            "e-1",
            values["month"],
            values["amount_fen"],
            values["reason"],
            "officer",
            AT,
            date(2026, 11, 20),
        )

    made = adjust()
    assert made.item() == LineItem(
        "adjustment.manual",
        "2026-10",
        -2500,
        "correction for 2026-10: double paid (recorded by officer)",
        "a-1",
    )
    for wrong in ({"amount_fen": 0}, {"amount_fen": 1.5}, {"reason": " "}, {"month": "2026-12"}):
        with pytest.raises(RuleViolation):
            adjust(**wrong)
