"""Wiring of the allowances service: settings, clock, stores, and the worker's duties."""

from dataclasses import dataclass

from pymongo.database import Database

from services.allowances.adapters.elder_projection import elder_projection
from services.allowances.domain.elder import Elder
from services.allowances.service_layer.projection import handlers
from shared.clock import Clock, SystemClock
from shared.config import Settings
from shared.mongo import connect
from shared.projection import Projection
from shared.worker import Worker

SERVICE = "allowances"


@dataclass(frozen=True)
class Allowances:
    settings: Settings
    clock: Clock
    db: Database
    elders: Projection[Elder]


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> Allowances:
    settings = settings or Settings.from_env(SERVICE)
    db = connect(settings)
    return Allowances(settings, clock or SystemClock(), db, elder_projection(db))


def worker(allowances: Allowances) -> Worker:
    """Allowances' worker keeps its projection of elders current from intake's events."""
    return Worker(allowances.settings, allowances.db, handlers=handlers(allowances.elders))
