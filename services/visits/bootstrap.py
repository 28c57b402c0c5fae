"""Wiring of the visits service: settings, clock, stores, and the worker's duties."""

from dataclasses import dataclass

from pymongo.database import Database

from services.visits.adapters.elder_projection import elder_projection
from services.visits.domain.elder import Elder
from services.visits.service_layer.projection import handlers
from shared.clock import Clock, SystemClock
from shared.config import Settings
from shared.mongo import connect
from shared.projection import Projection
from shared.worker import Worker

SERVICE = "visits"


@dataclass(frozen=True)
class Visits:
    settings: Settings
    clock: Clock
    db: Database
    elders: Projection[Elder]


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> Visits:
    settings = settings or Settings.from_env(SERVICE)
    db = connect(settings)
    return Visits(settings, clock or SystemClock(), db, elder_projection(db))


def worker(visits: Visits) -> Worker:
    """Visits' worker keeps its projection of elders current from intake's events."""
    return Worker(visits.settings, visits.db, handlers=handlers(visits.elders))
