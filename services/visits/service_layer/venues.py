"""Use cases of the community's venues (活动阵地): open, change and close one."""

from __future__ import annotations

from datetime import date

from services.visits.domain import venues as rules
from services.visits.domain.venues import Venue, VenueTerms
from services.visits.service_layer.container import Visits
from services.visits.service_layer.records import commit, create
from shared.clock import local_today
from shared.stores import at_version


def open_venue(
    visits: Visits,
    venue_id: str,
    community: str,
    kind: str,
    terms: VenueTerms,
    opened_on: date | None = None,
) -> Venue:
    today = local_today(visits.clock, visits.settings.zone)
    change = rules.open_venue(venue_id, community, kind, terms, opened_on or today, today)
    create(visits, visits.activities.venues, change)
    return change.after


def change_venue(visits: Visits, venue_id: str, version: int, terms: VenueTerms) -> Venue:
    venue = at_version(visits.activities.venues, venue_id, version)
    return commit(visits, visits.activities.venues, venue, rules.change_venue(venue, terms))


def close_venue(visits: Visits, venue_id: str, version: int, on: date | None) -> Venue:
    venue = at_version(visits.activities.venues, venue_id, version)
    today = local_today(visits.clock, visits.settings.zone)
    return commit(visits, visits.activities.venues, venue, rules.close_venue(venue, on or today))


def venue_of(visits: Visits, venue_id: str | None) -> Venue | None:
    return visits.activities.venues.require(venue_id) if venue_id else None
