"""Caseloads: how much open work each community and each visitor carries, and how late."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Load:
    key: str | None  # the community, or the assignee (None: nobody assigned)
    open: int
    overdue: int
    due_today: int  # not yet overdue, due before the district's day ends


def caseload(
    work: Iterable[tuple[str | None, datetime]], now: datetime, end_of_today: datetime
) -> list[Load]:
    """Tally (key, due_at) of open obligations; the most overdue keys first."""
    tally: dict[str | None, list[int]] = {}
    for key, due_at in work:
        counts = tally.setdefault(key, [0, 0, 0])
        counts[0] += 1
        if due_at < now:
            counts[1] += 1
        elif due_at <= end_of_today:
            counts[2] += 1
    loads = [Load(key, *counts) for key, counts in tally.items()]
    return sorted(loads, key=lambda load: (-load.overdue, -load.open, load.key or ""))
