"""Self-care assessments: the Barthel ADL index or the national elder-ability levels.

Barthel scores (0–100) are banded as usual: 100 independent, 91–99 mild, 61–90 moderate,
21–60 severe, 0–20 total dependency. The national assessment (GB/T 42195-2022) grades 0–4:
能力完好, 轻度失能, 中度失能, 重度失能, 完全失能.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from shared.errors import RuleViolation
from shared.vocabulary import ASSESSMENT_SCALES, SELF_CARE_LEVELS

SCALES = tuple(ASSESSMENT_SCALES)
LEVELS = tuple(SELF_CARE_LEVELS)  # in order: a national grade is its position
DEFAULT_VALIDITY = timedelta(days=365)


@dataclass(frozen=True)
class Assessment:
    scale: str
    score: int
    self_care_level: str
    chronic_illnesses: tuple[str, ...]
    assessor: str
    assessed_on: date
    valid_until: date

    def in_force(self, today: date) -> bool:
        return self.assessed_on <= today <= self.valid_until


def self_care_level(scale: str, score: int) -> str:
    if scale == "barthel":
        if not 0 <= score <= 100:
            raise RuleViolation("a Barthel score is 0 to 100", field="score")
        bounds = ((100, "independent"), (91, "mild"), (61, "moderate"), (21, "severe"))
        return next((level for low, level in bounds if score >= low), "total")
    if scale == "national":
        if not 0 <= score <= 4:
            raise RuleViolation("a national assessment level is 0 to 4", field="score")
        return LEVELS[score]
    raise RuleViolation(f"unknown scale {scale!r}; use one of {', '.join(SCALES)}", field="scale")


def assess(
    scale: str,
    score: int,
    chronic_illnesses: list[str],
    assessor: str,
    assessed_on: date,
    today: date,
    valid_until: date | None = None,
) -> Assessment:
    if assessed_on > today:
        raise RuleViolation("assessed_on is in the future", field="assessed_on")
    until = valid_until or assessed_on + DEFAULT_VALIDITY
    if until < assessed_on:
        raise RuleViolation("valid_until is before assessed_on", field="valid_until")
    illnesses = tuple(sorted({i.strip() for i in chronic_illnesses if i.strip()}))
    level = self_care_level(scale, score)
    return Assessment(scale, score, level, illnesses, assessor, assessed_on, until)
