"""What every use case of the intake service takes: settings, clock, and stores.

The stores are typed by what a use case may ask of them (`stores`, `shared.stores`), so that a
use case runs the same on MongoDB (`bootstrap`) and in memory (the unit tests' container)."""

from dataclasses import dataclass

from pymongo.database import Database

from services.intake.domain.district import District
from services.intake.domain.grid import GridCell
from services.intake.domain.household import Household
from services.intake.domain.inbound_receipt import InboundReceipt
from services.intake.domain.reorganisation import Reorganisation
from services.intake.domain.volunteer import Volunteer
from services.intake.service_layer.stores import (
    CardNumbering,
    ElderRegister,
    EventsAccepted,
    HouseholdIndex,
    SignInCounts,
    StaffAccounts,
)
from shared.clock import Clock
from shared.config import Settings
from shared.service_contacts import ServiceContacts
from shared.stores import ConfigStore, RecordStore


@dataclass(frozen=True)
class Intake:
    settings: Settings
    clock: Clock
    db: Database
    elders: ElderRegister
    volunteers: RecordStore[Volunteer]
    district: ConfigStore[District]  # its communities and card categories
    card_numbers: CardNumbering
    inbound: RecordStore[InboundReceipt]  # what each event from another system became
    accepted_events: EventsAccepted  # sent over HTTP, on their way to the inbound topic
    users: StaffAccounts
    sign_in_failures: SignInCounts
    households: RecordStore[Household]
    household_keys: HouseholdIndex
    grid: RecordStore[GridCell]  # the resident groups, buildings and courtyards
    reorganisations: RecordStore[Reorganisation]  # of the district's communities
    # the hotline and service guide printed at the foot of the forms (one record)
    service_contacts: RecordStore[ServiceContacts]
