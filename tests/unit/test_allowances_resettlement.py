"""A corrected birth date settles again the months already paid: pure domain, no servers."""

from dataclasses import replace
from datetime import UTC, date, datetime

from services.allowances.domain.adjustments import Adjustment
from services.allowances.domain.elder import Elder
from services.allowances.domain.overpayments import overpayments
from services.allowances.domain.programmes import CycleRules, HighAgeProgramme
from services.allowances.domain.resettlement import CORRECTION, kept_by_month, resettled
from services.allowances.domain.roll import roll_line

AT = datetime(2026, 12, 2, 2, tzinfo=UTC)
RECORDED = Elder("e-1", "张桂芳", date(1936, 10, 5), "c01", 1)  # 90 on 5 October 2026
RULES = CycleRules(HighAgeProgramme(), "month_after")
MONTHS = ("2026-09", "2026-10", "2026-11")


def paid_as_recorded(elder=RECORDED):
    return [
        roll_line(
            f"high_age:{m}", "high_age", m, elder, RULES.programme.assess(elder, m, "month_after")
        )
        for m in MONTHS
    ]


def corrections(elder, lines, adjustments=(), found=()):
    kept = kept_by_month("high_age", lines, adjustments, found)
    past = dict.fromkeys(MONTHS, RULES)
    return resettled(elder, "high_age", past, kept, "ev-1", "intake", AT)


def test_an_earlier_birth_date_owes_the_difference_of_the_higher_band_for_each_month_paid():
    lines = paid_as_recorded()  # 80-89 in September and October, 90-99 from November
    older = replace(RECORDED, birth_date=date(1935, 10, 5), version=2)  # 90 all along
    owed = corrections(older, lines)
    assert [(a.adjustment_id, a.month, a.amount_fen, a.rule) for a in owed] == [
        ("ev-1:high_age:2026-09", "2026-09", 20_000, CORRECTION),
        ("ev-1:high_age:2026-10", "2026-10", 20_000, CORRECTION),
    ]
    assert owed[0].reason == (
        "birth date corrected to 1935-10-05: 2026-09 is owed 300.00 yuan (band 90-99), "
        "100.00 yuan was paid"
    )
    # once owed, never owed again
    assert corrections(older, lines, adjustments=owed) == []


def test_a_later_birth_date_under_80_recovers_what_was_paid():
    lines = paid_as_recorded()
    younger = replace(RECORDED, birth_date=date(1950, 1, 1), version=2)
    owed = corrections(younger, lines)
    assert [(a.month, a.amount_fen) for a in owed] == [
        ("2026-09", -10_000),
        ("2026-10", -10_000),
        ("2026-11", -30_000),
    ]
    assert "(under_age)" in owed[0].reason


def test_recoveries_refunds_and_manual_adjustments_are_weighed_as_they_should_be():
    lines = paid_as_recorded()
    dead = replace(RECORDED, status="deceased", died_on=date(2026, 10, 20), version=2)
    rules = {ln.cycle_id: "month_after" for ln in lines}
    found = overpayments(dead, lines, rules, AT)  # November: owed by the family
    manual = Adjustment("m-1", "high_age", "e-1", "2026-09", 500, "gift top-up", "officer", AT)
    # the same birth date, dead from November: nothing more to settle, the recovery stands
    assert corrections(dead, lines, adjustments=[manual], found=found) == []
