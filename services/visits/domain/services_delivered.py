"""Services delivered to elders (medical, home beds, housekeeping, ...), counted by type,
community and month: the service figures of the field reports, produced by the system."""

from dataclasses import dataclass
from datetime import date, datetime

from shared.errors import RuleViolation
from shared.months import month_of
from shared.vocabulary import SERVICE_TYPES


def check_service_type(name: str) -> str:
    if name not in SERVICE_TYPES:
        raise RuleViolation(
            f"unknown service type {name!r}; use one of {', '.join(SERVICE_TYPES)}",
            field="service_type",
        )
    return name


@dataclass(frozen=True)
class ServiceDelivery:
    delivery_id: str
    elder_id: str
    community: str
    service_type: str
    delivered_on: date
    month: str  # YYYY-MM of delivered_on, kept so that the store can group by it
    instances: int
    provider: str
    recorded_by: str
    recorded_at: datetime
    note: str | None = None
    visit_id: str | None = None
    help_request_id: str | None = None


def deliver(
    delivery_id: str,
    elder_id: str,
    community: str,
    service_type: str,
    delivered_on: date,
    provider: str,
    recorded_by: str,
    now: datetime,
    today: date,
    instances: int = 1,
    note: str | None = None,
    visit_id: str | None = None,
    help_request_id: str | None = None,
) -> ServiceDelivery:
    if delivered_on > today:
        raise RuleViolation(f"delivered_on {delivered_on} is in the future", field="delivered_on")
    if instances < 1:
        raise RuleViolation("a service is delivered at least once", field="instances")
    if not provider.strip():
        raise RuleViolation("say who delivered the service", field="provider")
    return ServiceDelivery(
        delivery_id,
        elder_id,
        community,
        check_service_type(service_type),
        delivered_on,
        month_of(delivered_on),
        instances,
        provider.strip(),
        recorded_by,
        now,
        note,
        visit_id,
        help_request_id,
    )


@dataclass(frozen=True)
class Count:
    community: str
    service_type: str
    month: str
    instances: int


@dataclass(frozen=True)
class Statistics:
    first_month: str
    last_month: str
    total: int
    by_type: dict[str, int]
    by_community: dict[str, int]
    rows: tuple[Count, ...]


def statistics(first_month: str, last_month: str, counts: list[Count]) -> Statistics:
    """Totals by type (every type listed, zero included) and by community, and the rows."""
    if last_month < first_month:
        raise RuleViolation("the period ends before it begins", field="to_month")
    by_type = dict.fromkeys(SERVICE_TYPES, 0)
    by_community: dict[str, int] = {}
    for count in counts:
        by_type[count.service_type] += count.instances
        by_community[count.community] = by_community.get(count.community, 0) + count.instances
    rows = tuple(sorted(counts, key=lambda c: (c.month, c.community, c.service_type)))
    return Statistics(
        first_month,
        last_month,
        sum(by_type.values()),
        by_type,
        dict(sorted(by_community.items())),
        rows,
    )
