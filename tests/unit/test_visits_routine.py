from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.visits.domain.calendar import start_of_day
from services.visits.domain.config import DEFAULT_DUE_DAY, VisitsConfig, set_routine
from services.visits.domain.elder import Elder
from services.visits.domain.pairings import Pairing, end, pair, visit_assignee
from services.visits.domain.routine import (
    home_care_visit,
    key_target_visit,
    no_longer_owed,
    pairing_visits,
    period_of,
    visit_windows,
)
from shared.errors import Conflict, RuleViolation
from shared.months import first_day, month_of, next_month
from shared.vocabulary import PARTNER_KINDS

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)
ELDER = Elder("e-1", "王秀英", "female", date(1944, 3, 7), "xinhua", 1)


def test_a_home_care_visit_is_due_by_the_districts_due_day_not_the_months_end():
    obligation = home_care_visit(ELDER, "2026-11", DEFAULT_DUE_DAY, SHANGHAI, "wang", NOW)
    assert obligation.obligation_id == "routine:e-1:2026-11"
    assert obligation.opens_at == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)  # 1 Nov, 00:00 local
    assert obligation.due_at == datetime(2026, 11, 25, 16, 0, tzinfo=UTC)  # 26 Nov, 00:00 local
    assert (obligation.kind, obligation.source, obligation.assignee) == (
        "routine",
        "home_care",
        "wang",
    )
    february = home_care_visit(ELDER, "2027-02", 28, SHANGHAI, "wang", NOW)
    assert february.due_at == start_of_day(date(2027, 3, 1), SHANGHAI)


def test_routine_visits_fall_due_by_the_25th_unless_the_district_sets_a_day_every_month_has():
    assert VisitsConfig().routine_due_day == 25
    assert set_routine(VisitsConfig(), 20, {}).routine_due_day == 20
    for day in (0, 29, 31):
        with pytest.raises(RuleViolation, match="1 to 28") as refused:
            set_routine(VisitsConfig(), day, {})
        assert refused.value.context["field"] == "due_day"
    kept = set_routine(set_routine(VisitsConfig(), 20, {}), None, {"low_income": "quarterly"})
    assert (kept.routine_due_day, kept.version) == (20, 2)


@pytest.mark.parametrize(
    ("month", "months", "period"),
    [
        ("2026-11", 1, ("2026-11", "2026-11")),
        ("2026-11", 2, ("2026-11", "2026-12")),
        ("2026-12", 2, ("2026-11", "2026-12")),
        ("2026-11", 3, ("2026-10", "2026-12")),
        ("2027-01", 3, ("2027-01", "2027-03")),
        ("2026-11", 6, ("2026-07", "2026-12")),
        ("2026-03", 12, ("2026-01", "2026-12")),
    ],
)
def test_periods_are_counted_from_january(month, months, period):
    assert period_of(month, months) == period


def test_key_targets_are_visited_monthly_by_default_and_at_their_most_frequent_reason():
    config = VisitsConfig()
    assert config.key_target_months(["living_alone", "low_income"]) == 1
    assert config.key_target_months([]) is None
    config = set_routine(config, None, {"low_income": "quarterly", "disabled": "none"})
    assert config.key_target_months(["low_income"]) == 3
    assert config.key_target_months(["low_income", "living_alone"]) == 1  # the most frequent
    assert config.key_target_months(["low_income", "disabled"]) == 3
    assert config.key_target_months(["disabled"]) is None
    with pytest.raises(RuleViolation, match="unknown frequency 'weekly'"):
        set_routine(config, None, {"low_income": "weekly"})
    with pytest.raises(RuleViolation, match="unknown key-target reason 'rich'"):
        set_routine(config, None, {"rich": "monthly"})


def test_one_key_target_visit_per_period_due_by_the_due_day_of_its_last_month():
    elder = replace(ELDER, key_target_reasons=["living_alone", "low_income"])
    visit = key_target_visit(elder, "2026-11", 3, 25, SHANGHAI, "wang", NOW)
    assert visit.obligation_id == "key_target:e-1:2026-10"
    assert (visit.kind, visit.source, visit.assignee) == ("routine", "key_target", "wang")
    assert visit.opens_at == start_of_day(date(2026, 10, 1), SHANGHAI)
    assert visit.due_at == start_of_day(date(2026, 12, 26), SHANGHAI)
    same_quarter = key_target_visit(elder, "2026-12", 3, 25, SHANGHAI, "wang", NOW)
    assert same_quarter.obligation_id == visit.obligation_id
    monthly = key_target_visit(elder, "2026-11", 1, 25, SHANGHAI, "wang", NOW)
    assert (monthly.obligation_id, monthly.due_at) == (
        "key_target:e-1:2026-11",
        start_of_day(date(2026, 11, 26), SHANGHAI),
    )


