"""The reports the office files, on allowances' stores in memory: each figure counted from a
small district whose rolls the tests open themselves, so that every count and every fen is known
beforehand: the high-age monthly report (payees by band, stops by cause, what the payment order
pays and withholds), the home-care report (households, elders, vouchers issued, redeemed and
expired) and the year's summary."""

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from memory_allowances import memory_allowances

from services.allowances.adapters.cycle_rules import rules_snapshot
from services.allowances.domain.cycle import OPENING, AllowanceCycle
from services.allowances.domain.elder import Absence
from services.allowances.domain.home_care_report import HomeCareFigures, Vouchers
from services.allowances.domain.monthly_report import BandFigures, CommunityFigures
from services.allowances.domain.payees import PayeeAccount
from services.allowances.domain.programmes import BandAmount, HighAgeProgramme, VoucherProgramme
from services.allowances.domain.roll import Assessment, LineItem, roll_line
from services.allowances.service_layer import configuration, cycles, opening, reports, stops
from services.allowances.service_layer.container import Allowances
from services.allowances.service_layer.vouchers import redeem_voucher
from shared.clock import FixedClock
from shared.errors import Conflict, NotFound, RuleViolation

NOW = datetime(2026, 12, 2, 2, tzinfo=UTC)
# amounts that are not round, so that a total is checked to the fen
B80, B90, B100 = 10_050, 30_025, 60_001
AMOUNTS = HighAgeProgramme(
    amounts=(BandAmount("80-89", B80), BandAmount("90-99", B90), BandAmount("100+", B100))
)


def on(allowances: Allowances, at: datetime) -> Allowances:
    return replace(allowances, clock=FixedClock(at))


def elder(allowances: Allowances, elder_id: str, community: str, born: date, **more: Any) -> None:
    data = {
        "name": f"老人{elder_id}",
        "birth_date": born,
        "community": community,
        "status": "active",
        **more,
    }
    allowances.elders.apply(elder_id, 1, f"ev-{elder_id}", data)


def account(allowances: Allowances, elder_id: str) -> None:
    registered = PayeeAccount(
        elder_id,
        elder_id,
        "bank_account",
        "农商银行",
        f"62220212345678{elder_id[-1]}",
        "x",
        "o",
        NOW,
    )
    assert allowances.payees.add(registered)


def changed(allowances: Allowances, elder_id: str, version: int, **data: Any) -> None:
    allowances.elders.apply(elder_id, version, f"ev-{elder_id}-{version}", data)


# --- the high-age monthly report ---------------------------------------------------------


@pytest.fixture
def district() -> Allowances:
    """Six elders in two communities, paid by the October roll; by November's, one came of age,
    one record was merged and two birth dates were corrected under 80."""
    allowances = memory_allowances(NOW)
    configuration.configure(allowances, 0, high_age=AMOUNTS)
    elder(allowances, "e-1", "c01", date(1940, 5, 5))  # 86: 80-89
    elder(allowances, "e-2", "c01", date(1935, 3, 1))  # 91: 90-99
    elder(allowances, "e-3", "c02", date(1925, 1, 1))  # 101: 100+
    elder(allowances, "e-4", "c02", date(1946, 10, 10))  # 80 on 10 October: paid from November
    elder(allowances, "e-5", "c01", date(1938, 1, 1))  # 88, merged into another record
    elder(allowances, "e-6", "c02", date(1944, 6, 1))  # 82 as recorded, then born 1950
    elder(allowances, "e-7", "c01", date(1942, 2, 2))  # 84 as recorded, then born 1952
    account(allowances, "e-1")
    account(allowances, "e-3")
    opening.open_cycle(allowances, "high_age", "2026-10", "officer-a")
    changed(allowances, "e-5", 2, status="merged")
    changed(allowances, "e-6", 2, birth_date=date(1950, 6, 1))
    changed(allowances, "e-7", 2, birth_date=date(1952, 2, 2))
    opening.open_cycle(allowances, "high_age", "2026-11", "officer-a")
    return allowances


def bands(b80: tuple[int, int], b90: tuple[int, int], b100: tuple[int, int]) -> tuple:
    return (
        BandFigures("80-89", *b80),
        BandFigures("90-99", *b90),
        BandFigures("100+", *b100),
    )


