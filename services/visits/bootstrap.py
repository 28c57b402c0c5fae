"""Wiring of the visits service: settings, clock, stores, and the worker's duties."""

from services.visits.domain.campaigns import FestivalCampaign
from services.visits.domain.config import VisitsConfig
from services.visits.domain.elder import Contact, Elder
from services.visits.domain.help_requests import HelpRequest, WaitingCall
from services.visits.domain.obligations import Obligation
from services.visits.domain.pairings import Pairing
from services.visits.domain.services_delivered import ServiceDelivery
from services.visits.domain.triggers import WaitingIncident
from services.visits.domain.visit_records import VisitRecord
from services.visits.service_layer.container import Visits
from services.visits.service_layer.handlers import handlers
from services.visits.service_layer.schedule import detect_overdue, generate_month
from shared.clock import Clock, SystemClock
from shared.config import Settings
from shared.configuration import Configuration
from shared.mongo import connect, prepare_store
from shared.projection import Projection
from shared.records import Records
from shared.worker import Worker

SERVICE = "visits"
OVERDUE_EVERY_SECONDS = 60.0
MONTHLY_EVERY_SECONDS = 3600.0


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> Visits:
    settings = settings or Settings.from_env(SERVICE)
    db = connect(settings)
    clock = clock or SystemClock()
    visits = Visits(
        settings,
        clock,
        db,
        Projection(db, "elders", Elder),
        Projection(db, "contacts", Contact),
        Configuration(db, clock, "visits", VisitsConfig, "configuration"),
        Records(db, "obligations", Obligation, "obligation", clock),
        Records(db, "incidents", WaitingIncident, "waiting incident", clock),
        Records(db, "visits", VisitRecord, "visit", clock),
        Records(db, "services", ServiceDelivery, "service delivery", clock),
        Records(db, "pairings", Pairing, "pairing", clock),
        Records(db, "help_requests", HelpRequest, "help request", clock),
        Records(db, "waiting_calls", WaitingCall, "waiting call", clock),
        Records(db, "campaigns", FestivalCampaign, "campaign", clock),
    )
    prepare_store(lambda: _prepare(visits), wait=False)
    return visits


def _prepare(visits: Visits) -> None:
    visits.elders.create_indexes("community")
    visits.obligations.create_indexes(
        ("status", "due_at"),
        ("elder_id", "status"),
        ("community", "status", "due_at"),
        ("assignee", "status", "due_at"),
        ("source",),
    )
    visits.incidents.create_indexes(("elder_id", "status"))
    visits.visits.create_indexes(("elder_id", "visited_at"), ("community", "visited_at"))
    visits.services.create_indexes(("month", "community"), ("elder_id",))
    visits.pairings.create_indexes(("elder_id", "status"), ("partner_id",), ("status",))
    visits.help_requests.create_indexes(("community", "status"), ("elder_id",))
    visits.waiting_calls.create_indexes(("elder_id", "status"))


def worker(visits: Visits) -> Worker:
    """Visits' worker: follows intake's elders and incidents, relays its own events, and runs
    the scheduled duties (overdue detection, monthly routine visits)."""
    return Worker(
        visits.settings,
        visits.db,
        prepare=lambda: _prepare(visits),
        outbox_collections=[store.name for store in visits.with_events()],
        handlers=handlers(visits),
        periodic=[
            ("overdue", OVERDUE_EVERY_SECONDS, lambda: detect_overdue(visits)),
            ("monthly", MONTHLY_EVERY_SECONDS, lambda: generate_month(visits)),
        ],
    )
