"""The age bands of the district's statistics, and the birth dates that fall in each."""

import calendar
from datetime import date

BANDS = (
    ("60-69", 60, 69),
    ("70-79", 70, 79),
    ("80-89", 80, 89),
    ("90-99", 90, 99),
    ("100+", 100, None),
)
BAND_NAMES = tuple(name for name, _, _ in BANDS)


def band_of(age: int) -> str | None:
    for name, low, high in BANDS:
        if age >= low and (high is None or age <= high):
            return name
    return None


def latest_birth_date(day: date, age: int) -> date:
    """The latest birth date of someone who is at least `age` on `day` (29 February counts
    as 28 February in a common year, so such a person ages on 1 March)."""
    year = day.year - age
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def birth_date_range(band: str, day: date) -> tuple[date | None, date]:
    """(exclusive lower bound or None, inclusive upper bound) of birth dates in the band."""
    for name, low, high in BANDS:
        if name == band:
            lower = latest_birth_date(day, high + 1) if high is not None else None
            return lower, latest_birth_date(day, low)
    raise ValueError(f"unknown age band {band!r}; bands are {', '.join(BAND_NAMES)}")
