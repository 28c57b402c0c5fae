"""Allowances' read side on stores in memory: an elder's statement (the lines of the cycles that
listed them, and for every other opened cycle a line worked out from that cycle's frozen rules,
marked computed, with the reason), and the month's 90+ roster."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from memory_allowances import memory_allowances

from services.allowances.adapters.cycle_rules import rules_snapshot
from services.allowances.domain.cycle import begin
from services.allowances.domain.elder import Elder
from services.allowances.domain.programmes import FestivalCampaign, HighAgeProgramme
from services.allowances.domain.roll import LineItem, RollLine
from services.allowances.domain.roster import NinetyPlusRoster, RosterEntry
from services.allowances.domain.vouchers import Voucher
from services.allowances.service_layer import configuration, opening, queries
from services.allowances.service_layer.container import Allowances
from shared.errors import NotFound

NOW = datetime(2026, 12, 2, 2, tzinfo=UTC)
FESTIVAL = "festival:double-ninth"
OCTOBER, NOVEMBER = "high_age:2026-10", "high_age:2026-11"
GIFT, VOUCHERS = f"{FESTIVAL}:2026-10", "home_care_voucher:2026-11"
BACK_PAY = "; owed months follow as back pay"


@pytest.fixture
def allowances() -> Allowances:
    return memory_allowances(NOW)


def known(allowances: Allowances, elder_id: str, born: date, **facts: Any) -> Elder:
    """An elder as intake's events made allowances know them."""
    data = {
        "name": f"老人{elder_id}",
        "birth_date": born,
        "community": "c01",
        "status": "active",
        "died_on": None,
        "moved_out_on": None,
        **facts,
    }
    assert allowances.elders.apply(elder_id, 1, f"ev-{elder_id}", data)
    elder = allowances.elders.get(elder_id)
    assert elder is not None
    return elder


def district(allowances: Allowances) -> None:
    """Five elders, then the cycles of October and November, each opened by the rules of its
    day: October's high-age allowance starts the month after the birthday and stops in the
    month of a death; November's starts in the birthday month and stops the month after. A
    festival gift for low-income elders in October, and the vouchers of November."""
    known(allowances, "e-1", date(1940, 5, 5))  # 86: paid in the band 80-89
    known(allowances, "e-3", date(1955, 5, 5), community="c02")  # 71
    known(allowances, "e-6", date(1946, 12, 10))  # 80 in December 2026
    known(allowances, "e-4", date(1930, 2, 2), status="deceased", died_on=date(2026, 10, 15))
    known(allowances, "e-7", date(1935, 3, 1), home_care=True, low_income=True)
    configuration.configure(allowances, 0, stops="event_month")
    gift = FestivalCampaign("double-ninth", "重阳节", date(2026, 10, 29), 20_000)
    configuration.add_campaign(allowances, gift)  # for low-income elders of 60 and over
    opening.open_cycle(allowances, FESTIVAL, None, "officer-a")
    opening.open_cycle(allowances, "high_age", "2026-10", "officer-a")
    birthday = HighAgeProgramme(starts="birthday_month")
    configuration.configure(allowances, 1, stops="month_after", high_age=birthday)
    opening.open_cycle(allowances, "high_age", "2026-11", "officer-a")
    opening.open_cycle(allowances, "home_care_voucher", "2026-11", "officer-a")


def computed(
    cycle_id: str, month: str, elder: Elder, reason: str, detail: str, programme: str = "high_age"
) -> RollLine:
    return RollLine(
        cycle_id,
        programme,
        month,
        elder.elder_id,
        elder.name,
        elder.community,
        False,
        reason,
        detail,
        None,
        (),
        None,
        computed=True,
    )


def stored_line_ids(allowances: Allowances) -> list[str]:
    return sorted(
        line.line_id
        for cycle in allowances.cycles.each({})
        for line in allowances.lines.each_of_cycle(cycle.cycle_id)
    )


def test_a_paid_elder_has_the_lines_of_the_cycles_that_listed_them_and_why_not_for_the_rest(
    allowances,
):
    district(allowances)
    elder = allowances.elders.get("e-1")
    found = queries.statement(allowances, "e-1")
    october = "band 80-89 (born 1940-05-05, in this band from 2020-06): 100.00 yuan a month"
    november = "band 80-89 (born 1940-05-05, in this band from 2020-05): 100.00 yuan a month"
    assert found["lines"] == [
        computed(GIFT, "2026-10", elder, "not_targeted", "low-income (低保) only", FESTIVAL),
        RollLine(
            OCTOBER,
            "high_age",
            "2026-10",
            "e-1",
            "老人e-1",
            "c01",
            True,
            None,
            october,
            "80-89",
            (LineItem("high_age.band.80-89", "2026-10", 10_000, october),),
        ),
        RollLine(
            NOVEMBER,
            "high_age",
            "2026-11",
            "e-1",
            "老人e-1",
            "c01",
            True,
            None,
            november,
            "80-89",
            (LineItem("high_age.band.80-89", "2026-11", 10_000, november),),
        ),
        computed(
            VOUCHERS,
            "2026-11",
            elder,
            "not_enrolled",
            "not an enrolled home-care household",
            "home_care_voucher",
        ),
    ]
    assert found["elder"] == elder
    [standing] = found["entitlements"]
    assert (standing.status, standing.band, standing.amount_fen, standing.as_of) == (
        "granted",
        "80-89",
        10_000,
        "2026-10",
    )
    assert (found["overpayments"], found["adjustments"], found["vouchers"]) == ([], [], [])


