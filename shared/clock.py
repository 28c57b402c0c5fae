"""Time as a dependency, so that deadlines and months are testable."""

from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock for tests: stands still until moved."""

    def __init__(self, at: datetime) -> None:
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def move_to(self, at: datetime) -> None:
        self._at = at.astimezone(UTC)


def local_today(clock: Clock, zone: ZoneInfo) -> date:
    """Today's date in the district's time zone, which decides ages and months."""
    return clock.now().astimezone(zone).date()
