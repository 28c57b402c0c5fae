"""The monthly roster of elders aged 90 and over (上报90岁高龄老人): everyone 90+ in the month,
those who turned 90 in it, and those who died (or left the district) in it."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from services.allowances.domain.elder import Elder
from services.allowances.domain.high_age import reaches_age
from shared import ages
from shared.ages import age_on
from shared.months import first_day, last_day

ROSTER_AGE = 90
LISTS = ("aged_90_plus", "turned_90", "died", "moved_out")


@dataclass(frozen=True)
class RosterEntry:
    elder_id: str
    name: str
    community: str
    birth_date: date
    age: int  # at the month's end, or on the day of death or leaving
    turned_90_on: date | None  # set if in this month
    died_on: date | None  # set if in this month
    moved_out_on: date | None  # set if in this month


@dataclass(frozen=True)
class NinetyPlusRoster:
    month: str
    aged_90_plus: tuple[RosterEntry, ...]
    turned_90: tuple[RosterEntry, ...]
    died: tuple[RosterEntry, ...]
    moved_out: tuple[RosterEntry, ...]

    def lists(self) -> dict[str, tuple[RosterEntry, ...]]:
        return {name: getattr(self, name) for name in LISTS}

    def by_community(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for name, entries in self.lists().items():
            for entry in entries:
                counts.setdefault(entry.community, dict.fromkeys(LISTS, 0))[name] += 1
        return dict(sorted(counts.items()))

    def only(self, community: str) -> "NinetyPlusRoster":
        kept = {
            name: tuple(e for e in entries if e.community == community)
            for name, entries in self.lists().items()
        }
        return NinetyPlusRoster(self.month, **kept)


def born_by(month: str) -> date:
    """Anyone 90 or over in `month` was born on or before this day."""
    return ages.born_by(month, ROSTER_AGE)


def entry_for(elder: Elder, month: str) -> RosterEntry | None:
    """The elder's roster entry for `month`, or None if not 90+ in the district in it."""
    first, last = first_day(month), last_day(month)
    if elder.status == "merged":
        return None
    gone = [d for d in (elder.died_on, elder.moved_out_on) if d is not None]
    if any(d < first for d in gone):
        return None
    until = min([last, *gone])
    age = age_on(elder.birth_date, until)
    if age < ROSTER_AGE:
        return None
    turned = reaches_age(elder.birth_date, ROSTER_AGE)

    def within(day: date | None) -> date | None:
        return day if day is not None and first <= day <= last else None

    return RosterEntry(
        elder.elder_id,
        elder.name,
        elder.community,
        elder.birth_date,
        age,
        within(turned) if turned <= until else None,
        within(elder.died_on),
        within(elder.moved_out_on),
    )


def ninety_plus_roster(elders: Iterable[Elder], month: str) -> NinetyPlusRoster:
    entries = sorted(
        (e for e in (entry_for(elder, month) for elder in elders) if e is not None),
        key=lambda e: (e.community, e.elder_id),
    )
    return NinetyPlusRoster(
        month,
        tuple(entries),
        tuple(e for e in entries if e.turned_90_on),
        tuple(e for e in entries if e.died_on),
        tuple(e for e in entries if e.moved_out_on),
    )
