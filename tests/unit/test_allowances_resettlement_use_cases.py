"""A corrected birth date settles again the months the cycles already paid, on allowances'
stores in memory: one correction per month owed more or less, recorded once per event, carried
by the next cycle; an elder the cycles are not paying is left to the next cycle's back pay."""

from datetime import UTC, date, datetime

import pytest
from memory_allowances import memory_allowances

from services.allowances.adapters.cycle_rules import rules_snapshot
from services.allowances.domain.cycle import OPENING, AllowanceCycle
from services.allowances.domain.elder import Absence
from services.allowances.domain.programmes import BandAmount, HighAgeProgramme
from services.allowances.domain.resettlement import CORRECTION
from services.allowances.service_layer import (
    configuration,
    corrections,
    opening,
    reinstatement,
    stops,
)
from services.allowances.service_layer.container import Allowances
from services.allowances.service_layer.resettlement import resettle_birth_date
from shared.audit import Actor, acting_as
from shared.memory_stores import MemoryRecords

NOW = datetime(2026, 12, 2, 2, tzinfo=UTC)
RECORDED = date(1936, 10, 5)  # 90 on 5 October 2026: band 90-99 paid from November
PAST = ("2026-09", "2026-10", "2026-11")
BAND_80, BAND_90 = 10_000, 30_000  # the default amounts the cycles froze


@pytest.fixture
def allowances() -> Allowances:
    return memory_allowances(NOW)


def elder_known(allowances: Allowances, elder_id: str = "e-1", born: date = RECORDED) -> None:
    data = {
        "name": "张桂芳",
        "birth_date": born,
        "community": "c01",
        "status": "active",
        "died_on": None,
    }
    allowances.elders.apply(elder_id, 1, f"ev-{elder_id}", data)


def paid_by_the_cycles(allowances: Allowances) -> None:
    """September to November paid as recorded: 80-89 twice, then 90-99."""
    elder_known(allowances)
    for month in PAST:
        opening.open_cycle(allowances, "high_age", month, "officer-a")
    paid = [(line.month, line.amount_fen) for line in allowances.lines.of_elder("e-1")]
    assert paid == [("2026-09", BAND_80), ("2026-10", BAND_80), ("2026-11", BAND_90)]


def birth_date_corrected(allowances: Allowances, born: date, version: int = 2) -> None:
    allowances.elders.apply("e-1", version, f"ev-born-{version}", {"birth_date": born})


def adjustments_store(allowances: Allowances) -> MemoryRecords:
    store = allowances.adjustments
    assert isinstance(store, MemoryRecords)
    return store


def test_an_earlier_birth_date_owes_the_higher_band_for_each_month_paid_once(allowances):
    paid_by_the_cycles(allowances)
    birth_date_corrected(allowances, date(1935, 10, 5))  # 90 all along
    with acting_as(Actor("intake", "eldercare.intake.elders")):
        assert resettle_birth_date(allowances, "e-1", "ev-7", "intake") is True
    owed = list(allowances.adjustments.each({"elder_id": "e-1"}))
    assert [(a.adjustment_id, a.month, a.amount_fen, a.rule, a.status) for a in owed] == [
        ("ev-7:high_age:2026-09", "2026-09", BAND_90 - BAND_80, CORRECTION, "pending"),
        ("ev-7:high_age:2026-10", "2026-10", BAND_90 - BAND_80, CORRECTION, "pending"),
    ]  # November already paid the 90-99 band: nothing to settle
    assert {a.recorded_by for a in owed} == {"intake"}
    assert "corrected to 1935-10-05" in owed[0].reason
    store = adjustments_store(allowances)
    history = store.history("ev-7:high_age:2026-09")
    assert [(line["change"], line["by"]) for line in history] == [
        ("adjustment.birth_date_corrected", "intake")
    ]
    assert store.announced == []  # the next cycle announces what it pays
    # the same event delivered again records nothing more
    assert resettle_birth_date(allowances, "e-1", "ev-7", "intake") is False
    assert len(list(allowances.adjustments.each({"elder_id": "e-1"}))) == 2

    december = opening.open_cycle(allowances, "high_age", "2026-12", "officer-a")
    line = allowances.lines.get(f"{december.cycle_id}:e-1")
    assert line is not None
    assert [(item.rule, item.month, item.amount_fen) for item in line.items] == [
        ("high_age.band.90-99", "2026-12", BAND_90),
        (CORRECTION, "2026-09", BAND_90 - BAND_80),
        (CORRECTION, "2026-10", BAND_90 - BAND_80),
    ]
    carried = list(allowances.adjustments.each({"elder_id": "e-1"}))
    assert {(a.status, a.cycle_id) for a in carried} == {("applied", december.cycle_id)}
    # a later event with the same birth date finds every month settled by what was paid
    assert resettle_birth_date(allowances, "e-1", "ev-8", "intake") is False
    ids = [a.adjustment_id for a in allowances.adjustments.each({"elder_id": "e-1"})]
    assert ids == ["ev-7:high_age:2026-09", "ev-7:high_age:2026-10"]


