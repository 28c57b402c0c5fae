"""What every use case of the intake service takes: settings, clock, and stores."""

from dataclasses import dataclass

from pymongo.database import Database

from services.intake.adapters.district_store import DistrictStore
from services.intake.adapters.elder_store import ElderStore
from services.intake.adapters.inbound_store import InboundStore
from services.intake.adapters.sign_in_failures import SignInFailures
from services.intake.adapters.user_store import UserStore
from services.intake.domain.volunteer import Volunteer
from shared.clock import Clock
from shared.config import Settings
from shared.stores import RecordStore


@dataclass(frozen=True)
class Intake:
    settings: Settings
    clock: Clock
    db: Database
    elders: ElderStore
    volunteers: RecordStore[Volunteer]
    district: DistrictStore
    inbound: InboundStore
    users: UserStore
    sign_in_failures: SignInFailures
