"""What every use case of the allowances service takes: settings, clock, and stores."""

from dataclasses import dataclass
from typing import Any

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
from shared.configuration import Configuration
from shared.projection import Projection
from shared.records import Audited, Records


@dataclass(frozen=True)
class Allowances:
    settings: Settings
    clock: Clock
    db: Database
    elders: Projection[Elder]
    programmes: Configuration[Programmes]
    campaigns: Records[FestivalCampaign]
    cycles: Records[AllowanceCycle]
    lines: RollStore
    entitlements: EntitlementStore
    overpayments: Records[Overpayment]
    adjustments: Records[Adjustment]
    redemptions: Records[Redemption]
    payees: Records[PayeeAccount]
    payment_orders: PaymentOrderStore

    def audited(self) -> list[Audited]:
        """The collections whose documents keep a history of their changes (the roll's lines
        and entitlements do not: the cycle that freezes them does)."""
        records: list[Records[Any]] = [
            self.campaigns,
            self.cycles,
            self.overpayments,
            self.adjustments,
            self.redemptions,
            self.payees,
        ]
        collections = [self.programmes.collection, *(store.collection for store in records)]
        return [Audited(collection) for collection in collections]
