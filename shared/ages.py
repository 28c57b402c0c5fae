"""Age, the one rule every service computes the same way."""

from datetime import date

from shared.months import add_months, last_day


def age_on(birth_date: date, day: date) -> int:
    """Full years lived on `day`; someone born on 29 February ages on 1 March in common years."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)


def born_by(month: str, age: int) -> date:
    """Anyone `age` or over by the end of `month` was born on or before this day."""
    return last_day(add_months(month, -12 * age))
