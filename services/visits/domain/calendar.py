"""The district's calendar: days and months begin at local midnight, instants are stored in UTC."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from shared.errors import RuleViolation


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The instant (UTC) the district's `day` begins."""
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The instant (UTC) the district's `day` ends: the start of the next day."""
    return start_of_day(date.fromordinal(day.toordinal() + 1), zone)


def month_of(day: date) -> str:
    return f"{day:%Y-%m}"


def first_day(month: str) -> date:
    """The first day of a month written `YYYY-MM`."""
    try:
        year, number = (int(part) for part in month.split("-"))
        return date(year, number, 1)
    except ValueError:
        raise RuleViolation(f"{month!r} is not a month (YYYY-MM)", field="month") from None


def next_month(month: str) -> str:
    first = first_day(month)
    return month_of(date(first.year + first.month // 12, first.month % 12 + 1, 1))


def days_in(month: str) -> int:
    return (first_day(next_month(month)) - first_day(month)).days
