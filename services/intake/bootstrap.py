"""Wiring of the intake service: settings, clock, store, and the worker's duties."""

from dataclasses import dataclass

from pymongo.database import Database

from services.intake.adapters.elder_store import COLLECTION, ElderStore
from shared.clock import Clock, SystemClock
from shared.config import Settings
from shared.mongo import connect
from shared.worker import Worker

SERVICE = "intake"


@dataclass(frozen=True)
class Intake:
    settings: Settings
    clock: Clock
    db: Database
    elders: ElderStore


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> Intake:
    settings = settings or Settings.from_env(SERVICE)
    db = connect(settings)
    elders = ElderStore(db)
    elders.create_indexes()
    return Intake(settings, clock or SystemClock(), db, elders)


def worker(intake: Intake) -> Worker:
    """Intake consumes nothing yet; its worker relays the outbox of the register."""
    return Worker(intake.settings, intake.db, outbox_collections=[COLLECTION])
