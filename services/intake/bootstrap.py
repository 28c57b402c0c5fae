"""Wiring of the intake service: settings, clock, stores, and the worker's duties."""

from pathlib import Path

from services.intake.adapters import (
    card_sequences,
    elder_store,
    household_keys,
    inbound_store,
    sign_in_failures,
    tally_store,
    user_store,
)
from services.intake.adapters.card_sequences import CardSequences
from services.intake.adapters.elder_store import ElderStore
from services.intake.adapters.household_keys import HouseholdKeys
from services.intake.adapters.inbound_store import AcceptedEvents
from services.intake.adapters.sign_in_failures import SignInFailures
from services.intake.adapters.user_store import UserStore
from services.intake.domain.district import District
from services.intake.domain.grid import GridCell
from services.intake.domain.household import Household
from services.intake.domain.inbound_receipt import InboundReceipt
from services.intake.domain.reorganisation import Reorganisation
from services.intake.domain.user import User
from services.intake.domain.volunteer import Volunteer
from services.intake.service_layer.changes import review_key_targets
from services.intake.service_layer.container import Intake
from services.intake.service_layer.district import load_district_file
from services.intake.service_layer.handlers import handlers
from services.intake.service_layer.households import enrol_as_recorded, house_everyone
from services.intake.service_layer.reorganisations import carry_out
from shared import service_contacts
from shared.clock import Clock, SystemClock
from shared.config import Settings
from shared.configuration import Configuration
from shared.mongo import connect, prepare_store
from shared.outbox import Settling
from shared.service_contacts import ServiceContacts
from shared.store_specs import KIT_STORES, StoreSpec, create_indexes, outbox_collections
from shared.worker import Worker

SERVICE = "intake"
# A daily duty, run hourly so that it follows soon after midnight; running it again is harmless.
KEY_TARGET_REVIEW_EVERY_SECONDS = 3600.0
# Elders not yet in a household (a registration cut short by a crash, a register older than
# households) are placed in one; hourly, and running it again is harmless.
HOUSEHOLDS_EVERY_SECONDS = 3600.0
# A reorganisation being applied is carried on within seconds, after a restart too.
REORGANISATIONS_EVERY_SECONDS = 3.0


# Every collection of the service: its indexes, whether its writes carry events for the outbox
# relay, whether its records keep a history for /audit (the register's records are elders,
# named by their `_id`).
ELDERS = StoreSpec(
    elder_store.COLLECTION,
    unique=[("national_id",)],
    indexes=[("community", "name"), ("name", "birth_date"), ("birth_date",)],
    outbox=True,
    audited=True,
    elder_field="_id",
)
ELDER_KEYS = StoreSpec(elder_store.KEYS)
TALLIES = StoreSpec(tally_store.COLLECTION, indexes=[("community",)])
TALLY_REVISIONS = StoreSpec(tally_store.REVS)
TALLY_STATE = StoreSpec(tally_store.STATE)
# the district's communities and card categories: one document whose history /audit reads
DISTRICT = StoreSpec("district", audited=True)
COUNTERS = StoreSpec(card_sequences.COLLECTION)
SIGN_IN_FAILURES = StoreSpec(sign_in_failures.COLLECTION)
VOLUNTEERS = StoreSpec(
    "volunteers", indexes=[("community",)], outbox=True, model=Volunteer, what="volunteer"
)
INBOUND = StoreSpec(
    inbound_store.COLLECTION,
    indexes=[("status",), ("elder_id",), ("community",)],
    outbox=True,
    audited=True,
    model=InboundReceipt,
    what="inbound event",
)
INBOUND_HTTP = StoreSpec(inbound_store.HTTP_COLLECTION, outbox=True)
USERS = StoreSpec(user_store.COLLECTION, outbox=True, audited=True, model=User, what="user")
HOUSEHOLDS = StoreSpec(
    "households",
    indexes=[
        ("members",),
        ("community", "address_key"),
        ("community", "household_type"),
        ("cell_id",),
    ],
    outbox=True,
    audited=True,
    elder_field="members",
    model=Household,
    what="household",
)
HOUSEHOLD_KEYS = StoreSpec(household_keys.COLLECTION)
GRID = StoreSpec(
    "grid_cells",
    indexes=[("community", "kind"), ("group_id",)],
    outbox=True,
    audited=True,
    model=GridCell,
    what="grid cell",
)
REORGANISATIONS = StoreSpec(
    "reorganisations",
    indexes=[("status",)],
    outbox=True,
    audited=True,
    model=Reorganisation,
    what="reorganisation",
)
# the district's service hotline and guide, printed on every form (shared.service_contacts)
SERVICE_CONTACTS = StoreSpec(
    service_contacts.COLLECTION,
    outbox=True,
    audited=True,
    model=ServiceContacts,
    what="service contacts",
)
STORES = [
    ELDERS,
    ELDER_KEYS,
    TALLIES,
    TALLY_REVISIONS,
    TALLY_STATE,
    DISTRICT,
    COUNTERS,
    SIGN_IN_FAILURES,
    VOLUNTEERS,
    INBOUND,
    INBOUND_HTTP,
    USERS,
    HOUSEHOLDS,
    HOUSEHOLD_KEYS,
    GRID,
    REORGANISATIONS,
    SERVICE_CONTACTS,
    *KIT_STORES,
]


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> Intake:
    settings = settings or Settings.from_env(SERVICE)
    db = connect(settings)
    clock = clock or SystemClock()
    intake = Intake(
        settings,
        clock,
        db,
        ElderStore(db, clock),
        VOLUNTEERS.records(db, clock, Volunteer.masked),
        Configuration(db, clock, "district", District, "district configuration", DISTRICT.name),
        CardSequences(db),
        INBOUND.records(db, clock, InboundReceipt.masked),
        AcceptedEvents(db),
        UserStore(USERS.records(db, clock, User.shown), clock),
        SignInFailures(db, clock),
        HOUSEHOLDS.records(db, clock),
        HouseholdKeys(db),
        GRID.records(db, clock),
        REORGANISATIONS.records(db, clock),
        SERVICE_CONTACTS.records(db, clock),
    )
    prepare_store(lambda: _prepare(intake), wait=False)
    return intake


def _prepare(intake: Intake) -> None:
    create_indexes(intake.db, STORES)
    for older in (USERS, INBOUND):  # made before they had a version: 1, to compare it
        intake.db[older.name].update_many({"version": {"$exists": False}}, {"$set": {"version": 1}})
    if intake.settings.district_file and not intake.district.get().communities:
        load_district_file(intake, Path(intake.settings.district_file))
    if not intake.elders.tallies.built():  # a register older than its tallies
        intake.elders.rebuild_tallies()
    enrol_as_recorded(intake)  # households older than home care being the household's


def worker(intake: Intake) -> Worker:
    """Intake's worker receives other systems' events and relays every outbox of intake."""

    return Worker(
        intake.settings,
        intake.db,
        prepare=lambda: _prepare(intake),
        outbox_collections=outbox_collections(STORES),
        handlers=handlers(intake),
        settling=Settling(elder_store.COLLECTION, elder_store.TALLIED, intake.elders.tally),
        periodic=[
            ("key-targets", KEY_TARGET_REVIEW_EVERY_SECONDS, lambda: review_key_targets(intake)),
            ("households", HOUSEHOLDS_EVERY_SECONDS, lambda: house_everyone(intake)),
            ("reorganisations", REORGANISATIONS_EVERY_SECONDS, lambda: carry_out(intake)),
        ],
    )
