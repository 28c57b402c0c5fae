"""The high-age allowance (高龄津贴): who is eligible, in which age band, from which month.

Amounts per band are set by each district (see programmes.py); this module decides the band
only. A district also decides when a band starts to be paid: in the month the elder reaches
its age (`birthday_month`) or from the month after (`month_after`). The same rule applies when
the band changes at 90 and at 100.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from shared.ages import age_on
from shared.months import add_months, first_day, last_day, month_of

ELIGIBLE_AGE = 80
BIRTHDAY_MONTH = "birthday_month"
MONTH_AFTER = "month_after"
START_RULES = (BIRTHDAY_MONTH, MONTH_AFTER)


@dataclass(frozen=True)
class Band:
    name: str
    min_age: int
    max_age: int | None  # None: no upper bound

    def holds(self, age: int) -> bool:
        return age >= self.min_age and (self.max_age is None or age <= self.max_age)


BANDS = (Band("80-89", 80, 89), Band("90-99", 90, 99), Band("100+", 100, None))
BAND_NAMES = tuple(band.name for band in BANDS)


@dataclass(frozen=True)
class Eligibility:
    age: int
    band: Band | None

    @property
    def eligible(self) -> bool:
        return self.band is not None


def band_for(age: int) -> Band | None:
    return next((b for b in BANDS if b.holds(age)), None)


def high_age_eligibility(birth_date: date, day: date, alive: bool = True) -> Eligibility:
    age = age_on(birth_date, day)
    return Eligibility(age, band_for(age) if alive else None)


def reaches_age(birth_date: date, age: int) -> date:
    """The day the elder turns `age`; a 29 February birthday counts as 1 March in common
    years, as `age_on` counts it."""
    try:
        return birth_date.replace(year=birth_date.year + age)
    except ValueError:
        return date(birth_date.year + age, 3, 1)


def band_in_month(birth_date: date, month: str, starts: str) -> Band | None:
    """The band paid for `month`: by the age reached by the month's last day
    (`birthday_month`), or by the day before it began (`month_after`)."""
    counted_on = last_day(month) if starts == BIRTHDAY_MONTH else first_day(month) - timedelta(1)
    return band_for(age_on(birth_date, counted_on))


def first_month(birth_date: date, band: Band, starts: str) -> str:
    """The first month paid in `band`."""
    reached = month_of(reaches_age(birth_date, band.min_age))
    return reached if starts == BIRTHDAY_MONTH else add_months(reached, 1)
