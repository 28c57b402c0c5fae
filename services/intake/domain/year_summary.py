"""Intake's figures for the year's work summary (年度工作总结): the register as it stood at the
year's end, or today for this year (the survey by age band, the households by type in 户 and 人,
the elder cards and priority service cards held), the cards issued in the year, and the
volunteers."""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class IntakeYear:
    year: int
    community: str | None  # None: the district's
    as_of: date
    elders: int  # in the register, alive and in the district
    age_bands: dict[str, int]
    household_types: dict[str, int]  # elders of the register, by their household's type
    households: dict[str, dict[str, int]]  # by type: households (户), elders and persons (人)
    key_targets: int
    cards_held: dict[str, int]  # by category
    cards_issued: dict[str, int]  # in the year, by category (reissues and upgrades too)
    priority_cards_held: int  # 老年人优先服务卡, by elders in the register
    priority_cards_issued: int  # in the year (reissues too)
    volunteers: int  # registered by the day the figures are as of
    volunteers_new: int  # registered in the year


def intake_year(
    year: int,
    community: str | None,
    figures: Mapping[str, Any],
    cards_issued: Iterable[str],
    priority_cards_held: int,
    priority_cards_issued: int,
    volunteers_registered: Iterable[date],
    as_of: date,
) -> IntakeYear:
    """`figures`: the district's statistics; `cards_issued`: the category of each card issued
    in the year; `volunteers_registered`: the day each volunteer was registered."""
    days = list(volunteers_registered)
    return IntakeYear(
        year,
        community,
        as_of,
        figures["elders"],
        dict(figures["age_bands"]),
        dict(figures["household_types"]),
        {kind: dict(counts) for kind, counts in figures["households"].items()},
        figures["key_targets"],
        dict(figures["cards_issued"]),
        dict(sorted(Counter(cards_issued).items())),
        priority_cards_held,
        priority_cards_issued,
        sum(1 for day in days if day <= as_of),
        sum(1 for day in days if day.year == year),
    )
