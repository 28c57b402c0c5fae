"""The register's rules for changes after registration: pure domain, no servers."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.intake.domain import elder as rules
from services.intake.domain.age_bands import BAND_NAMES, band_of, birth_date_range
from services.intake.domain.assessment import assess, self_care_level
from services.intake.domain.district import CardCategory, Community, District
from services.intake.domain.elder import Card, Circumstances, Registration, register
from services.intake.domain.national_id import check_character
from services.intake.domain.statistics import district_statistics
from shared.ages import age_on
from shared.errors import Conflict, RuleViolation

TODAY = date(2026, 11, 29)
NOW = datetime(2026, 11, 29, 2, tzinfo=UTC)


def an_elder(born=date(1944, 3, 7), **circumstances):
    first17 = f"110105{born:%Y%m%d}002"
    registration = Registration(
        national_id=first17 + check_character(first17),
        name="王秀英",
        sex="female",
        birth_date=born,
        community="c01",
        address="新华路12号",
        circumstances=Circumstances(**circumstances),
    )
    return register(registration, "e1", NOW, TODAY)


def numbers(category):
    return f"D-{category}-000001"


def test_key_targets_follow_the_household_and_flags():
    assert an_elder().key_target_reasons == ()
    elder = an_elder(household_type="living_alone", low_income=True)
    assert elder.key_target_reasons == ("living_alone", "low_income")


def test_an_update_recomputes_key_targets_and_lists_what_changed():
    elder = an_elder()
    change = rules.update(
        elder, {"circumstances": {"household_type": "empty_nest"}, "phone": "1"}, TODAY
    )
    assert change.after.version == 2
    assert change.after.key_target_reasons == ("empty_nest",)
    assert change.events == [("elder.updated", {"changed": ["circumstances", "phone"]})]


def test_a_partial_change_of_circumstances_keeps_every_flag_not_sent():
    elder = an_elder(
        household_type="living_alone",
        disabled=True,
        home_care=True,
        retired_cadre_employer="市机械厂",
        skills=("书法",),
    )
    change = rules.update(elder, {"circumstances": {"low_income": True}}, TODAY)
    assert change.after.circumstances == replace(elder.circumstances, low_income=True)
    assert change.after.key_target_reasons == ("living_alone", "low_income", "disabled")
    cleared = rules.update(change.after, {"circumstances": {"disabled": False}}, TODAY)
    assert cleared.after.circumstances.household_type == "living_alone"
    assert cleared.after.key_target_reasons == ("living_alone", "low_income")


def test_circumstances_sent_as_they_are_change_nothing_and_unknown_ones_are_named():
    elder = an_elder(household_type="living_alone")
    with pytest.raises(RuleViolation, match="nothing to change"):
        rules.update(elder, {"circumstances": {"household_type": "living_alone"}}, TODAY)
    with pytest.raises(RuleViolation, match="unknown circumstances: pension"):
        rules.update(elder, {"circumstances": {"pension": True}}, TODAY)


def test_an_update_that_changes_nothing_is_refused():
    elder = an_elder()
    with pytest.raises(RuleViolation, match="nothing to change"):
        rules.update(elder, {"name": elder.name}, TODAY)


def test_chronic_illness_with_low_self_care_makes_a_key_target_while_in_force():
    elder = an_elder()
    assessment = assess("barthel", 55, ["diabetes"], "Dr Li", date(2026, 1, 10), TODAY)
    assert assessment.self_care_level == "severe"
    assert assessment.valid_until == date(2027, 1, 10)
    change = rules.record_assessment(elder, assessment, TODAY)
    assert change.after.key_target_reasons == ("chronic_illness_low_self_care",)
    expired = assess("barthel", 55, ["diabetes"], "Dr Li", date(2024, 1, 10), TODAY)
    assert rules.record_assessment(elder, expired, TODAY).after.key_target_reasons == ()


@pytest.mark.parametrize(
    ("scale", "score", "level"),
    [
        ("barthel", 100, "independent"),
        ("barthel", 91, "mild"),
        ("barthel", 90, "moderate"),
        ("barthel", 61, "moderate"),
        ("barthel", 60, "severe"),
        ("barthel", 21, "severe"),
        ("barthel", 20, "total"),
        ("national", 0, "independent"),
        ("national", 4, "total"),
    ],
)
def test_self_care_levels(scale, score, level):
    assert self_care_level(scale, score) == level


@pytest.mark.parametrize(("scale", "score"), [("barthel", 101), ("national", 5), ("odd", 1)])
def test_impossible_assessments_are_refused(scale, score):
    with pytest.raises(RuleViolation):
        self_care_level(scale, score)


def test_a_death_closes_the_record_and_cancels_the_card():
    elder = rules.issue_card(an_elder(), "70", numbers, TODAY).after
    change = rules.record_death(elder, date(2026, 11, 20), "death registry", TODAY)
    assert change.after.status == "deceased" and change.after.died_on == date(2026, 11, 20)
    assert change.after.card is None
    assert [kind for kind, _ in change.events] == ["elder.deceased", "elder.card_cancelled"]
    with pytest.raises(RuleViolation, match="closed"):
        rules.move_out(change.after, TODAY, None, TODAY)


@pytest.mark.parametrize("died_on", [date(2026, 11, 30), date(1944, 3, 6)])
def test_a_death_in_the_future_or_before_birth_is_refused(died_on):
    with pytest.raises(RuleViolation, match="died_on"):
        rules.record_death(an_elder(), died_on, "staff", TODAY)


def test_moves_within_and_out_of_the_district():
    moved = rules.move_within(an_elder(), "c02", date(2026, 11, 1), "新址", TODAY)
    assert moved.after.community == "c02" and moved.after.status == "active"
    assert moved.events[0][1]["from_community"] == "c01"
    gone = rules.move_out(moved.after, date(2026, 11, 2), "杭州", TODAY)
    assert gone.after.status == "moved_out" and gone.after.version == 3


def test_cards_are_issued_once_and_reissued_with_a_new_number():
    issued = rules.issue_card(an_elder(), "70", numbers, TODAY)
    assert issued.after.card.number == "D-70-000001"
    with pytest.raises(Conflict, match="already holds card"):
        rules.issue_card(issued.after, "70", numbers, TODAY)
    reissued = rules.reissue_card(issued.after, "lost", lambda c: f"D-{c}-000002", TODAY)
    assert reissued.after.card.number == "D-70-000002"
    assert [kind for kind, _ in reissued.events] == ["elder.card_cancelled", "elder.card_issued"]


def test_the_card_category_is_the_highest_the_age_allows_unless_named():
    district = District(
        card_categories=(CardCategory("60", "60+", 60), CardCategory("70", "70+", 70))
    )
    assert district.card_category(None, 75).code == "70"
    assert district.card_category("60", 75).code == "60"
    with pytest.raises(RuleViolation, match="starts at age 70"):
        district.card_category("70", 65)


def test_unknown_communities_are_refused_with_the_known_ones():
    district = District(communities=(Community("c01", "一"),))
    with pytest.raises(RuleViolation, match=r"unknown community 'x'.*c01"):
        district.community("x")


def test_duplicates_are_resolved_as_distinct_or_merged():
    elder = rules.update(an_elder(), {"phone": "1"}, TODAY).after
    flagged = replace(elder, possible_duplicates=("e9",))
    distinct = rules.resolve_duplicate(flagged, "e9", "distinct")
    assert distinct.after.possible_duplicates == () and distinct.events == []
    merged = rules.resolve_duplicate(flagged, "e9", "merge")
    assert merged.after.status == "merged" and merged.after.merged_into == "e9"
    with pytest.raises(RuleViolation, match="not listed"):
        rules.resolve_duplicate(flagged, "e8", "merge")


days = st.dates(min_value=date(1950, 1, 1), max_value=date(2060, 12, 31))
births = st.dates(min_value=date(1900, 1, 1), max_value=date(1966, 12, 31))


@given(births, days)
def test_a_birth_date_is_in_the_band_of_the_age_it_gives(born, day):
    age = age_on(born, day)
    for band in BAND_NAMES:
        lower, upper = birth_date_range(band, day)
        inside = born <= upper and (lower is None or born > lower)
        assert inside == (band_of(age) == band)


def test_statistics_count_active_rows_by_band_household_and_card():
    rows = [
        {
            "community": "c01",
            "birth_date": "1944-03-07",
            "circumstances": {"household_type": "living_alone", "low_income": True},
            "key_target_reasons": ["living_alone", "low_income"],
            "card": {"category": "80"},
        },
        {
            "community": "c01",
            "birth_date": "1960-01-01",
            "circumstances": {},
            "key_target_reasons": [],
            "card": None,
        },
        {
            "community": "c02",
            "birth_date": "1925-06-01",
            "circumstances": {"household_type": "with_family"},
            "key_target_reasons": [],
        },
    ]
    result = district_statistics(rows, TODAY)
    district = result["district"]
    assert district["elders"] == 3
    assert district["age_bands"] == {"60-69": 1, "70-79": 0, "80-89": 1, "90-99": 0, "100+": 1}
    assert district["household_types"]["living_alone"] == 1
    assert district["household_types"]["unknown"] == 1
    assert district["key_targets"] == 1 and district["low_income"] == 1
    assert district["cards_issued"] == {"80": 1}
    assert [c["community"] for c in result["communities"]] == ["c01", "c02"]
    assert result["communities"][0]["elders"] == 2


def test_a_lapsed_assessment_takes_the_elder_off_the_key_target_list_it_put_them_on():
    elder = an_elder(household_type="living_alone")
    assessment = assess("barthel", 55, ["diabetes"], "Dr Li", date(2026, 1, 10), TODAY)
    assessed = rules.record_assessment(elder, assessment, TODAY).after
    assert assessed.key_target_reasons == ("chronic_illness_low_self_care", "living_alone")
    assert rules.review_key_targets(assessed, date(2027, 1, 10)) is None  # its last day

    change = rules.review_key_targets(assessed, date(2027, 1, 11))
    assert change is not None
    assert change.after.key_target_reasons == ("living_alone",)
    assert change.after.version == assessed.version + 1
    assert change.events == [("elder.updated", {"changed": ["key_target_reasons"]})]
    assert "lapsed after 2027-01-10" in change.summary
    assert rules.review_key_targets(change.after, date(2027, 1, 11)) is None


def test_a_closed_record_is_not_reviewed():
    elder = an_elder()
    assessment = assess("barthel", 55, ["diabetes"], "Dr Li", date(2026, 1, 10), TODAY)
    assessed = rules.record_assessment(elder, assessment, TODAY).after
    died = rules.record_death(assessed, TODAY, "registry", TODAY).after
    assert rules.review_key_targets(died, date(2027, 6, 1)) is None


def test_a_move_to_a_new_home_in_the_same_community_is_a_move():
    """房子乔迁 is a must-visit also within the same community."""
    elder = an_elder()
    moved = rules.move_within(elder, "c01", date(2026, 11, 1), " 新华路30号 ", TODAY)
    assert (moved.after.community, moved.after.address) == ("c01", "新华路30号")
    assert moved.events == [
        (
            "elder.moved",
            {"from_community": "c01", "to_community": "c01", "moved_on": date(2026, 11, 1)},
        )
    ]
    assert moved.summary == "moved within c01 on 2026-11-01"
    with pytest.raises(RuleViolation, match="needs the new address"):
        rules.move_within(elder, "c01", date(2026, 11, 1), None, TODAY)
    with pytest.raises(RuleViolation, match="already lives at that address"):
        rules.move_within(elder, "c01", date(2026, 11, 1), elder.address, TODAY)


JINDONG = District(
    communities=(
        Community("c01", "金东社区"),
        Community("c02", "金西社区"),
        Community("c03", "金东村", "village"),
        Community("c04", "新华"),
    )
)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("c01", "c01"),
        ("C02", "c02"),
        ("金东社区", "c01"),
        (" 金东　社区 ", "c01"),  # spaces, a full-width one too
        ("金东居委会", "c01"),
        ("金西", "c02"),
        ("金东村", "c03"),
        ("金东村委会", "c03"),
        ("新华社区", "c04"),
    ],
)
def test_a_community_is_found_by_its_code_or_its_name_as_clerks_write_it(written, code):
    assert JINDONG.resolve_community(written).code == code


def test_a_name_that_fits_several_communities_is_refused_naming_them():
    with pytest.raises(RuleViolation, match=r"could be any of 金东社区 \(c01\)、金东村 \(c03\)"):
        JINDONG.resolve_community("金东")


def test_an_unknown_community_is_refused_with_the_district_s_codes_and_names():
    with pytest.raises(RuleViolation, match=r"unknown community '金南'.*c01 金东社区, c02"):
        JINDONG.resolve_community("金南")
    with pytest.raises(RuleViolation, match="unknown community"):
        JINDONG.resolve_community("社区")


CARDS = District(
    card_categories=(
        CardCategory("60", "60+", 60),
        CardCategory("70", "70+", 70),
        CardCategory("80", "80+", 80),
    )
)


def a_card_holder(born, category="60"):
    return rules.issue_card(an_elder(born), category, numbers, TODAY).after


def test_a_60_card_is_replaced_by_a_70_card_once_the_elder_is_70():
    elder = a_card_holder(date(1956, 11, 29))  # 70 today
    assert CARDS.card_upgrade_due("60", elder.age(TODAY)).code == "70"
    change = rules.upgrade_card(elder, CARDS, None, lambda c: f"D-{c}-000007", TODAY)
    assert change.after.card == Card("D-70-000007", "70", TODAY)
    assert change.after.version == elder.version + 1
    assert change.events == [
        ("elder.card_cancelled", {"card_number": "D-60-000001", "reason": "upgraded to 70+"}),
        (
            "elder.card_issued",
            {
                "card_number": "D-70-000007",
                "category": "70",
                "issued_on": TODAY,
                "reissue": False,
                "replaces": "D-60-000001",
            },
        ),
    ]
    assert "D-60-000001 (60) replaced by D-70-000007 (70)" in change.summary
    assert CARDS.card_upgrade_due("70", change.after.age(TODAY)) is None


def test_an_upgrade_goes_to_the_highest_category_the_age_allows_unless_one_is_named():
    elder = a_card_holder(date(1941, 1, 1))  # 85
    assert rules.upgrade_card(elder, CARDS, None, numbers, TODAY).after.card.category == "80"
    assert rules.upgrade_card(elder, CARDS, "70", numbers, TODAY).after.card.category == "70"


def test_an_upgrade_the_age_or_the_card_does_not_allow_is_refused_with_the_reason():
    young = a_card_holder(date(1956, 11, 30))  # 69 until tomorrow
    assert CARDS.card_upgrade_due("60", young.age(TODAY)) is None
    with pytest.raises(RuleViolation, match=r"holds a 60\+ card.*70\+ starts at age 70"):
        rules.upgrade_card(young, CARDS, None, numbers, TODAY)
    with pytest.raises(RuleViolation, match=r"70\+ starts at age 70; the elder is 69"):
        rules.upgrade_card(young, CARDS, "70", numbers, TODAY)
    seventy = a_card_holder(date(1941, 1, 1), "70")
    with pytest.raises(RuleViolation, match=r"60\+ is not above the 70\+ card"):
        rules.upgrade_card(seventy, CARDS, "60", numbers, TODAY)
    with pytest.raises(RuleViolation, match="no card to replace"):
        rules.upgrade_card(an_elder(), CARDS, None, numbers, TODAY)
    dead = rules.record_death(seventy, TODAY, "staff", TODAY).after
    with pytest.raises(RuleViolation, match="closed"):
        rules.upgrade_card(dead, CARDS, None, numbers, TODAY)


def test_the_ages_from_which_each_card_is_due_an_upgrade():
    assert CARDS.card_upgrade_ages() == {"60": 70, "70": 80}
    # a card of a category no longer configured is due whatever the age allows
    assert CARDS.card_upgrade_due("65", 72).code == "70"
