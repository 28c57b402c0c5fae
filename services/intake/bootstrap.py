"""Wiring of the intake service: settings, clock, stores, and the worker's duties."""

from dataclasses import dataclass
from pathlib import Path

from pymongo.database import Database

from services.intake.adapters import elder_store, volunteer_store
from services.intake.adapters.district_store import DistrictStore
from services.intake.adapters.elder_store import ElderStore
from services.intake.adapters.volunteer_store import VolunteerStore
from services.intake.service_layer.district import load_district_file
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
    volunteers: VolunteerStore
    district: DistrictStore


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> Intake:
    settings = settings or Settings.from_env(SERVICE)
    db = connect(settings)
    intake = Intake(
        settings, clock or SystemClock(), db, ElderStore(db), VolunteerStore(db), DistrictStore(db)
    )
    intake.elders.create_indexes()
    intake.volunteers.create_indexes()
    if settings.district_file and not intake.district.get().communities:
        load_district_file(intake, Path(settings.district_file))
    return intake


def worker(intake: Intake) -> Worker:
    """Intake's worker relays the outbox of the register and of the volunteers."""
    return Worker(
        intake.settings,
        intake.db,
        outbox_collections=[elder_store.COLLECTION, volunteer_store.COLLECTION],
    )
