"""When sign-in is refused for a while: after repeated failures for one user name, or from one
client address, each further failure makes the pause longer."""

from dataclasses import dataclass
from datetime import datetime, timedelta

FREE_FAILURES = 4  # for one user name: the fifth failure in a row starts the first pause
# From one address, more: the workbench signs every member of staff in from its own address,
# and a few typing mistakes must not pause everyone's sign-in.
FREE_FAILURES_PER_ADDRESS = 19
WINDOW = timedelta(minutes=15)  # failures further apart than this are forgotten
FIRST_PAUSE = timedelta(minutes=1)
LONGEST_PAUSE = timedelta(hours=1)


@dataclass(frozen=True)
class Failures:
    """Sign-in failures for one user name or one address, not yet forgotten."""

    count: int
    last_at: datetime
    free: int = FREE_FAILURES  # failures before the first pause

    def pause(self) -> timedelta:
        """1, 2, 4 … minutes from the first failure beyond the free ones, at most an hour."""
        if self.count <= self.free:
            return timedelta(0)
        return min(FIRST_PAUSE * 2 ** (self.count - self.free - 1), LONGEST_PAUSE)

    def refused_until(self) -> datetime:
        return self.last_at + self.pause()

    def forgotten(self, now: datetime) -> bool:
        """Once the pause is over and no failure followed for WINDOW, they no longer count."""
        return now >= self.refused_until() + WINDOW

    def retry_after(self, now: datetime) -> int:
        """Whole seconds until another attempt is heard; 0: now."""
        remaining = (self.refused_until() - now).total_seconds()
        return max(0, int(-(-remaining // 1)))
