from datetime import UTC, date, datetime

import pytest

from services.intake.domain.elder import Registration, register
from services.intake.domain.national_id import check_character
from shared.errors import RuleViolation

TODAY = date(2026, 11, 29)
NOW = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)


def registration(born: date, sequence: int = 2, **changes) -> Registration:
    first17 = f"110105{born:%Y%m%d}{sequence:03d}"
    fields = {
        "national_id": first17 + check_character(first17),
        "name": " 王秀英 ",
        "sex": "male" if sequence % 2 else "female",
        "birth_date": born,
        "community": "xinhua",
        "address": "新华路12号",
    }
    return Registration(**{**fields, **changes})


def test_an_elder_of_60_is_registered_with_facts_from_the_id_number():
    elder = register(registration(date(1966, 11, 29)), "e1", NOW, TODAY)
    assert (elder.elder_id, elder.name, elder.sex) == ("e1", "王秀英", "female")
    assert elder.birth_date == date(1966, 11, 29)
    assert elder.status == "active" and elder.version == 1


def test_someone_turning_60_tomorrow_is_not_yet_an_elder():
    with pytest.raises(RuleViolation, match="from age 60; this person is 59"):
        register(registration(date(1966, 11, 30)), "e1", NOW, TODAY)


def test_birth_date_must_agree_with_the_id_number():
    with pytest.raises(RuleViolation, match="disagrees with the ID number") as refused:
        register(registration(date(1944, 3, 7), birth_date=date(1944, 3, 8)), "e1", NOW, TODAY)
    assert refused.value.context["field"] == "birth_date"


def test_sex_must_agree_with_the_id_number():
    with pytest.raises(RuleViolation, match="sex 'male' disagrees"):
        register(registration(date(1944, 3, 7), sequence=2, sex="male"), "e1", NOW, TODAY)


def test_an_invalid_id_number_is_a_rule_violation_on_that_field():
    bad = registration(date(1944, 3, 7), national_id="110105194403070022")
    with pytest.raises(RuleViolation, match="check character") as refused:
        register(bad, "e1", NOW, TODAY)
    assert refused.value.context["field"] == "national_id"