def test_a_birth_date_under_80_recovers_every_month_paid(allowances):
    paid_by_the_cycles(allowances)
    birth_date_corrected(allowances, date(1950, 1, 1))
    assert resettle_birth_date(allowances, "e-1", "ev-7", "intake") is True
    owed = list(allowances.adjustments.each({"elder_id": "e-1"}))
    assert [(a.month, a.amount_fen) for a in owed] == [
        ("2026-09", -BAND_80),
        ("2026-10", -BAND_80),
        ("2026-11", -BAND_90),
    ]
    assert sum(a.amount_fen for a in owed) == -(2 * BAND_80 + BAND_90)
    assert all("(under_age)" in a.reason for a in owed)


def test_a_second_correction_before_the_next_cycle_counts_the_first_ones_owed(allowances):
    paid_by_the_cycles(allowances)
    birth_date_corrected(allowances, date(1935, 10, 5))
    assert resettle_birth_date(allowances, "e-1", "ev-7", "intake")
    assert resettle_birth_date(allowances, "e-1", "ev-8", "intake") is False  # still owed
    birth_date_corrected(allowances, RECORDED, version=3)  # the first correction was wrong
    assert resettle_birth_date(allowances, "e-1", "ev-9", "intake")
    owed = [(a.adjustment_id, a.amount_fen) for a in allowances.adjustments.each({})]
    assert owed == [
        ("ev-7:high_age:2026-09", BAND_90 - BAND_80),
        ("ev-7:high_age:2026-10", BAND_90 - BAND_80),
        ("ev-9:high_age:2026-09", BAND_80 - BAND_90),
        ("ev-9:high_age:2026-10", BAND_80 - BAND_90),
    ]
    december = opening.open_cycle(allowances, "high_age", "2026-12", "officer-a")
    line = allowances.lines.get(f"{december.cycle_id}:e-1")
    assert line is not None and line.amount_fen == BAND_90  # the corrections cancel out


def test_months_the_family_owes_back_are_not_recovered_a_second_time(allowances):
    paid_by_the_cycles(allowances)
    moved = {"status": "moved_out", "moved_out_on": date(2026, 9, 15)}  # reported late
    allowances.elders.apply("e-1", 2, "ev-e-1-moved", moved)
    assert stops.stop_payments(allowances, allowances.elders.get("e-1"))
    owed_back = {o.month: o.amount_fen for o in allowances.overpayments.each({})}
    assert owed_back == {"2026-10": BAND_80, "2026-11": BAND_90}
    back = {
        "status": "active",
        "moved_out_on": None,
        "absences": [Absence(date(2026, 9, 15), date(2026, 12, 1))],
    }
    allowances.elders.apply("e-1", 3, "ev-e-1-back", back)
    opening.open_cycle(allowances, "high_age", "2026-12", "officer-a")  # paid again from here
    birth_date_corrected(allowances, date(1935, 10, 5), version=4)
    assert resettle_birth_date(allowances, "e-1", "ev-7", "intake")
    owed = [(a.month, a.amount_fen) for a in allowances.adjustments.each({})]
    # October and November are receivables already; December paid the 90-99 band
    assert owed == [("2026-09", BAND_90 - BAND_80)]


