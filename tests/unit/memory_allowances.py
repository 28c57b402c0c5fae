"""The allowances service's container with its records, projection and configuration in
memory (`shared.memory_stores`), for unit tests of its use cases. The roll, the entitlements
and the payment orders are adapters of their own, on a database handle never connected: a use
case that reaches them fails at once and is tested against the real store instead."""

from datetime import datetime

from unconnected import unconnected_database

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
from shared.clock import FixedClock
from shared.config import Settings
from shared.memory_stores import MemoryConfiguration, MemoryProjection, MemoryRecords
from shared.reminders import Reminder
from shared.staff_contacts import StaffContact


def memory_allowances(now: datetime) -> Allowances:
    clock = FixedClock(now)
    unconnected = unconnected_database()
    return Allowances(
        Settings(service="allowances", district="d1"),
        clock,
        unconnected,
        elders=MemoryProjection(Elder),
        programmes=MemoryConfiguration(Programmes, "programme configuration", clock),
        campaigns=MemoryRecords("campaigns", FestivalCampaign, "festival campaign", clock),
        cycles=MemoryRecords("cycles", AllowanceCycle, "cycle", clock),
        lines=RollStore(unconnected),
        entitlements=EntitlementStore(unconnected),
        overpayments=MemoryRecords("overpayments", Overpayment, "overpayment", clock),
        adjustments=MemoryRecords("adjustments", Adjustment, "adjustment", clock),
        redemptions=MemoryRecords("redemptions", Redemption, "voucher redemption", clock),
        payees=MemoryRecords(
            "payee_accounts", PayeeAccount, "payee account", clock, PayeeAccount.masked
        ),
        payment_orders=PaymentOrderStore(unconnected),
        reminders=MemoryRecords("reminders", Reminder, "reminder", clock),
        staff_contacts=MemoryProjection(StaffContact),
    )
