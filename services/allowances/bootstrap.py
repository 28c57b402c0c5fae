"""Wiring of the allowances service: settings, clock, stores, and the worker's duties."""

from services.allowances.adapters import entitlement_store
from services.allowances.adapters.entitlement_store import EntitlementStore
from services.allowances.adapters.payment_orders import PaymentOrderStore
from services.allowances.adapters.roll_store import RollStore
from services.allowances.domain.adjustments import Adjustment
from services.allowances.domain.cycle import AllowanceCycle
from services.allowances.domain.elder import Elder
from services.allowances.domain.overpayments import Overpayment
from services.allowances.domain.payees import PayeeAccount
from services.allowances.domain.programmes import FestivalCampaign, Programmes
from services.allowances.domain.vouchers import Redemption
from services.allowances.service_layer.container import Allowances
from services.allowances.service_layer.handlers import handlers
from shared.clock import Clock, SystemClock
from shared.config import Settings
from shared.configuration import Configuration
from shared.mongo import connect, prepare_store
from shared.projection import Projection
from shared.records import Records
from shared.worker import Worker

SERVICE = "allowances"


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> Allowances:
    settings = settings or Settings.from_env(SERVICE)
    db = connect(settings)
    clock = clock or SystemClock()
    allowances = Allowances(
        settings,
        clock,
        db,
        Projection(db, "elders", Elder),
        Configuration(db, clock, "programmes", Programmes, "programme configuration"),
        Records(db, "campaigns", FestivalCampaign, "festival campaign", clock),
        Records(db, "cycles", AllowanceCycle, "cycle", clock),
        RollStore(db),
        EntitlementStore(db),
        Records(db, "overpayments", Overpayment, "overpayment", clock),
        Records(db, "adjustments", Adjustment, "adjustment", clock),
        Records(db, "redemptions", Redemption, "voucher redemption", clock),
        Records(db, "payee_accounts", PayeeAccount, "payee account", clock, PayeeAccount.masked),
        PaymentOrderStore(db),
    )
    prepare_store(lambda: _prepare(allowances), wait=False)
    return allowances


def _prepare(allowances: Allowances) -> None:
    allowances.elders.create_indexes("community", "birth_date", "status")
    allowances.cycles.create_indexes(("programme", "month"))
    allowances.lines.create_indexes()
    allowances.entitlements.create_indexes()
    allowances.overpayments.create_indexes(("elder_id",), ("programme", "status"))
    allowances.adjustments.create_indexes(("elder_id",), ("programme", "status"))
    allowances.redemptions.create_indexes(("provider", "redeemed_on"))


def worker(allowances: Allowances) -> Worker:
    """Allowances' worker keeps its projection of elders current from intake's events, stops
    payment on a death or a move out, and relays the events of cycles, entitlements and
    overpayments."""
    return Worker(
        allowances.settings,
        allowances.db,
        prepare=lambda: _prepare(allowances),
        outbox_collections=[
            allowances.cycles.name,
            entitlement_store.COLLECTION,
            allowances.overpayments.name,
        ],
        handlers=handlers(allowances),
    )
