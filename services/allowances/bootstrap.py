"""Wiring of the allowances service: settings, clock, stores, and the worker's duties."""

import os

from services.allowances.adapters import entitlement_store, payment_orders, roll_store
from services.allowances.adapters.entitlement_store import EntitlementStore
from services.allowances.adapters.payment_orders import PaymentOrderStore
from services.allowances.adapters.roll_store import RollStore
from services.allowances.domain.adjustments import Adjustment
from services.allowances.domain.cycle import AllowanceCycle
from services.allowances.domain.elder import Elder
from services.allowances.domain.household import Household
from services.allowances.domain.overpayments import Overpayment
from services.allowances.domain.payees import PayeeAccount
from services.allowances.domain.programmes import FestivalCampaign, Programmes
from services.allowances.domain.vouchers import Redemption
from services.allowances.service_layer.container import Allowances
from services.allowances.service_layer.handlers import handlers, inserted_ahead
from services.allowances.service_layer.reminders import remind
from shared import configuration, service_contacts, staff_access, staff_contacts
from shared.clock import Clock, SystemClock
from shared.config import Settings
from shared.configuration import Configuration
from shared.mongo import connect, prepare_store
from shared.reminder_channels import channels_from_env
from shared.reminders import Reminder
from shared.service_contacts import ServiceContacts
from shared.staff_access import TokenVersions
from shared.staff_contacts import StaffContact
from shared.stamps import (
    KEPT_AT_MOST_SECONDS,
    BatchedStamp,
    KeptUntilWritten,
    StampedProjection,
    StoredStamp,
    settle_all,
)
from shared.store_specs import KIT_STORES, StoreSpec, create_indexes, outbox_collections
from shared.worker import Worker

SERVICE = "allowances"
REMINDERS_EVERY_SECONDS = 60.0


# Every collection of the service: its indexes, whether its writes carry events for the outbox
# relay, whether its records keep a history for /audit (the roll's lines and entitlements do
# not: the cycle that freezes them does).
ELDERS = StoreSpec("elders", indexes=[("community",), ("birth_date",), ("status",)], model=Elder)
CONFIG = StoreSpec(configuration.COLLECTION, audited=True)
CAMPAIGNS = StoreSpec("campaigns", audited=True, model=FestivalCampaign, what="festival campaign")
CYCLES = StoreSpec(
    "cycles",
    indexes=[("programme", "month")],
    outbox=True,
    audited=True,
    model=AllowanceCycle,
    what="cycle",
)
ROLL_LINES = StoreSpec(
    roll_store.COLLECTION, indexes=[("cycle_id", "community"), ("elder_id", "programme")]
)
ROLL_STOPS = StoreSpec(roll_store.STOPS, indexes=[("cycle_id",)])
ENTITLEMENTS = StoreSpec(
    entitlement_store.COLLECTION, indexes=[("programme",), ("elder_id",)], outbox=True
)
OVERPAYMENTS = StoreSpec(
    "overpayments",
    indexes=[("elder_id",), ("programme", "status")],
    outbox=True,
    audited=True,
    model=Overpayment,
    what="overpayment",
)
ADJUSTMENTS = StoreSpec(
    "adjustments",
    indexes=[("elder_id",), ("programme", "status")],
    audited=True,
    model=Adjustment,
    what="adjustment",
)
REDEMPTIONS = StoreSpec(
    "redemptions",
    indexes=[("provider", "redeemed_on")],
    audited=True,
    model=Redemption,
    what="voucher redemption",
)
PAYEES = StoreSpec("payee_accounts", audited=True, model=PayeeAccount, what="payee account")
PAYMENT_ORDERS = StoreSpec(payment_orders.COLLECTION)
REMINDERS = StoreSpec("reminders", indexes=[("status", "next_at")], model=Reminder, what="reminder")
STAFF_CONTACTS = StoreSpec(staff_contacts.COLLECTION, model=StaffContact)
SERVICE_CONTACTS = StoreSpec(service_contacts.COLLECTION, model=ServiceContacts)
HOUSEHOLDS = StoreSpec("households", indexes=[("home_care", "status")], model=Household)
# what intake's events say of each staff account: the version its tokens must carry
STAFF_ACCESS = StoreSpec(staff_access.COLLECTION)
STORES = [
    ELDERS,
    CONFIG,
    CAMPAIGNS,
    CYCLES,
    ROLL_LINES,
    ROLL_STOPS,
    ENTITLEMENTS,
    OVERPAYMENTS,
    ADJUSTMENTS,
    REDEMPTIONS,
    PAYEES,
    PAYMENT_ORDERS,
    REMINDERS,
    STAFF_CONTACTS,
    SERVICE_CONTACTS,
    HOUSEHOLDS,
    STAFF_ACCESS,
    *KIT_STORES,
]


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> Allowances:
    settings = settings or Settings.from_env(SERVICE)
    db = connect(settings)
    clock = clock or SystemClock()

    # intake's events come by the thousand in an import: the elders' stamp moves once per
    # batch the worker applies (see Worker.move_stamps), not once per event
    elders_written = BatchedStamp(StoredStamp(db, "elders"))

    allowances = Allowances(
        settings,
        clock,
        db,
        elders=StampedProjection(ELDERS.projection(db), elders_written),
        programmes=Configuration(db, clock, "programmes", Programmes, "programme configuration"),
        campaigns=CAMPAIGNS.records(db, clock),
        cycles=CYCLES.records(db, clock),
        lines=RollStore(db),
        entitlements=EntitlementStore(db),
        overpayments=OVERPAYMENTS.records(db, clock),
        adjustments=ADJUSTMENTS.records(db, clock),
        redemptions=REDEMPTIONS.records(db, clock),
        payees=PAYEES.records(db, clock, PayeeAccount.masked),
        payment_orders=PaymentOrderStore(db),
        reminders=REMINDERS.records(db, clock),
        staff_contacts=STAFF_CONTACTS.projection(db),
        token_versions=TokenVersions.stored_in(db),
        service_contacts=SERVICE_CONTACTS.projection(db),
        households=HOUSEHOLDS.projection(db),
        rosters_kept=KeptUntilWritten(elders_written, size=12, max_age=KEPT_AT_MOST_SECONDS),
        batched_stamps=(elders_written,),
        channels=channels_from_env(os.environ),
    )
    prepare_store(lambda: create_indexes(db, STORES), wait=False)
    return allowances


def worker(allowances: Allowances) -> Worker:
    """Allowances' worker keeps its projections of elders and households current from intake's
    events, stops payment on a death or a move out, and relays the events of cycles,
    entitlements and overpayments."""
    return Worker(
        allowances.settings,
        allowances.db,
        prepare=lambda: create_indexes(allowances.db, STORES),
        outbox_collections=outbox_collections(STORES),
        handlers=handlers(allowances),
        prepare_batch=inserted_ahead(allowances),
        move_stamps=lambda: settle_all(allowances.batched_stamps),
        periodic=[("reminders", REMINDERS_EVERY_SECONDS, lambda: remind(allowances))],
    )
