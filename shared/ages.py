"""Age, the one rule every service computes the same way."""

from datetime import date


def age_on(birth_date: date, day: date) -> int:
    """Full years lived on `day`; someone born on 29 February ages on 1 March in common years."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)