def test_the_monthly_report_counts_payees_by_band_stops_by_cause_and_totals_to_the_fen(district):
    report = reports.high_age_monthly(district, "2026-11")
    assert (report.cycle_id, report.month, report.state, report.order_fixed) == (
        "high_age:2026-11",
        "2026-11",
        "open",
        False,
    )
    assert report.district == CommunityFigures(
        "",
        1,  # e-4, not paid by October's roll
        bands((2, 2 * B80), (1, B90), (1, B100)),  # e-1 and e-4; e-2; e-3
        (("under_age", 2), ("merged", 1)),  # most first: e-6 and e-7; e-5
        2 * B80 + B90 + B100,
        0,
        B80 + B100,  # e-1 and e-3 have an account
        B90 + B80,  # e-2 and e-4 have none: withheld
    )
    c01, c02 = report.communities
    assert c01 == CommunityFigures(
        "c01",
        0,
        bands((1, B80), (1, B90), (0, 0)),
        (("merged", 1), ("under_age", 1)),  # a tie: by cause
        B80 + B90,
        0,
        B80,
        B90,
    )
    assert c02 == CommunityFigures(
        "c02",
        1,
        bands((1, B80), (0, 0), (1, B100)),
        (("under_age", 1),),
        B80 + B100,
        0,
        B100,
        B80,
    )
    for row in (report.district, c01, c02):
        assert row.owed_fen == row.in_file_fen + row.withheld_fen
    assert (report.district.payees, report.district.stopped) == (4, 3)


def test_the_first_months_report_has_no_newly_eligible_nor_stops(district):
    report = reports.high_age_monthly(district, "2026-10")
    assert report.district.newly_eligible is None  # no roll of September to compare with
    assert report.district.stops == ()
    # e-1, e-5, e-6 and e-7; e-2; e-3 (e-4 is on the roll, under age)
    assert report.district.bands == bands((4, 4 * B80), (1, B90), (1, B100))
    assert report.district.owed_fen == 4 * B80 + B90 + B100


def test_the_report_previews_todays_accounts_until_the_order_is_exported(district):
    account(district, "e-4")  # registered in time: in the preview at once
    preview = reports.high_age_monthly(district, "2026-11")
    assert (preview.order_fixed, preview.district.in_file_fen) == (False, 2 * B80 + B100)
    assert preview.district.withheld_fen == B90
    cycles.review_cycle(district, "high_age:2026-11", "officer-a", None)
    cycles.approve_cycle(district, "high_age:2026-11", "approver-b")
    cycles.export_cycle(district, "high_age:2026-11", "officer-a")
    account(district, "e-2")  # too late for November's file
    report = reports.high_age_monthly(district, "2026-11")
    assert (report.state, report.order_fixed) == ("exported", True)
    assert (report.district.in_file_fen, report.district.withheld_fen) == (2 * B80 + B100, B90)
    assert (report.submitted_on, report.due_on, report.late) == (
        date(2026, 12, 2),
        date(2026, 11, 25),
        True,  # reviewed after the 25th
    )


def test_a_report_needs_the_months_frozen_roll(district):
    with pytest.raises(NotFound):
        reports.high_age_monthly(district, "2026-09")
    with pytest.raises(NotFound):
        reports.home_care_vouchers(district, "2026-11")  # no voucher cycle
    rules = rules_snapshot(AMOUNTS, "month_after")
    december = AllowanceCycle(
        "high_age:2026-12", "high_age", "2026-12", OPENING, "o", NOW, date(2026, 12, 25), rules
    )
    assert district.cycles.add(december)
    with pytest.raises(Conflict, match="still being written"):
        reports.high_age_monthly(district, "2026-12")


def test_a_death_handled_before_the_roll_is_a_stop_of_the_month(district):
    changed(district, "e-1", 2, status="deceased", died_on=date(2026, 11, 20))
    assert stops.stop_payments(district, district.elders.get("e-1"))
    opening.open_cycle(district, "high_age", "2026-12", "officer-a")
    report = reports.high_age_monthly(district, "2026-12")
    assert ("deceased", 1) in report.district.stops


# --- the home-care report ----------------------------------------------------------------


def household(
    allowances: Allowances, household_id: str, version: int, community: str, *members: str
) -> None:
    data = {
        "community": community,
        "members": members,
        "home_care": version == 1,
        "status": "active",
    }
    allowances.households.apply(household_id, version, f"ev-{household_id}-{version}", data)


def issue(allowances: Allowances, month: str) -> str:
    cycle = opening.open_cycle(allowances, "home_care_voucher", month, "officer-a")
    cycles.review_cycle(allowances, cycle.cycle_id, "officer-a", None)
    cycles.approve_cycle(allowances, cycle.cycle_id, "approver-b")
    return cycle.cycle_id


def redeem(allowances: Allowances, voucher_id: str, elder_id: str, served_on: date) -> int:
    return redeem_voucher(
        allowances, voucher_id, elder_id, "安康家政", "meals", served_on, "clerk"
    ).amount_fen


