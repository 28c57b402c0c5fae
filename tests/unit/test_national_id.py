from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.intake.domain.national_id import (
    InvalidNationalId,
    check_character,
    parse_national_id,
)

births = st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31))
areas = st.from_regex(r"\A[1-6][0-9]{5}\Z")
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
