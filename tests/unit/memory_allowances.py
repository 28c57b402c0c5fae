"""The allowances service's container with every store in memory, for unit tests of its use
cases: records, the projection and the configuration from `shared.memory_stores`, the roll, the
entitlements and the payment orders from `memory_rolls`. The database handle is never connected
(`unconnected`): what reaches past the stores fails at once."""

from datetime import datetime

from memory_rolls import MemoryEntitlements, MemoryPaymentOrders, MemoryRolls
from unconnected import unconnected_database

from services.allowances.domain.adjustments import Adjustment
from services.allowances.domain.cycle import AllowanceCycle
from services.allowances.domain.elder import Elder
from services.allowances.domain.household import Household
from services.allowances.domain.overpayments import Overpayment
from services.allowances.domain.payees import PayeeAccount
from services.allowances.domain.programmes import FestivalCampaign, Programmes
from services.allowances.domain.vouchers import Redemption
from services.allowances.service_layer.container import Allowances
from shared.clock import FixedClock
from shared.config import Settings
from shared.memory_stores import MemoryConfiguration, MemoryProjection, MemoryRecords
from shared.reminders import Reminder
from shared.service_contacts import ServiceContacts
from shared.staff_access import TokenVersion, TokenVersions
from shared.staff_contacts import StaffContact
from shared.stamps import KeptUntilWritten, MemoryStamp, StampedProjection


def memory_allowances(now: datetime) -> Allowances:
    clock = FixedClock(now)
    unconnected = unconnected_database()
    elders_written = MemoryStamp()
    return Allowances(
        Settings(service="allowances", district="d1"),
        clock,
        unconnected,
        elders=StampedProjection(MemoryProjection(Elder), elders_written),
        programmes=MemoryConfiguration(Programmes, "programme configuration", clock),
        campaigns=MemoryRecords("campaigns", FestivalCampaign, "festival campaign", clock),
        cycles=MemoryRecords("cycles", AllowanceCycle, "cycle", clock),
        lines=MemoryRolls(),
        entitlements=MemoryEntitlements(),
        overpayments=MemoryRecords("overpayments", Overpayment, "overpayment", clock),
        adjustments=MemoryRecords("adjustments", Adjustment, "adjustment", clock),
        redemptions=MemoryRecords("redemptions", Redemption, "voucher redemption", clock),
        payees=MemoryRecords(
            "payee_accounts", PayeeAccount, "payee account", clock, PayeeAccount.masked
        ),
        payment_orders=MemoryPaymentOrders(),
        reminders=MemoryRecords("reminders", Reminder, "reminder", clock),
        staff_contacts=MemoryProjection(StaffContact),
        token_versions=TokenVersions(MemoryProjection(TokenVersion)),
        service_contacts=MemoryProjection(ServiceContacts),
        households=MemoryProjection(Household),
        rosters_kept=KeptUntilWritten(elders_written),
    )