@pytest.fixture
def homes() -> Allowances:
    """Vouchers of September and October (60 yuan, valid two months), then November's (65
    yuan): by November, e-2 is known to have died in September, e-4 joined, e-6 came back
    (away in September and October: on those rolls, without a voucher) and e-5 left."""
    allowances = memory_allowances(datetime(2026, 10, 5, 2, tzinfo=UTC))
    configuration.configure(allowances, 0, home_care_voucher=VoucherProgramme(6_000, 2))
    for elder_id, community in (("e-1", "c01"), ("e-2", "c01"), ("e-3", "c02"), ("e-5", "c01")):
        elder(allowances, elder_id, community, date(1945, 3, 3), home_care=True)
    elder(allowances, "e-4", "c02", date(1945, 3, 3), home_care=False)
    away = Absence(date(2026, 8, 10), date(2026, 11, 1))  # September and October away
    elder(allowances, "e-6", "c02", date(1945, 3, 3), home_care=True, absences=[away])
    household(allowances, "h-1", 1, "c01", "e-1", "e-2")
    household(allowances, "h-2", 1, "c02", "e-3", "e-6")
    household(allowances, "h-4", 1, "c01", "e-5")
    issue(allowances, "2026-09")
    assert redeem(allowances, "home_care_voucher:2026-09:e-1", "e-1", date(2026, 9, 30))
    issue(allowances, "2026-10")

    november = on(allowances, datetime(2026, 11, 3, 2, tzinfo=UTC))
    changed(november, "e-2", 2, status="deceased", died_on=date(2026, 9, 28))
    assert stops.stop_payments(november, november.elders.get("e-2"))
    changed(november, "e-4", 2, home_care=True)
    household(november, "h-3", 1, "c02", "e-4")
    changed(november, "e-5", 2, home_care=False)
    household(november, "h-4", 2, "c01", "e-5")  # no longer a home-care household
    configuration.configure(november, 1, home_care_voucher=VoucherProgramme(6_500, 2))
    return allowances


def test_a_voucher_cycle_not_approved_issues_nothing_and_is_late_after_its_day(homes):
    fifth = on(homes, datetime(2026, 11, 5, 2, tzinfo=UTC))
    opening.open_cycle(fifth, "home_care_voucher", "2026-11", "officer-a")
    report = reports.home_care_vouchers(fifth, "2026-11")
    assert (report.cycle_state, report.vouchers_issued, report.late) == ("open", False, False)
    assert report.district.issued == Vouchers(0, 0)
    assert report.district.enrolled_end == 4  # the roll is frozen: who is enrolled is known
    later = reports.home_care_vouchers(on(homes, datetime(2026, 11, 26, 2, tzinfo=UTC)), "2026-11")
    assert (later.due_on, later.late) == (date(2026, 11, 25), True)


def test_the_home_care_report_counts_households_elders_and_vouchers_of_the_month(homes):
    issue(on(homes, datetime(2026, 11, 5, 2, tzinfo=UTC)), "2026-11")
    tenth = on(homes, datetime(2026, 11, 10, 2, tzinfo=UTC))
    assert redeem(tenth, "home_care_voucher:2026-10:e-1", "e-1", date(2026, 11, 8)) == 6_000
    twentieth = on(homes, datetime(2026, 11, 20, 2, tzinfo=UTC))
    assert redeem(twentieth, "home_care_voucher:2026-11:e-3", "e-3", date(2026, 11, 19)) == 6_500

    report = reports.home_care_vouchers(homes, "2026-11")
    assert (report.cycle_id, report.vouchers_issued, report.late) == (
        "home_care_voucher:2026-11",
        True,
        False,
    )
    assert report.district == HomeCareFigures(
        "",
        3,  # h-1, h-2, h-4 in October
        3,  # h-1, h-2, h-3 in November
        1,  # h-3
        1,  # h-4
        4,  # e-1, e-2, e-3, e-5
        4,  # e-1, e-3, e-4, e-6
        2,  # e-4 joined, e-6 came back
        2,  # e-2 died, e-5 left
        Vouchers(4, 4 * 6_500),
        Vouchers(2, 6_000 + 6_500),  # e-1's of October, e-3's of November
        # October's of e-3 and e-5 lapsed unredeemed; e-2's is void, not expired
        Vouchers(2, 2 * 6_000),
    )
    c01, c02 = report.communities
    assert c01 == HomeCareFigures(
        "c01", 2, 1, 0, 1, 3, 1, 0, 2, Vouchers(1, 6_500), Vouchers(1, 6_000), Vouchers(1, 6_000)
    )
    assert c02 == HomeCareFigures(
        "c02", 1, 2, 1, 0, 1, 3, 2, 0, Vouchers(3, 19_500), Vouchers(1, 6_500), Vouchers(1, 6_000)
    )

    october = reports.home_care_vouchers(homes, "2026-10")
    assert october.district.redeemed == Vouchers(1, 6_000)  # e-1's of September, on 5 October
    # September's of e-2 (payable: she died in it), e-3 and e-5 lapsed with October; e-6 had none
    assert october.district.expired == Vouchers(3, 3 * 6_000)
    assert october.district.issued == Vouchers(4, 4 * 6_000)


