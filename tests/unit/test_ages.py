from datetime import date, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from shared.ages import age_on

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(days, days)
def test_age_never_decreases_and_grows_at_most_one_a_day(born, day):
    assume(day >= born and day < date(2100, 12, 31))
    today, tomorrow = age_on(born, day), age_on(born, day + timedelta(days=1))
    assert today >= 0
    assert tomorrow - today in (0, 1)


@given(days, st.integers(0, 120))
def test_age_changes_exactly_on_the_birthday(born, years):
    assume(not (born.month == 2 and born.day == 29))
    try:
        birthday = born.replace(year=born.year + years)
    except ValueError:
        return  # beyond the calendar's range
    assert age_on(born, birthday) == years
    assert age_on(born, birthday - timedelta(days=1)) == years - 1


def test_born_on_29_february_ages_on_1_march_in_common_years():
    born = date(1944, 2, 29)
    assert age_on(born, date(2024, 2, 28)) == 79
    assert age_on(born, date(2024, 2, 29)) == 80  # leap year: the day itself
    assert age_on(born, date(2025, 2, 28)) == 80
    assert age_on(born, date(2025, 3, 1)) == 81
