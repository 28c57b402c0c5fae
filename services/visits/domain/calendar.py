"""The district's calendar: days begin at local midnight, instants are stored in UTC. Months
are `shared.months`."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The instant (UTC) the district's `day` begins."""
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The instant (UTC) the district's `day` ends: the start of the next day."""
    return start_of_day(date.fromordinal(day.toordinal() + 1), zone)