def test_a_routine_visit_is_no_longer_owed_when_the_elder_no_longer_qualifies():
    target = replace(ELDER, key_target_reasons=["living_alone"])
    key_visit = key_target_visit(target, "2026-11", 1, 25, SHANGHAI, "wang", NOW)
    home_visit = home_care_visit(ELDER, "2026-11", 25, SHANGHAI, "wang", NOW)
    assert no_longer_owed(key_visit, target, 1) is None
    assert no_longer_owed(key_visit, replace(target, key_target_reasons=[]), None) == (
        "no_longer_key_target"
    )
    assert no_longer_owed(key_visit, replace(target, home_care=True), 1) == "home_care_visits"
    assert no_longer_owed(home_visit, replace(ELDER, home_care=True), None) is None
    assert no_longer_owed(home_visit, ELDER, None) == "no_longer_home_care"


def test_pairing_visits_share_the_month_and_the_last_is_due_at_its_end():
    pairing = Pairing("p-1", "e-1", "xinhua", "vol-7", "张志愿", "volunteer", 2, date(2026, 1, 5))
    assignee = visit_assignee(pairing, "wang")
    first, second = pairing_visits(pairing, "xinhua", "2026-11", SHANGHAI, assignee, NOW)
    assert [first.obligation_id, second.obligation_id] == [
        "pairing:p-1:2026-11:1",
        "pairing:p-1:2026-11:2",
    ]
    assert first.due_at == second.opens_at == start_of_day(date(2026, 11, 16), SHANGHAI)
    assert second.due_at == start_of_day(date(2026, 12, 1), SHANGHAI)
    assert first.assignee == second.assignee == "vol-7"


months = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 1)).map(month_of)


@given(months, st.integers(min_value=1, max_value=8))
def test_visit_windows_cover_the_month_in_order_without_gaps(month, visits):
    windows = visit_windows(month, visits, SHANGHAI)
    assert len(windows) == visits
    assert windows[0][0] == start_of_day(first_day(month), SHANGHAI)
    assert windows[-1][1] == start_of_day(first_day(next_month(month)), SHANGHAI)
    for (opens, due), (next_opens, _) in pairwise(windows):
        assert opens < due == next_opens
    assert all(due - opens >= timedelta(days=3) for opens, due in windows)


def test_months_are_written_year_dash_month():
    assert next_month("2026-12") == "2027-01"
    with pytest.raises(RuleViolation, match="not a month"):
        first_day("2026-13")


def test_a_pairing_visits_one_to_eight_times_a_month_and_ends_once():
    today = date(2026, 11, 29)
    with pytest.raises(RuleViolation, match="1 to 8"):
        pair("p", "e-1", "xinhua", "v", "张", "volunteer", 9, today, today)
    with pytest.raises(RuleViolation, match="partner is one of"):
        pair("p", "e-1", "xinhua", "v", "张", "relative", 1, today, today)
    with pytest.raises(RuleViolation, match="future"):
        pair("p", "e-1", "xinhua", "v", "张", "cadre", 1, today + timedelta(days=1), today)
    started = pair("p", "e-1", "xinhua", "v", "张", "cadre", 1, today, today)
    assert started.events == (("pairing.started", {}),)
    ended = end(started.after, "deceased", today).after
    assert (ended.status, ended.end_reason, ended.ended_on) == ("ended", "deceased", today)
    with pytest.raises(Conflict, match="already ended"):
        end(ended, "again", today)


@pytest.mark.parametrize("kind", ["property_staff", "building_leader", "neighbour"])
def test_property_staff_building_leaders_and_neighbours_are_paired_by_name_and_phone(kind):
    today = date(2026, 11, 29)
    started = pair("p", "e-1", "xinhua", None, " 刘楼长 ", kind, 2, today, today, "13900001111")
    pairing = started.after
    assert (pairing.partner_id, pairing.partner_name, pairing.partner_kind) == (
        None,
        "刘楼长",
        kind,
    )
    assert pairing.partner_phone == "13900001111"
    assert visit_assignee(pairing, "wang") == "wang"  # the worker records what the partner did
    visit = pairing_visits(pairing, "xinhua", "2026-11", SHANGHAI, "wang", NOW)
    assert [v.assignee for v in visit] == ["wang", "wang"]
    with pytest.raises(RuleViolation, match="reached by phone") as unreachable:
        pair("p", "e-1", "xinhua", " ", "刘楼长", kind, 1, today, today)
    assert unreachable.value.context["field"] == "partner_phone"
    with_account = pair("p", "e-1", "xinhua", "liu", "刘楼长", kind, 1, today, today).after
    assert visit_assignee(with_account, "wang") == "liu"


@pytest.mark.parametrize("kind", ["volunteer", "cadre"])
def test_volunteers_and_cadres_are_named_by_their_id(kind):
    today = date(2026, 11, 29)
    with pytest.raises(RuleViolation, match="give partner_id"):
        pair("p", "e-1", "xinhua", None, "张", kind, 1, today, today, "13900001111")
    with pytest.raises(RuleViolation, match="name the partner"):
        pair("p", "e-1", "xinhua", "v-1", "  ", kind, 1, today, today)


def test_every_partner_kind_has_its_label_on_screen():
    assert set(PARTNER_KINDS) == {
        "volunteer",
        "cadre",
        "property_staff",
        "building_leader",
        "neighbour",
    }
    assert PARTNER_KINDS["building_leader"] == "楼道长"