def test_a_line_worked_out_for_a_statement_is_never_stored_nor_counted(allowances):
    district(allowances)
    before = stored_line_ids(allowances)
    totals = {c.cycle_id: c.totals for c in allowances.cycles.each({})}
    lines = queries.statement(allowances, "e-3")["lines"]
    assert [(line.line_id, line.computed) for line in lines] == [
        (f"{GIFT}:e-3", True),
        (f"{OCTOBER}:e-3", True),
        (f"{NOVEMBER}:e-3", True),
        (f"{VOUCHERS}:e-3", True),
    ]
    assert [(line.amount_fen, line.items, line.band) for line in lines] == [(0, (), None)] * 4
    assert all(allowances.lines.get(line.line_id) is None for line in lines)
    assert stored_line_ids(allowances) == before
    assert {c.cycle_id: c.totals for c in allowances.cycles.each({})} == totals


def test_an_elder_under_age_is_told_from_which_month_each_cycles_own_rules_would_pay(allowances):
    district(allowances)
    # the configuration now starts bands in the birthday month; October's roll did not
    configuration.configure(allowances, 2, high_age=HighAgeProgramme(starts="birthday_month"))
    young, turning = allowances.elders.get("e-3"), allowances.elders.get("e-6")
    assert [
        line
        for line in queries.statement(allowances, "e-3")["lines"]
        if line.programme == "high_age"
    ] == [
        computed(OCTOBER, "2026-10", young, "under_age", "born 1955-05-05; paid from 2035-06"),
        computed(NOVEMBER, "2026-11", young, "under_age", "born 1955-05-05; paid from 2035-05"),
    ]
    assert [
        line
        for line in queries.statement(allowances, "e-6")["lines"]
        if line.programme == "high_age"
    ] == [
        computed(OCTOBER, "2026-10", turning, "under_age", "born 1946-12-10; paid from 2027-01"),
        computed(NOVEMBER, "2026-11", turning, "under_age", "born 1946-12-10; paid from 2026-12"),
    ]


def test_an_elder_who_died_before_the_month_is_told_each_cycles_own_stop_rule(allowances):
    district(allowances)
    elder = allowances.elders.get("e-4")
    assert queries.statement(allowances, "e-4")["lines"] == [
        computed(
            GIFT,
            "2026-10",
            elder,
            "deceased",
            "deceased on 2026-10-15, before the festival",
            FESTIVAL,
        ),
        computed(
            OCTOBER, "2026-10", elder, "deceased", "died on 2026-10-15; payable through 2026-09"
        ),
        computed(
            NOVEMBER, "2026-11", elder, "deceased", "died on 2026-10-15; payable through 2026-10"
        ),
        computed(
            VOUCHERS,
            "2026-11",
            elder,
            "deceased",
            "died on 2026-10-15; payable through 2026-10",
            "home_care_voucher",
        ),
    ]


def test_an_elder_known_after_the_rolls_were_frozen_is_not_on_roll_and_owed_back_pay_where_due(
    allowances,
):
    district(allowances)
    late = known(
        allowances, "e-5", date(1936, 11, 30), community="c02", home_care=True, low_income=True
    )
    frozen = "not on the roll frozen for"
    assert queries.statement(allowances, "e-5")["lines"] == [
        computed(GIFT, "2026-10", late, "not_on_roll", f"{frozen} 2026-10", FESTIVAL),
        computed(OCTOBER, "2026-10", late, "not_on_roll", f"{frozen} 2026-10{BACK_PAY}"),
        computed(NOVEMBER, "2026-11", late, "not_on_roll", f"{frozen} 2026-11{BACK_PAY}"),
        computed(
            VOUCHERS, "2026-11", late, "not_on_roll", f"{frozen} 2026-11", "home_care_voucher"
        ),
    ]


def test_an_enrolled_elders_statement_names_the_voucher_its_line_is(allowances):
    district(allowances)
    found = queries.statement(allowances, "e-7")
    assert [(line.cycle_id, line.eligible, line.computed) for line in found["lines"]] == [
        (GIFT, True, False),
        (OCTOBER, True, False),
        (NOVEMBER, True, False),
        (VOUCHERS, True, False),
    ]
    voucher = Voucher(f"{VOUCHERS}:e-7", "e-7", "c01", "2026-11", 6_000, "open")
    assert found["vouchers"] == [(voucher, 3, None)]


