"""Months as the district counts them: "YYYY-MM" strings, which sort in time order."""

import calendar
import re
from datetime import date

from shared.errors import RuleViolation

MONTH_PATTERN = r"^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])$"  # the calendar starts at year 1
_MONTH = re.compile(MONTH_PATTERN)


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def check_month(text: str, field: str = "month") -> str:
    if not _MONTH.match(text):
        raise RuleViolation(f"{text!r} is not a month written YYYY-MM", field=field)
    return text


def check_year(text: str, today: date, field: str = "year") -> int:
    """A year written YYYY, from 2000 to this one: one the register can have figures for."""
    if not re.fullmatch(r"[0-9]{4}", text) or not 2000 <= int(text) <= today.year:
        raise RuleViolation(
            f"{text!r} is not a year the register has figures for (2000 to {today.year})",
            field=field,
        )
    return int(text)


def _parts(month: str) -> tuple[int, int]:
    year, number = check_month(month).split("-")
    return int(year), int(number)


def first_day(month: str) -> date:
    year, number = _parts(month)
    return date(year, number, 1)


def last_day(month: str) -> date:
    year, number = _parts(month)
    return date(year, number, calendar.monthrange(year, number)[1])


def next_month(month: str) -> str:
    return add_months(month, 1)


def days_in(month: str) -> int:
    return last_day(month).day


def add_months(month: str, count: int) -> str:
    year, number = _parts(month)
    index = year * 12 + number - 1 + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def day_in_month(month: str, day: int) -> date:
    """The given day of the month, or its last day for a month that is shorter."""
    last = last_day(month)
    return last.replace(day=min(day, last.day))
