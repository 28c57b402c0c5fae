"""The community's activity places (活动阵地): "every community has an activity room of 40 m² or
more", indoor gyms and outdoor fitness areas, reading rooms with their periodicals, and school
classrooms lent for courses. A venue is closed, never deleted: its history stays."""

from dataclasses import dataclass, replace
from datetime import date

from shared.changes import Change
from shared.errors import RuleViolation, check_one_of
from shared.vocabulary import VENUE_KINDS

OPEN, CLOSED = "open", "closed"


@dataclass(frozen=True)
class VenueTerms:
    """What the head gives a venue."""

    name: str
    area_m2: float | None = None
    capacity: int | None = None
    periodicals: int = 0  # the periodicals a reading room takes (报刊杂志)
    equipment: tuple[str, ...] = ()  # fitness equipment (健身器材)


@dataclass(frozen=True)
class Venue:
    venue_id: str
    community: str
    kind: str  # VENUE_KINDS
    name: str
    opened_on: date
    area_m2: float | None = None
    capacity: int | None = None
    periodicals: int = 0
    equipment: tuple[str, ...] = ()
    status: str = OPEN
    closed_on: date | None = None
    version: int = 1

    def open_on(self, day: date) -> bool:
        return self.opened_on <= day and (self.closed_on is None or day <= self.closed_on)


def open_venue(
    venue_id: str, community: str, kind: str, terms: VenueTerms, opened_on: date, today: date
) -> Change[Venue]:
    check_one_of(kind, VENUE_KINDS, "kind", what="a venue")
    if opened_on > today:
        raise RuleViolation("opened_on is in the future", field="opened_on")
    venue = _with_terms(Venue(venue_id, community, kind, "", opened_on), terms)
    return Change(venue, summary=f"opened {venue.name}")


def change_venue(venue: Venue, terms: VenueTerms) -> Change[Venue]:
    _require_open(venue)
    after = replace(_with_terms(venue, terms), version=venue.version + 1)
    return Change(after, summary="changed")


def close_venue(venue: Venue, on: date) -> Change[Venue]:
    _require_open(venue)
    if on < venue.opened_on:
        raise RuleViolation("a venue closes on or after the day it opened", field="on")
    after = replace(venue, status=CLOSED, closed_on=on, version=venue.version + 1)
    return Change(after, summary=f"closed on {on.isoformat()}")


def check_in_community(venue: Venue, community: str, on: date) -> None:
    """That an occasion or a course of `community` may be held at the venue on `on`."""
    if venue.community != community:
        raise RuleViolation(
            f"{venue.name} is a venue of {venue.community}, not of {community}",
            field="venue_id",
        )
    if not venue.open_on(on):
        raise RuleViolation(f"{venue.name} is not open on {on.isoformat()}", field="venue_id")


def _with_terms(venue: Venue, terms: VenueTerms) -> Venue:
    name = terms.name.strip()
    if not name:
        raise RuleViolation("name the venue", field="name")
    if terms.area_m2 is not None and not 0 < terms.area_m2 <= 100_000:
        raise RuleViolation("area_m2 is the floor area in square metres, above 0", field="area_m2")
    if terms.capacity is not None and terms.capacity < 1:
        raise RuleViolation("capacity is the people it holds, at least 1", field="capacity")
    if terms.periodicals < 0:
        raise RuleViolation("periodicals is a count, 0 or more", field="periodicals")
    equipment = tuple(sorted({e.strip() for e in terms.equipment if e.strip()}))
    return replace(
        venue,
        name=name,
        area_m2=terms.area_m2,
        capacity=terms.capacity,
        periodicals=terms.periodicals,
        equipment=equipment,
    )


def _require_open(venue: Venue) -> None:
    if venue.status != OPEN:
        raise RuleViolation(f"{venue.name} was closed on {venue.closed_on}", field="venue_id")
