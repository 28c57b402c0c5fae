"""What every use case of the allowances service takes: settings, clock, and stores.

The stores of records, the projection and the configuration are typed by what a use case may
ask of them (`shared.stores`); the roll, the entitlements and the payment orders are adapters
of their own, with batched writes and queries the protocols do not cover."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from pymongo.database import Database

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
from shared.clock import Clock
from shared.config import Settings
from shared.reminder_channels import Channel
from shared.reminders import Reminder
from shared.staff_contacts import StaffContact
from shared.stores import ConfigStore, ProjectionStore, RecordStore


@dataclass(frozen=True)
class Allowances:
    settings: Settings
    clock: Clock
    db: Database
    elders: ProjectionStore[Elder]
    programmes: ConfigStore[Programmes]
    campaigns: RecordStore[FestivalCampaign]
    cycles: RecordStore[AllowanceCycle]
    lines: RollStore
    entitlements: EntitlementStore
    overpayments: RecordStore[Overpayment]
    adjustments: RecordStore[Adjustment]
    redemptions: RecordStore[Redemption]
    payees: RecordStore[PayeeAccount]
    payment_orders: PaymentOrderStore
    reminders: RecordStore[Reminder]
    staff_contacts: ProjectionStore[StaffContact]  # staff mobile numbers, for SMS reminders
    # where reminders go (adapters configured by the environment); none: kept, not sent
    channels: Sequence[Channel] = field(default_factory=tuple)
