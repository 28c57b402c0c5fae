"""The high-age allowance (高龄津贴): who is eligible, and in which age band.

Amounts per band are set by each district; this module decides eligibility and band only.
"""

from dataclasses import dataclass
from datetime import date

from shared.ages import age_on

ELIGIBLE_AGE = 80


@dataclass(frozen=True)
class Band:
    name: str
    min_age: int
    max_age: int | None  # None: no upper bound

    def holds(self, age: int) -> bool:
        return age >= self.min_age and (self.max_age is None or age <= self.max_age)


BANDS = (Band("80-89", 80, 89), Band("90-99", 90, 99), Band("100+", 100, None))


@dataclass(frozen=True)
class Eligibility:
    age: int
    band: Band | None

    @property
    def eligible(self) -> bool:
        return self.band is not None


def high_age_eligibility(birth_date: date, day: date, alive: bool = True) -> Eligibility:
    age = age_on(birth_date, day)
    band = next((b for b in BANDS if b.holds(age)), None) if alive else None
    return Eligibility(age, band)
