"""What the tallies count of an elder, how their filters match, and which entries are
written: a newer version wins, an older or repeated one changes nothing."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from services.intake.domain.tallies import counted, entry_of, listed, matches, newer

TODAY = date(2026, 11, 29)


def stored(**changes):
    return {
        "version": 3,
        "status": "active",
        "birth_date": "1944-03-07",
        "community": "c01",
        "circumstances": {"household_type": "living_alone", "low_income": True, "skills": ["x"]},
        "key_target_reasons": ["living_alone", "low_income"],
        "card": {"category": "70+", "number": "N1"},
        "name": "王秀英",
        "sex": "F",
        "national_id": "110105194403070021",
        "address": "新华路1号",
        **changes,
    }


def test_an_entry_keeps_only_what_is_counted():
    assert entry_of(stored()) == {
        "v": 3,
        "status": "active",
        "birth_date": "1944-03-07",
        "circumstances": {
            "household_type": "living_alone",
            "low_income": True,
            "disabled": False,
            "home_care": False,
        },
        "key_target_reasons": ["living_alone", "low_income"],
        "card": {"category": "70+"},
        "name": "王秀英",
        "sex": "F",
        "national_id": "110105********0021",  # as every list shows it: never in full
    }


def test_a_list_shows_an_elder_from_their_entry_with_their_age_today():
    entry = entry_of(stored(status="deceased"))
    assert listed("e-1", "c01", entry, TODAY) == {
        "elder_id": "e-1",
        "name": "王秀英",
        "sex": "F",
        "age": 82,
        "community": "c01",
        "status": "deceased",
        "national_id": "110105********0021",
    }
    assert listed("e-1", "c01", entry, date(2027, 3, 7))["age"] == 83  # the birthday


def test_an_entry_keeps_the_facts_recorded_only():
    recorded = {"household_type": "living_alone", "marital_status": "widowed", "veteran": False}
    entry = entry_of(stored(circumstances={**recorded, "party_member": None}))
    assert entry["circumstances"]["marital_status"] == "widowed"
    assert entry["circumstances"]["veteran"] is False  # recorded as no: kept
    assert "party_member" not in entry["circumstances"]


def test_filters_match_as_the_register_query_would():
    entry = entry_of(stored())
    assert matches(entry, {"community": "c01", "status": "active", "age_band": "80-89"}, TODAY)
    assert not matches(entry, {"age_band": "70-79"}, TODAY)
    assert matches(entry, {"key_target": True, "key_target_reason": "low_income"}, TODAY)
    assert not matches(entry, {"key_target_reason": "disabled"}, TODAY)
    assert matches(entry, {"low_income": True, "disabled": False, "card": "70+"}, TODAY)
    assert not matches(entry, {"card": "none"}, TODAY)
    assert matches(entry_of(stored(card=None, key_target_reasons=[])), {"card": "none"}, TODAY)
    assert not matches(entry_of(stored(key_target_reasons=[])), {"key_target": True}, TODAY)
    assert not matches(entry, {"household_type": "empty_nest"}, TODAY)
    # an 80th birthday moves the elder into the next band on the day
    turning = entry_of(stored(birth_date="1946-11-29"))
    assert matches(turning, {"age_band": "80-89"}, TODAY)
    assert matches(turning, {"age_band": "70-79"}, date(2026, 11, 28))


def test_only_filters_a_tally_holds_are_counted_from_it():
    assert counted({"community": "c01", "status": "active", "card": "any"})
    assert not counted({"community": "c01", "name": "王秀英"})
    assert not counted({"identity_correction": "pending"})
    assert not counted({"card": "upgrade_due"})


versions = st.dictionaries(st.sampled_from("abcdef"), st.integers(1, 9), max_size=6)


@given(versions, versions)
def test_an_entry_is_written_again_only_at_a_newer_version(held, arriving):
    incoming = {i: {"v": v} for i, v in arriving.items()}
    writing = newer(held, incoming)
    after = {**held, **{i: incoming[i]["v"] for i in writing}}
    assert newer(after, incoming) == set(), "settling again writes nothing"
    for i, v in held.items():  # nothing goes back to an older version
        assert after[i] >= v
    for i, v in arriving.items():
        assert after[i] >= v