# --- the year's summary ------------------------------------------------------------------


@pytest.fixture
def year() -> Allowances:
    """December 2025's roll, then October and November 2026's; one 96-year-old died in
    October, one 92-year-old in 2025, and December 2026's roll is still being written."""
    allowances = memory_allowances(NOW)
    configuration.configure(allowances, 0, high_age=AMOUNTS)
    elder(allowances, "e-1", "c01", date(1940, 5, 5))
    elder(allowances, "e-2", "c01", date(1935, 3, 1))  # 90 since March 2025
    elder(allowances, "e-3", "c02", date(1946, 10, 10))  # paid from November 2026
    elder(allowances, "e-4", "c02", date(1930, 2, 2))
    elder(allowances, "e-5", "c02", date(1936, 12, 20))  # 90 on 20 December 2026
    elder(allowances, "e-6", "c01", date(1933, 1, 1), status="deceased", died_on=date(2025, 11, 3))
    for month in ("2025-12", "2026-10"):
        opening.open_cycle(allowances, "high_age", month, "officer-a")
    changed(allowances, "e-4", 2, status="deceased", died_on=date(2026, 10, 15))
    assert stops.stop_payments(allowances, allowances.elders.get("e-4"))
    opening.open_cycle(allowances, "high_age", "2026-11", "officer-a")
    rules = rules_snapshot(AMOUNTS, "month_after")
    december = AllowanceCycle(
        "high_age:2026-12", "high_age", "2026-12", OPENING, "o", NOW, date(2026, 12, 25), rules
    )
    assert allowances.cycles.add(december)
    e1 = allowances.elders.get("e-1")
    assert e1 is not None
    paid = Assessment.paid(LineItem("high_age.band.80-89", "2026-12", B80, "x"), "80-89")
    assert allowances.lines.add([roll_line(december.cycle_id, "high_age", "2026-12", e1, paid)])
    return allowances


def test_the_year_summary_counts_the_years_frozen_rolls_and_the_ninety_year_olds(year):
    summary = reports.year_summary(year, "2026")
    assert (summary.year, summary.community, summary.as_of) == (2026, None, date(2026, 12, 2))
    assert summary.months_rolled == 2  # October and November; December's is not frozen
    assert summary.high_age_paid == 5  # e-1, e-2, e-3, e-4, e-5
    assert summary.high_age_new == 1  # e-3: December 2025's roll paid the others
    # October: e-1, e-2, e-4, e-5; November: e-1, e-2, e-3, e-5
    assert summary.high_age_fen == (B80 + B90 + B90 + B80) + (B80 + B90 + B80 + B80)
    assert (summary.ninety_plus, summary.ninety_plus_died) == (1, 1)  # e-2 alive; e-4 died

    c02 = reports.year_summary(year, "2026", "c02")
    assert (c02.community, c02.high_age_paid, c02.high_age_new) == ("c02", 3, 1)
    assert c02.high_age_fen == (B90 + B80) + (B80 + B80)  # e-4, e-5; e-3, e-5
    assert (c02.ninety_plus, c02.ninety_plus_died) == (0, 1)  # e-5 is 89 until the 20th
    c01 = reports.year_summary(year, "2026", "c01")
    assert (c01.high_age_paid, c01.high_age_new, c01.high_age_fen) == (2, 0, 2 * (B80 + B90))
    assert (c01.ninety_plus, c01.ninety_plus_died) == (1, 0)  # e-6 died in 2025


def test_a_past_years_summary_is_as_of_its_last_day(year):
    january = on(year, datetime(2027, 1, 5, 2, tzinfo=UTC))
    summary = reports.year_summary(january, "2026")
    assert summary.as_of == date(2026, 12, 31)
    assert summary.ninety_plus == 2  # e-5 turned 90 on 20 December
    earlier = reports.year_summary(january, "2025")
    assert (earlier.months_rolled, earlier.high_age_paid, earlier.high_age_new) == (1, 4, None)
    assert earlier.high_age_fen == 2 * B80 + 2 * B90  # e-1, e-5; e-2, e-4
    assert earlier.ninety_plus_died == 1  # e-6, at 92


def test_an_elder_who_died_after_the_year_counts_among_its_ninety_year_olds(year):
    earlier = reports.year_summary(year, "2025")
    assert earlier.as_of == date(2025, 12, 31)
    assert earlier.ninety_plus == 2  # e-2 (90) and e-4 (95) were alive on 31 December 2025


def test_the_year_summary_is_for_a_year_with_figures(year):
    for written in ("2027", "26", "1999"):
        with pytest.raises(RuleViolation):
            reports.year_summary(year, written)
