"""What every use case of the intake service takes: settings, clock, and stores."""

from dataclasses import dataclass

from pymongo.database import Database

from services.intake.adapters.district_store import DistrictStore
from services.intake.adapters.elder_store import ElderStore
from services.intake.adapters.inbound_store import InboundStore
from services.intake.adapters.sign_in_failures import SignInFailures
from services.intake.adapters.user_store import UserStore
from services.intake.adapters.volunteer_store import VolunteerStore
from shared.clock import Clock
from shared.config import Settings
from shared.records import Audited


@dataclass(frozen=True)
class Intake:
    settings: Settings
    clock: Clock
    db: Database
    elders: ElderStore
    volunteers: VolunteerStore
    district: DistrictStore
    inbound: InboundStore
    users: UserStore
    sign_in_failures: SignInFailures

    def audited(self) -> list[Audited]:
        """The collections whose documents keep a history of their changes: the register
        (each record an elder), the staff accounts, and the inbound events staff matched or
        set aside."""
        register = Audited(self.elders.elders, elder_field="_id")
        return [register, Audited(self.users.users), Audited(self.inbound.receipts)]
