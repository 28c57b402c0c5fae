"""The intake service's container with every store in memory, for unit tests of its use cases:
the same code runs as on MongoDB, without a server. The register is `memory_register`; the
district, the staff accounts, the sign-in failures and the receipts of outside events are here.
Each keeps the events its writes carried in `announced`, in the order written.

The database handle is never connected (`unconnected`): what reaches past the stores fails.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from memory_register import MemoryRegister
from unconnected import unconnected_database

from services.intake.adapters.user_store import UserStore
from services.intake.domain.district import Community, District
from services.intake.domain.grid import GridCell
from services.intake.domain.household import Household
from services.intake.domain.inbound_receipt import InboundReceipt
from services.intake.domain.reorganisation import Reorganisation
from services.intake.domain.sign_in_throttle import Failures
from services.intake.domain.user import User
from services.intake.domain.volunteer import Volunteer
from services.intake.service_layer.container import Intake
from shared.clock import Clock, FixedClock
from shared.config import Settings
from shared.events import Event
from shared.memory_stores import MemoryConfiguration, MemoryRecords
from shared.service_contacts import ServiceContacts


class MemoryCardNumbering:
    def __init__(self) -> None:
        self.counters: dict[str, int] = {}

    def next_number(self, sequence: str) -> int:
        self.counters[sequence] = self.counters.get(sequence, 0) + 1
        return self.counters[sequence]


class MemoryHouseholdKeys:
    def __init__(self) -> None:
        self.keys: dict[str, list[str]] = {}
        self.derived: dict[int, Any] = {}
        self.revisions = 0

    def revision(self) -> int:
        return self.revisions

    def changed(self) -> None:
        self.revisions += 1

    def point(self, pointers: Iterable[tuple[str, str]]) -> None:
        for key, household in pointers:
            pointed = self.keys.setdefault(key, [])
            if household not in pointed:
                pointed.append(household)

    def lookup(self, keys: list[str]) -> dict[str, list[str]]:
        return {key: list(self.keys[key]) for key in keys if key in self.keys}


class MemorySignInFailures:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.failures: dict[str, tuple[int, datetime]] = {}

    def of(self, key: str, free: int) -> Failures | None:
        if key not in self.failures:
            return None
        failures = Failures(*self.failures[key], free)
        return None if failures.forgotten(self.clock.now()) else failures

    def count(self, key: str, free: int) -> Failures:
        now = self.clock.now()
        held = self.of(key, free)
        self.failures[key] = ((held.count if held else 0) + 1, now)
        return Failures(*self.failures[key], free)

    def forget(self, key: str) -> None:
        self.failures.pop(key, None)


class MemoryAcceptedEvents:
    def __init__(self) -> None:
        self.accepted: dict[str, Event] = {}

    def accept(self, event: Event) -> bool:
        if event.id in self.accepted:
            return False
        self.accepted[event.id] = event
        return True


def memory_intake(now: datetime, communities: tuple[Community, ...] = ()) -> Intake:
    clock = FixedClock(now)
    intake = Intake(
        Settings(service="intake", district="d1"),
        clock,
        unconnected_database(),
        elders=MemoryRegister(),
        volunteers=MemoryRecords("volunteers", Volunteer, "volunteer", clock),
        district=MemoryConfiguration(District, "district configuration", clock),
        card_numbers=MemoryCardNumbering(),
        inbound=MemoryRecords(  # its history lines as the real store's: the number masked
            "inbound", InboundReceipt, "inbound event", clock, InboundReceipt.masked
        ),
        accepted_events=MemoryAcceptedEvents(),
        users=UserStore(MemoryRecords("users", User, "user", clock, User.shown), clock),
        sign_in_failures=MemorySignInFailures(clock),
        households=MemoryRecords("households", Household, "household", clock),
        grid=MemoryRecords("grid_cells", GridCell, "grid cell", clock),
        reorganisations=MemoryRecords("reorganisations", Reorganisation, "reorganisation", clock),
        household_keys=MemoryHouseholdKeys(),
        service_contacts=MemoryRecords(
            "service_contacts", ServiceContacts, "service contacts", clock
        ),
    )
    if communities:
        intake.district.save(District(), District(communities, version=1), "district.set")
    return intake
