"""Use cases: record services delivered to elders, and count them for the field reports."""

from __future__ import annotations

from datetime import date

from services.visits.domain.elder import Elder
from services.visits.domain.services_delivered import (
    ServiceDelivery,
    Statistics,
    deliver,
    statistics,
)
from services.visits.domain.visit_records import ServiceGiven
from services.visits.service_layer.container import Visits
from services.visits.service_layer.records import create
from shared.changes import Change
from shared.clock import local_today
from shared.months import month_of


def record_services(
    visits: Visits,
    cause: str,
    elder: Elder,
    given: tuple[ServiceGiven, ...] | list[ServiceGiven],
    delivered_on: date,
    provider: str,
    by: str,
    visit_id: str | None = None,
    help_request_id: str | None = None,
) -> list[ServiceDelivery]:
    """Services delivered for one cause (a visit, a help request, a provider's report).

    Each gets the id `cause`:1, `cause`:2, ..., so recording the same cause again adds nothing.
    """
    now, today = visits.clock.now(), local_today(visits.clock, visits.settings.zone)
    deliveries = [
        deliver(
            f"{cause}:{number}",
            elder.elder_id,
            elder.community,
            service.service_type,
            delivered_on,
            provider,
            by,
            now,
            today,
            instances=service.instances,
            note=service.note,
            visit_id=visit_id,
            help_request_id=help_request_id,
        )
        for number, service in enumerate(given, start=1)
    ]
    for delivery in deliveries:
        create(visits, visits.services, Change(delivery, (("service.delivered", {}),)))
    return deliveries


def service_statistics(
    visits: Visits, first_month: str | None, last_month: str | None, community: str | None
) -> Statistics:
    """Instances by type, community and month; the current month if no period is given."""
    current = month_of(local_today(visits.clock, visits.settings.zone))
    first = first_month or last_month or current
    last = last_month or first_month or current
    counts = visits.reports.service_counts(first, last, community)
    return statistics(first, last, counts)
