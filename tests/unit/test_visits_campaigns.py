from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.visits.domain.campaigns import Target, campaign_visit, check_launchable, plan
from services.visits.domain.elder import Elder
from services.visits.domain.visit_records import Correction, DoorCheck
from shared.errors import RuleViolation

TODAY = date(2026, 10, 1)
NOW = datetime(2026, 10, 1, 2, 0, tzinfo=UTC)
ELDER = Elder("e-1", "王秀英", "female", date(1944, 3, 7), "xinhua", 1)


def test_a_double_ninth_campaign_visits_low_income_elders_by_the_festival():
    campaign = plan(
        "c-1",
        "2026年重阳节慰问",
        "double_ninth",
        Target(low_income=True),
        "月饼",
        date(2026, 10, 18),
        "li",
        NOW,
        TODAY,
        gift_value_fen=20000,
    )
    obligation = campaign_visit(campaign, ELDER, ZoneInfo("Asia/Shanghai"), "wang", NOW)
    assert obligation.obligation_id == "campaign:c-1:e-1"
    assert obligation.source == "campaign:c-1"
    assert obligation.due_at == datetime(2026, 10, 18, 16, 0, tzinfo=UTC)  # end of the 18th
    assert obligation.kind == "festival"


def test_the_target_group_is_every_condition_at_once():
    target = Target(communities=("xinhua",), min_age=80, low_income=True)
    poor = replace(ELDER, low_income=True)
    assert target.matches(poor, TODAY)
    assert not target.matches(ELDER, TODAY)  # not low-income
    assert not target.matches(replace(poor, community="dongfeng"), TODAY)
    assert not target.matches(replace(poor, birth_date=date(1950, 1, 1)), TODAY)  # 76
    assert not target.matches(replace(poor, status="deceased"), TODAY)
    alone = Target(household_types=("living_alone",), key_targets=True)
    assert not alone.matches(replace(ELDER, household_type="living_alone"), TODAY)
    assert alone.matches(
        replace(ELDER, household_type="living_alone", key_target_reasons=["living_alone"]), TODAY
    )


@given(st.booleans(), st.booleans(), st.booleans(), st.sampled_from(["empty_nest", "unknown"]))
def test_an_empty_target_is_every_active_elder(low_income, disabled, home_care, household):
    elder = replace(
        ELDER,
        low_income=low_income,
        disabled=disabled,
        home_care=home_care,
        household_type=household,
    )
    assert Target().matches(elder, TODAY)


def test_a_campaign_due_in_the_past_is_refused():
    with pytest.raises(RuleViolation, match="due_on has passed"):
        plan("c", "春节", "spring_festival", Target(), "米", date(2026, 9, 30), "li", NOW, TODAY)
    campaign = plan("c", "春节", "spring_festival", Target(), "米", TODAY, "li", NOW, TODAY)
    check_launchable(campaign, TODAY)
    with pytest.raises(RuleViolation, match="can no longer be launched"):
        check_launchable(campaign, date(2026, 10, 2))


def test_a_round_of_door_checks_needs_no_gift_and_its_visits_are_door_checks():
    round_ = plan(
        "r-1", "2026年入户核对", "", Target(), "", date(2026, 10, 30), "li", NOW, TODAY,
        purpose="door_check",
    )  # fmt: skip
    obligation = campaign_visit(round_, ELDER, ZoneInfo("Asia/Shanghai"), "zhao", NOW)
    assert (obligation.kind, obligation.assignee) == ("door_check", "zhao")
    with pytest.raises(RuleViolation, match="gift"):
        plan("c-2", "重阳", "double_ninth", Target(), " ", date(2026, 10, 30), "li", NOW, TODAY)
    with pytest.raises(RuleViolation, match="festival"):
        plan("c-3", "慰问", "", Target(), "米", date(2026, 10, 30), "li", NOW, TODAY)
    with pytest.raises(RuleViolation, match="one of"):
        plan("c-4", "x", "", Target(), "", date(2026, 10, 30), "li", NOW, TODAY, purpose="census")


@pytest.mark.parametrize(
    ("fact", "value", "message"),
    [
        ("name", "x", "not 'name'"),
        ("marital_status", "离婚", "one of"),
        ("party_member", "是", "one of"),
        ("phone", "call me", "not a phone number"),
        ("address", " ", "as it is"),
    ],
)
def test_a_door_check_corrects_only_what_the_register_takes(fact, value, message):
    check = DoorCheck((Correction(fact, value),))
    with pytest.raises(RuleViolation, match=message):
        check.check()


def test_a_door_check_corrects_each_fact_once_and_may_find_nothing_wrong():
    DoorCheck().check()
    DoorCheck((Correction("veteran", "no"), Correction("phone", "13912345678"))).check()
    with pytest.raises(RuleViolation, match="once"):
        DoorCheck((Correction("veteran", "no"), Correction("veteran", "yes"))).check()
