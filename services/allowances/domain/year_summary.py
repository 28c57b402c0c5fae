"""Allowances' figures for the year's work summary (年度工作总结): the high-age allowance
(高龄津贴) granted in the year, from the year's frozen rolls, and the elders aged 90 and over
the district reports (九十岁以上老人), with how many of them died in the year."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from services.allowances.domain.elder import ACTIVE, Elder
from services.allowances.domain.roll import RollLine
from shared.ages import age_on


@dataclass(frozen=True)
class AllowancesYear:
    year: int
    community: str | None  # None: the district's
    as_of: date  # the year's last day, or today for the current year
    months_rolled: int  # months of the year whose high-age roll is frozen
    high_age_paid: int  # elders the year's rolls paid
    high_age_new: int | None  # of them, not paid by the last roll before the year (None: none)
    high_age_fen: int  # what the year's rolls paid
    ninety_plus: int  # aged 90 or over on `as_of`, alive and in the district
    ninety_plus_died: int  # died in the year, aged 90 or over


def allowances_year(
    year: int,
    community: str | None,
    rolls: Mapping[str, Iterable[RollLine]],
    before: Iterable[RollLine] | None,
    elders: Iterable[Elder],
    as_of: date,
) -> AllowancesYear:
    """`rolls`: the year's high-age rolls by month; `before`: the roll of the last month before
    the year, if any; `elders`: those who may be 90 or over by `as_of`."""
    paid: set[str] = set()
    fen = 0
    for lines in rolls.values():
        for line in lines:
            if line.eligible:
                paid.add(line.elder_id)
            fen += max(line.amount_fen, 0)
    earlier = None if before is None else {ln.elder_id for ln in before if ln.eligible}
    alive = died = 0
    for elder in elders:
        if in_the_register_on(elder, as_of) and age_on(elder.birth_date, as_of) >= 90:
            alive += 1
        elif (
            elder.died_on is not None
            and elder.died_on.year == year
            and age_on(elder.birth_date, elder.died_on) >= 90
        ):
            died += 1
    return AllowancesYear(
        year,
        community,
        as_of,
        len(list(rolls)),
        len(paid),
        None if earlier is None else len(paid - earlier),
        fen,
        alive,
        died,
    )


def in_the_register_on(elder: Elder, day: date) -> bool:
    """Whether the elder was alive and in the district at the end of `day`: active now, or
    died or moved out only after it (a past year's figures are the year's, not today's)."""
    if elder.status == ACTIVE:
        return True
    left = elder.died_on or elder.moved_out_on
    return left is not None and left > day