def test_the_amounts_owed_are_those_of_the_rules_each_cycle_froze(allowances):
    """A district's new amounts pay from the next cycle: a month already paid is settled by
    the amounts of its own cycle."""
    elder_known(allowances)
    opening.open_cycle(allowances, "high_age", "2026-09", "officer-a")
    dearer = HighAgeProgramme(
        amounts=(
            BandAmount("80-89", 12_345),
            BandAmount("90-99", 33_333),
            BandAmount("100+", 66_666),
        )
    )
    configuration.configure(allowances, 0, high_age=dearer)
    opening.open_cycle(allowances, "high_age", "2026-10", "officer-a")
    paid = [line.amount_fen for line in allowances.lines.of_elder("e-1")]
    assert paid == [BAND_80, 12_345]
    birth_date_corrected(allowances, date(1935, 10, 5))
    assert resettle_birth_date(allowances, "e-1", "ev-7", "intake")
    owed = {a.month: a.amount_fen for a in allowances.adjustments.each({"elder_id": "e-1"})}
    assert owed == {"2026-09": BAND_90 - BAND_80, "2026-10": 33_333 - 12_345}


def test_an_officers_own_adjustment_is_neither_counted_nor_undone(allowances):
    paid_by_the_cycles(allowances)
    manual = corrections.adjust(
        allowances, "high_age", "e-1", "2026-09", 500, "bank fee refunded", "officer-a"
    )
    birth_date_corrected(allowances, date(1935, 10, 5))
    assert resettle_birth_date(allowances, "e-1", "ev-7", "intake")
    owed = {a.month: a.amount_fen for a in allowances.adjustments.each({"rule": CORRECTION})}
    assert owed == {"2026-09": BAND_90 - BAND_80, "2026-10": BAND_90 - BAND_80}
    assert allowances.adjustments.require(manual.adjustment_id) == manual


def test_a_cycle_still_being_opened_without_her_line_pays_her_itself(allowances):
    paid_by_the_cycles(allowances)
    rules = rules_snapshot(HighAgeProgramme(), "month_after")
    december = AllowanceCycle(
        "high_age:2026-12",
        "high_age",
        "2026-12",
        OPENING,
        "officer-a",
        NOW,
        date(2026, 12, 25),
        rules,
    )
    assert allowances.cycles.add(december)
    birth_date_corrected(allowances, date(1935, 10, 5))
    assert resettle_birth_date(allowances, "e-1", "ev-7", "intake")
    months = [a.month for a in allowances.adjustments.each({"elder_id": "e-1"})]
    assert months == ["2026-09", "2026-10"]  # not December: that roll assesses her itself


def test_an_elder_the_cycles_are_not_paying_is_left_to_the_next_cycles_back_pay(allowances):
    assert resettle_birth_date(allowances, "e-9", "ev-7", "intake") is False  # unknown
    elder_known(allowances, "e-2", date(1950, 1, 1))  # 76: never paid
    allowances.elders.apply("e-2", 2, "ev-e-2-born", {"birth_date": date(1940, 1, 1)})
    assert resettle_birth_date(allowances, "e-2", "ev-7", "intake") is False

    paid_by_the_cycles(allowances)
    died = {"status": "deceased", "died_on": date(2026, 11, 20)}
    allowances.elders.apply("e-1", 2, "ev-e-1-died", died)
    assert stops.stop_payments(allowances, allowances.elders.get("e-1"))  # suspended
    birth_date_corrected(allowances, date(1935, 10, 5), version=3)
    assert resettle_birth_date(allowances, "e-1", "ev-7", "intake") is False
    assert list(allowances.adjustments.each({})) == []


def test_payment_resumed_after_a_death_revoked_is_settled_by_back_pay_not_here(allowances):
    paid_by_the_cycles(allowances)
    died = {"status": "deceased", "died_on": date(2026, 10, 20)}
    allowances.elders.apply("e-1", 2, "ev-e-1-died", died)
    assert stops.stop_payments(allowances, allowances.elders.get("e-1"))
    allowances.elders.apply("e-1", 3, "ev-e-1-alive", {"status": "active", "died_on": None})
    assert reinstatement.reinstate(allowances, "e-1", date(2026, 10, 20), "误报", "officer-a")
    [standing] = allowances.entitlements.of_elder("e-1")
    assert (standing.status, standing.cycle_id) == ("granted", None)
    birth_date_corrected(allowances, date(1935, 10, 5), version=4)
    assert resettle_birth_date(allowances, "e-1", "ev-7", "intake") is False
    corrected = list(allowances.adjustments.each({"rule": CORRECTION}))
    assert corrected == []