def test_no_statement_for_an_elder_allowances_does_not_know(allowances):
    district(allowances)
    with pytest.raises(NotFound):
        queries.statement(allowances, "e-9")


def test_not_on_roll_skips_the_cycles_listed_and_a_cycle_still_being_opened(allowances):
    district(allowances)
    config = allowances.programmes.get()
    december = begin(
        "high_age",
        "2026-12",
        "officer-a",
        NOW,
        date(2026, 12, 2),
        config.report_due_day,
        rules_snapshot(config.high_age, config.stops),
        allowances.cycles.get(NOVEMBER),
    )
    assert allowances.cycles.add(december)  # its roll is being written
    elder = allowances.elders.get("e-3")
    assert elder is not None
    found = queries.not_on_roll(allowances, elder, {OCTOBER, GIFT})
    assert [(line.cycle_id, line.reason) for line in found] == [
        (NOVEMBER, "under_age"),
        (VOUCHERS, "not_enrolled"),
    ]


# -- the 90+ roster -----------------------------------------------------------------------


def entry(
    elder: Elder,
    age: int,
    turned: date | None = None,
    died: date | None = None,
    left: date | None = None,
) -> RosterEntry:
    return RosterEntry(
        elder.elder_id, elder.name, elder.community, elder.birth_date, age, turned, died, left
    )


def test_the_roster_lists_the_90_plus_those_turning_90_and_those_who_died_or_left(allowances):
    old = known(allowances, "r-1", date(1930, 2, 2))
    turning = known(allowances, "r-2", date(1936, 11, 30), community="c02")
    died = known(
        allowances, "r-3", date(1936, 11, 2), status="deceased", died_on=date(2026, 11, 20)
    )
    left = known(
        allowances,
        "r-4",
        date(1920, 1, 15),
        community="c02",
        status="moved_out",
        moved_out_on=date(2026, 11, 8),
    )
    known(allowances, "r-5", date(1936, 11, 10), status="deceased", died_on=date(2026, 11, 5))
    known(allowances, "r-6", date(1930, 5, 5), status="deceased", died_on=date(2026, 10, 31))
    known(allowances, "r-7", date(1936, 12, 1))  # 89 at the month's end
    known(allowances, "r-8", date(1925, 1, 1), status="merged")
    known(allowances, "r-9", date(1950, 1, 1))

    roster = queries.roster(allowances, "2026-11")
    everyone = (
        entry(old, 96),
        entry(died, 90, turned=date(2026, 11, 2), died=date(2026, 11, 20)),
        entry(turning, 90, turned=date(2026, 11, 30)),
        entry(left, 106, left=date(2026, 11, 8)),
    )
    assert roster == NinetyPlusRoster(
        "2026-11",
        everyone,
        (everyone[1], everyone[2]),
        (everyone[1],),
        (everyone[3],),
    )
    assert roster.by_community() == {
        "c01": {"aged_90_plus": 2, "turned_90": 1, "died": 1, "moved_out": 0},
        "c02": {"aged_90_plus": 2, "turned_90": 1, "died": 0, "moved_out": 1},
    }
    assert roster.only("c02") == NinetyPlusRoster(
        "2026-11", (everyone[2], everyone[3]), (everyone[2],), (), (everyone[3],)
    )


def test_a_roster_is_kept_until_intakes_next_event_about_an_elder_is_applied(allowances):
    old = known(allowances, "r-1", date(1930, 2, 2))
    first = queries.roster(allowances, "2026-11")
    assert queries.roster(allowances, "2026-11") is first  # kept: not worked out again
    died = {
        "name": old.name,
        "birth_date": old.birth_date,
        "community": "c01",
        "status": "deceased",
        "died_on": date(2026, 11, 20),
        "moved_out_on": None,
    }
    assert allowances.elders.apply("r-1", 2, "ev-r-1-died", died)
    after = queries.roster(allowances, "2026-11")
    assert first.died == () and [e.elder_id for e in after.died] == ["r-1"]
    assert not allowances.elders.apply("r-1", 2, "ev-r-1-died", died)  # delivered twice
    assert queries.roster(allowances, "2026-11") is after


def test_someone_born_on_29_february_turns_90_on_1_march_in_a_common_year(allowances):
    leap = known(allowances, "r-1", date(1936, 2, 29))
    assert queries.roster(allowances, "2026-02") == NinetyPlusRoster("2026-02", (), (), (), ())
    march = entry(leap, 90, turned=date(2026, 3, 1))
    assert queries.roster(allowances, "2026-03") == NinetyPlusRoster(
        "2026-03", (march,), (march,), (), ()
    )
    assert queries.roster(allowances, "2026-04") == NinetyPlusRoster(
        "2026-04", (entry(leap, 90),), (), (), ()
    )
