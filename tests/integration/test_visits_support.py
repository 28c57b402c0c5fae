"""Fixtures and helpers shared by the visits integration tests (this module has no tests).

The service is built as in production (`bootstrap`, `create_app`) on the real store, with a
fixed clock and test tokens; events reach it through the worker's own handlers.
"""

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from factories import registered_data
from staff import staff_headers
from visits_handling import consumed

from services.visits.bootstrap import bootstrap
from services.visits.entrypoints.app import create_app
from services.visits.service_layer.container import Visits
from shared.clock import FixedClock
from shared.events import Event, new_event
from shared.outbox import OUTBOX

NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)  # 16:30 in Shanghai
TOKENS = ",".join(
    [
        "t-visitor:wang:visitor",
        "t-visitor2:zhao:visitor",
        "t-head:li:community_head",
        "t-admin:admin:district_admin",
        "t-operator:op:operator",
        "t-clerk:clerk:intake_clerk",
        "t-dongfeng:zhao:visitor@dongfeng",
        "t-dongfeng-head:sun:community_head@dongfeng",
    ]
)
STAFF = staff_headers(TOKENS)


def auth(token: str) -> dict[str, str]:
    return STAFF[token]


VISITOR, HEAD, ADMIN, OPERATOR, CLERK, DONGFENG_VISITOR = (
    auth(t) for t in ("t-visitor", "t-head", "t-admin", "t-operator", "t-clerk", "t-dongfeng")
)
DONGFENG_HEAD = auth("t-dongfeng-head")


@pytest.fixture
def visits(settings):
    service = bootstrap(settings, FixedClock(NOW))
    yield service
    service.db.client.drop_database(service.db.name)


@pytest.fixture
def client(visits):
    return create_app(visits).test_client()


def elder_event(
    visits: Visits, type_: str, elder_id: str, version: int = 1, **fields: Any
) -> Event:
    settings = visits.settings
    data = registered_data(elder_id, version, **fields)
    return new_event(
        type_, elder_id, data, source="urn:test:intake", district=settings.district, at=NOW
    )


def incident_event(
    visits: Visits, incident_id: str, elder_id: str, trigger: str, occurred_at: datetime
) -> Event:
    data = {
        "incident_id": incident_id,
        "elder_id": elder_id,
        "trigger": trigger,
        "occurred_at": occurred_at,
        "reported_by": "city-hospital",
        "reference": f"ref-{incident_id}",
    }
    return new_event(
        "incident.reported",
        elder_id,
        data,
        source="urn:test:intake",
        district=visits.settings.district,
        at=NOW,
    )


def cycle_approved(
    visits: Visits, month: str, late: bool, programme: str = "high_age", due_day: int | None = 25
) -> Event:
    """Allowances' announcement that a month's cycle was approved, handed in `late` or not,
    due on `due_day` (None: an announcement from before it said the day)."""
    data = {
        "cycle_id": f"{programme}:{month}",
        "programme": programme,
        "month": month,
        "payees": 3,
        "payable_fen": 30000,
        "to_recover_fen": 0,
        "net_fen": 30000,
        "prepared_by": "qian",
        "approved_by": "zhou",
        "late": late,
        "due_on": None if due_day is None else date.fromisoformat(f"{month}-{due_day:02d}"),
    }
    district = visits.settings.district
    return new_event(
        "allowance.cycle_approved", data["cycle_id"], data, source="urn:test:allowances",
        district=district, at=NOW,
    )  # fmt: skip


def handle(visits: Visits, event: Event) -> bool:
    """Give an event to the worker's handler for its type, as the consumer loop does."""
    return consumed(visits, event)


def register(visits: Visits, elder_id: str, **fields: Any) -> None:
    handle(visits, elder_event(visits, "elder.registered", elder_id, **fields))


def configure(client, community: str = "xinhua", worker: str = "wang", head: str = "li") -> None:
    """The district names a community's responsible worker and head."""
    body = {"worker": worker, "head": head}
    response = client.put(f"/config/communities/{community}", json=body, headers=ADMIN)
    assert response.status_code == 200, response.json


def report(
    client,
    elder_id: str = "e-1",
    trigger: str = "hospitalised",
    occurred_at: datetime = NOW - timedelta(hours=1),
    **extra: Any,
):
    """A visitor reports a must-visit incident over the API."""
    body = {"elder_id": elder_id, "trigger": trigger, "occurred_at": occurred_at.isoformat()}
    return client.post("/obligations", json=body | extra, headers=VISITOR)


def pending_events(visits: Visits, collection: str, record_id: str) -> list[str]:
    """The types of the events a record holds for the outbox relay, oldest first."""
    document = visits.db[collection].find_one({"_id": record_id})
    return [json.loads(entry["value"])["type"] for entry in document[OUTBOX]]
