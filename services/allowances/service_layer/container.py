"""What every use case of the allowances service takes: settings, clock, and stores.

The stores are typed by what a use case may ask of them: records, the projection and the
configuration by `shared.stores`; the roll, the entitlements and the payment orders, whose
writes are batched, by `stores`. A use case runs the same on MongoDB (`bootstrap`) and in
memory (the unit tests' container)."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from pymongo.database import Database

from services.allowances.domain.adjustments import Adjustment
from services.allowances.domain.cycle import AllowanceCycle
from services.allowances.domain.elder import Elder
from services.allowances.domain.household import Household
from services.allowances.domain.overpayments import Overpayment
from services.allowances.domain.payees import PayeeAccount
from services.allowances.domain.programmes import FestivalCampaign, Programmes
from services.allowances.domain.roster import NinetyPlusRoster
from services.allowances.domain.vouchers import Redemption
from services.allowances.service_layer.stores import Entitlements, PaymentOrders, Rolls
from shared.clock import Clock
from shared.config import Settings
from shared.reminder_channels import Channel
from shared.reminders import Reminder
from shared.service_contacts import ServiceContacts
from shared.staff_access import TokenVersions
from shared.staff_contacts import StaffContact
from shared.stamps import BatchedStamp, KeptUntilWritten
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
    lines: Rolls
    entitlements: Entitlements
    overpayments: RecordStore[Overpayment]
    adjustments: RecordStore[Adjustment]
    redemptions: RecordStore[Redemption]
    payees: RecordStore[PayeeAccount]
    payment_orders: PaymentOrders
    reminders: RecordStore[Reminder]
    staff_contacts: ProjectionStore[StaffContact]  # staff mobile numbers, for SMS reminders
    token_versions: TokenVersions  # of each user's tokens, as intake announces them
    service_contacts: ProjectionStore[ServiceContacts]  # printed at the foot of the forms
    households: ProjectionStore[Household]  # which elders share a home-care household
    # each month's 90+ roster, kept until the worker next applies intake's events about elders
    rosters_kept: KeptUntilWritten[NinetyPlusRoster]
    # the elders' stamp, moved once per batch of events the worker applies
    batched_stamps: Sequence[BatchedStamp] = field(default_factory=tuple)
    # where reminders go (adapters configured by the environment); none: kept, not sent
    channels: Sequence[Channel] = field(default_factory=tuple)
