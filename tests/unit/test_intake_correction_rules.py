"""Corrections of closed or wrong records in the register: pure domain, no servers."""

from datetime import UTC, date, datetime

import pytest

from services.intake.domain import corrections
from services.intake.domain import elder as rules
from services.intake.domain.elder import Absence, Circumstances, Registration, register
from services.intake.domain.national_id import check_character
from shared.errors import Conflict, RuleViolation

TODAY = date(2026, 11, 29)
NOW = datetime(2026, 11, 29, 2, tzinfo=UTC)


def number(born: date, sequence: int = 2) -> str:
    first17 = f"110105{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def an_elder(born=date(1944, 3, 7)):
    registration = Registration(
        national_id=number(born),
        name="王秀英",
        sex="female",
        birth_date=born,
        community="c01",
        address="新华路12号",
        circumstances=Circumstances(household_type="living_alone"),
    )
    return register(registration, "e1", NOW, TODAY)


def dead(elder=None):
    return rules.record_death(elder or an_elder(), date(2026, 9, 3), "death registry", TODAY).after


def test_a_death_reported_in_error_is_revoked_and_the_record_is_active_again():
    change = corrections.revoke_death(dead(), "  confused with her sister  ", TODAY)
    assert (change.after.status, change.after.died_on, change.after.version) == ("active", None, 3)
    assert change.after.key_target_reasons == ("living_alone",)
    assert change.events == [
        (
            "elder.death_revoked",
            {"revoked_died_on": date(2026, 9, 3), "reason": "confused with her sister"},
        )
    ]
    assert "death of 2026-09-03 revoked" in change.summary


def test_only_a_recorded_death_can_be_revoked_and_only_with_a_reason():
    with pytest.raises(RuleViolation, match="status is active"):
        corrections.revoke_death(an_elder(), "error", TODAY)
    with pytest.raises(RuleViolation, match="reason"):
        corrections.revoke_death(dead(), "   ", TODAY)


def test_an_elder_who_moved_out_and_returns_is_reactivated_with_the_time_away_kept():
    gone = rules.move_out(an_elder(), date(2026, 3, 10), "杭州", TODAY).after
    change = corrections.return_to_district(gone, "c02", " 新址 ", date(2026, 10, 5), TODAY)
    back = change.after
    assert (back.status, back.moved_out_on, back.community, back.address) == (
        "active",
        None,
        "c02",
        "新址",
    )
    assert back.absences == (Absence(date(2026, 3, 10), date(2026, 10, 5)),)
    assert change.events == [
        (
            "elder.returned",
            {
                "returned_on": date(2026, 10, 5),
                "away_since": date(2026, 3, 10),
                "to_community": "c02",
            },
        )
    ]
    again = rules.move_out(back, date(2026, 11, 1), None, TODAY).after
    twice = corrections.return_to_district(again, "c01", "旧址", TODAY, TODAY).after
    assert [a.moved_out_on for a in twice.absences] == [date(2026, 3, 10), date(2026, 11, 1)]


@pytest.mark.parametrize(
    ("returned_on", "message"),
    [(date(2026, 3, 9), "before the move out"), (date(2026, 11, 30), "future")],
)
def test_a_return_before_leaving_or_in_the_future_is_refused(returned_on, message):
    gone = rules.move_out(an_elder(), date(2026, 3, 10), None, TODAY).after
    with pytest.raises(RuleViolation, match=message):
        corrections.return_to_district(gone, "c01", "x", returned_on, TODAY)


def test_only_an_elder_who_moved_out_can_return():
    with pytest.raises(RuleViolation, match="status is deceased"):
        corrections.return_to_district(dead(), "c01", "x", TODAY, TODAY)


def propose(elder=None, **values):
    values = {"national_id": None, "birth_date": None, "sex": None, **values}
    return corrections.propose_identity_correction(
        elder or an_elder(), reason="户籍底册核对", by="clerk", at=NOW, today=TODAY, **values
    )


def test_a_correction_is_proposed_then_approved_by_another_person_with_the_old_values_kept():
    right = number(date(1944, 8, 7), 13)  # born in August, a man
    proposed = propose(national_id=right).after
    assert proposed.national_id == number(date(1944, 3, 7))  # nothing applied yet
    assert corrections.pending_correction(proposed).birth_date == date(1944, 8, 7)
    with pytest.raises(RuleViolation, match="another district administrator"):
        corrections.approve_identity_correction(proposed, "clerk", NOW, TODAY)

    change = corrections.approve_identity_correction(proposed, "admin", NOW, TODAY)
    corrected = change.after
    assert (corrected.national_id, corrected.birth_date, corrected.sex) == (
        right,
        date(1944, 8, 7),
        "male",
    )
    [kept] = corrected.identity_corrections
    assert (kept.status, kept.decided_by, kept.previous_national_id, kept.previous_sex) == (
        "approved",
        "admin",
        number(date(1944, 3, 7)),
        "female",
    )
    # the other services learn the birth date and sex, never the number
    assert change.events == [("elder.updated", {"changed": ["birth_date", "sex"]})]
    assert corrections.pending_correction(corrected) is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"birth_date": date(1944, 8, 7)}, "disagrees with the ID number on record"),
        ({"national_id": number(date(1944, 8, 7)), "sex": "male"}, "disagrees with the corr"),
        ({"national_id": "110105194403070022"}, "check character"),
        ({"national_id": number(date(1944, 3, 7))}, "nothing to correct"),
        ({"national_id": number(date(1970, 1, 1))}, "under 60"),
    ],
)
def test_a_proposal_must_agree_with_the_id_number_and_change_something(values, message):
    with pytest.raises(RuleViolation, match=message):
        propose(**values)


def test_one_proposal_at_a_time_and_a_rejection_keeps_the_record_as_it_was():
    proposed = propose(national_id=number(date(1944, 3, 8))).after
    with pytest.raises(Conflict, match="awaits"):
        propose(proposed, national_id=number(date(1944, 3, 9)))
    with pytest.raises(RuleViolation, match="note"):
        corrections.reject_identity_correction(proposed, "admin", " ", NOW)
    rejected = corrections.reject_identity_correction(proposed, "admin", "证件复印件不符", NOW)
    assert rejected.events == []
    assert rejected.after.birth_date == date(1944, 3, 7)
    assert rejected.after.identity_corrections[0].status == "rejected"
    with pytest.raises(RuleViolation, match="no identity correction awaits"):
        corrections.approve_identity_correction(rejected.after, "admin", NOW, TODAY)


def test_a_correction_of_the_number_alone_announces_nothing():
    same_birth_and_sex = number(date(1944, 3, 7), 4)
    proposed = propose(national_id=same_birth_and_sex).after
    change = corrections.approve_identity_correction(proposed, "admin", NOW, TODAY)
    assert change.after.national_id == same_birth_and_sex and change.events == []
