"""The high-age allowance's month rules, as properties over birth dates and months: 29 February,
month ends, and the band changes at 90 and 100, under both district rules."""

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.allowances.domain.elder import Elder
from services.allowances.domain.high_age import (
    BANDS,
    BIRTHDAY_MONTH,
    MONTH_AFTER,
    START_RULES,
    band_in_month,
    first_month,
    reaches_age,
)
from services.allowances.domain.programmes import HighAgeProgramme
from services.allowances.domain.stops import EVENT_MONTH, STOP_RULES
from shared.ages import age_on
from shared.months import add_months, month_of

LEAP_DAYS = st.sampled_from([date(y, 2, 29) for y in range(1904, 1960, 4)])
MONTH_ENDS = st.builds(
    lambda y, m: date(y, m, calendar.monthrange(y, m)[1]),
    st.integers(1900, 1960),
    st.integers(1, 12),
)
BIRTH_DATES = st.one_of(st.dates(date(1900, 1, 1), date(1960, 12, 31)), LEAP_DAYS, MONTH_ENDS)
RULES = st.sampled_from(START_RULES)


def months(birth: date, around_age: int) -> st.SearchStrategy[str]:
    """Months within two years of the elder reaching `around_age`."""
    reached = month_of(reaches_age(birth, around_age))
    return st.integers(-24, 24).map(lambda n: add_months(reached, n))


def band_name(birth: date, month: str, starts: str) -> str | None:
    band = band_in_month(birth, month, starts)
    return band.name if band else None


@given(BIRTH_DATES, st.sampled_from([80, 90, 100]))
def test_the_day_an_age_is_reached_agrees_with_age_on(birth, age):
    reached = reaches_age(birth, age)
    assert age_on(birth, reached) == age
    assert age_on(birth, reached - timedelta(days=1)) == age - 1


@given(st.data(), BIRTH_DATES, RULES)
def test_each_band_is_paid_from_its_first_month_until_the_next_band(data, birth, starts):
    band = data.draw(st.sampled_from(BANDS))
    month = data.draw(months(birth, band.min_age))
    begins = first_month(birth, band, starts)
    following = BANDS.index(band) + 1
    ends = first_month(birth, BANDS[following], starts) if following < len(BANDS) else "9999-12"
    in_band = band_name(birth, month, starts) == band.name
    assert in_band == (begins <= month < ends)


@given(BIRTH_DATES, st.sampled_from([80, 90, 100]))
def test_the_first_month_is_the_birthday_month_or_the_month_after(birth, age):
    band = next(b for b in BANDS if b.min_age == age)
    reached = month_of(reaches_age(birth, age))
    assert first_month(birth, band, BIRTHDAY_MONTH) == reached
    assert first_month(birth, band, MONTH_AFTER) == add_months(reached, 1)
    assert band_name(birth, reached, BIRTHDAY_MONTH) == band.name
    assert band_name(birth, reached, MONTH_AFTER) != band.name


@given(st.data(), BIRTH_DATES)
def test_the_month_after_rule_pays_each_band_exactly_one_month_later(data, birth):
    month = data.draw(months(birth, data.draw(st.sampled_from([80, 90, 100]))))
    assert band_name(birth, month, BIRTHDAY_MONTH) == band_name(
        birth, add_months(month, 1), MONTH_AFTER
    )


@given(BIRTH_DATES, RULES)
def test_bands_never_go_back_and_each_change_happens_once(birth, starts):
    start = month_of(reaches_age(birth, 79))
    names = [band_name(birth, add_months(start, n), starts) for n in range(12 * 23)]
    order = [None, *[b.name for b in BANDS]]
    indexes = [order.index(name) for name in names]
    assert indexes == sorted(indexes)
    assert [name for i, name in enumerate(names) if i == 0 or names[i - 1] != name] == order


@pytest.mark.parametrize(
    ("birth", "age", "birthday_month", "month_after"),
    [
        (date(1944, 2, 29), 80, "2024-02", "2024-03"),  # 2024 is a leap year
        (date(1944, 2, 29), 90, "2034-03", "2034-04"),  # 2034 is not: 90 on 1 March
        (date(1944, 2, 29), 100, "2044-02", "2044-03"),
        (date(1946, 1, 31), 80, "2026-01", "2026-02"),
        (date(1936, 12, 31), 90, "2026-12", "2027-01"),  # across the year's end
        (date(1926, 12, 1), 100, "2026-12", "2027-01"),
        (date(1946, 3, 1), 80, "2026-03", "2026-04"),
    ],
)
def test_known_first_months(birth, age, birthday_month, month_after):
    band = next(b for b in BANDS if b.min_age == age)
    assert first_month(birth, band, BIRTHDAY_MONTH) == birthday_month
    assert first_month(birth, band, MONTH_AFTER) == month_after


def elder(birth: date, **changes) -> Elder:
    return Elder("e-1", "王秀英", birth, "c01", 1, **changes)


@given(st.data(), BIRTH_DATES, RULES, st.sampled_from(STOP_RULES))
def test_a_death_stops_payment_from_the_districts_month(data, birth, starts, stops):
    died = data.draw(st.dates(reaches_age(birth, 80), reaches_age(birth, 105)))
    month = data.draw(st.integers(-3, 3).map(lambda n: add_months(month_of(died), n)))
    programme = HighAgeProgramme(starts=starts)
    assessed = programme.assess(elder(birth, status="deceased", died_on=died), month, stops)
    alive = programme.assess(elder(birth), month, stops)
    stop_month = month_of(died) if stops == EVENT_MONTH else add_months(month_of(died), 1)
    if month >= stop_month:
        assert not assessed.eligible and assessed.reason == "deceased"
    else:
        assert assessed == alive


def test_the_line_item_names_the_band_rule_and_the_district_amount():
    assessed = HighAgeProgramme(starts=BIRTHDAY_MONTH).assess(
        elder(date(1936, 11, 30)), "2026-11", "month_after"
    )
    assert assessed.eligible and assessed.band == "90-99"
    assert assessed.item.rule == "high_age.band.90-99"
    assert assessed.item.amount_fen == 30_000
    assert "in this band from 2026-11" in assessed.item.detail
    under = HighAgeProgramme().assess(elder(date(1946, 11, 30)), "2026-11", "month_after")
    assert (under.eligible, under.reason) == (False, "under_age")
    assert "paid from 2026-12" in under.detail


@given(st.data(), BIRTH_DATES, RULES)
def test_the_roll_concerns_everyone_it_could_pay_and_those_entering_the_first_band(
    data, birth, starts
):
    """The birth-date bound the roll reads by leaves out only elders who are under age that
    month, under either rule; and it takes in those reaching 80 in the month."""
    month = data.draw(months(birth, 80))
    programme = HighAgeProgramme(starts=starts)
    bound = programme.concerns(month).born_by
    elder = Elder("e-1", "王", birth, "c01", 1)
    assessed = programme.assess(elder, month, EVENT_MONTH)
    if birth > bound:
        assert (assessed.eligible, assessed.reason) == (False, "under_age")
    else:
        assert age_on(birth, date.fromisoformat(f"{add_months(month, 1)}-01")) >= 80
    if month_of(reaches_age(birth, 80)) == month:
        assert birth <= bound, "one reaching 80 this month is entering the band"
