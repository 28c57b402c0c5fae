from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.intake.domain.national_id import (
    PROVINCES,
    InvalidNationalId,
    check_character,
    from_legacy,
    parse_national_id,
    same_number,
)

births = st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31))
areas = st.builds(
    "{}{:04d}".format, st.sampled_from(sorted(PROVINCES)), st.integers(min_value=0, max_value=9999)
)
sequences = st.integers(min_value=0, max_value=999)


def make_id(area: str, born: date, sequence: int) -> str:
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def test_known_example_from_the_standard():
    # GB 11643-1999 worked example: 11010519491231002X, a woman born 31 December 1949.
    parsed = parse_national_id("11010519491231002x")
    assert parsed.value == "11010519491231002X"
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == "female"


@given(areas, births, sequences)
def test_every_well_formed_number_decodes_to_its_birth_date_and_sex(area, born, sequence):
    parsed = parse_national_id(make_id(area, born, sequence))
    assert parsed.birth_date == born
    assert parsed.sex == ("male" if sequence % 2 else "female")


@given(areas, births, sequences, st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_error_is_detected(area, born, sequence, position, delta):
    valid = make_id(area, born, sequence)
    wrong_digit = str((int(valid[position]) + delta) % 10)
    corrupted = valid[:position] + wrong_digit + valid[position + 1 :]
    with pytest.raises(InvalidNationalId):
        parse_national_id(corrupted)


@given(areas, births, sequences)
def test_adjacent_transpositions_are_detected(area, born, sequence):
    valid = make_id(area, born, sequence)
    for i in range(16):
        if valid[i] != valid[i + 1]:
            swapped = valid[:i] + valid[i + 1] + valid[i] + valid[i + 2 :]
            with pytest.raises(InvalidNationalId):
                parse_national_id(swapped)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1101051949123100", "18 characters"),
        ("11010549123100X", "15-digit number must be digits only"),
        ("11010519491231002X1", "18 characters"),
        ("1101051949123A002X", "digits"),
        ("110105194912310021", "check character"),
    ],
)
def test_malformed_numbers_say_why(raw, reason):
    with pytest.raises(InvalidNationalId, match=reason):
        parse_national_id(raw)


def test_impossible_birth_date_is_refused_even_with_a_valid_check_character():
    first17 = "11010519490230002"  # 30 February
    with pytest.raises(InvalidNationalId, match="not a date"):
        parse_national_id(first17 + check_character(first17))


@given(births)
def test_next_day_is_a_different_number(born):
    assert make_id("110105", born, 1) != make_id("110105", born + timedelta(days=1), 1)


def test_a_legacy_15_digit_number_becomes_its_18_character_form():
    # The standard's example again, as it was written before 1999: 2-digit year, no check.
    parsed = parse_national_id(" 110105491231002 ")
    assert parsed.value == "11010519491231002X"
    assert (parsed.birth_date, parsed.sex) == (date(1949, 12, 31), "female")


@given(areas, st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), sequences)
def test_every_15_digit_number_is_the_same_person_as_its_18_character_form(area, born, sequence):
    eighteen = make_id(area, born, sequence)
    fifteen = eighteen[:6] + eighteen[8:17]
    assert from_legacy(fifteen) == eighteen
    assert parse_national_id(fifteen) == parse_national_id(eighteen)


@pytest.mark.parametrize("area", ["001234", "100105", "990105", "200105", "720105"])
def test_an_address_code_must_name_a_real_province(area):
    with pytest.raises(InvalidNationalId, match=f"{area[:2]} is not a province code"):
        parse_national_id(make_id(area, date(1944, 3, 7), 2))


def test_every_province_is_accepted():
    for province in PROVINCES:
        assert parse_national_id(make_id(f"{province}0102", date(1944, 3, 7), 2))


def test_a_birth_year_before_1900_is_not_plausible():
    with pytest.raises(InvalidNationalId, match="birth year 1899 is not plausible"):
        parse_national_id(make_id("110105", date(1899, 12, 31), 2))
    assert parse_national_id(make_id("110105", date(1900, 1, 1), 2)).birth_date.year == 1900


def test_the_same_number_is_compared_in_its_18_character_form():
    legacy = "110105440307002"
    assert same_number(legacy, from_legacy(legacy))
    assert same_number(" 11010519440307002x", "11010519440307002X")
    assert not same_number(from_legacy(legacy), "330281193808080048")
    assert not same_number("not a number", "330281193808080048")
