"""What visits and allowances know of staff tokens revoked in intake.

Intake raises a user's token version whenever their access changes (disabled or enabled, roles
or community changed, password reset, signed out) and announces it (`staff.access_changed`).
A service keeps the latest version per user in its own store; a signed token of an older
version is refused. Requests read the store at most once per user every
`CACHE_SECONDS`, so that a revocation takes effect within that time plus the event's way
here, well under a minute.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pymongo.database import Database

from shared.consumer import Handler
from shared.events import Event
from shared.projection import Projection
from shared.staff_contacts import StaffContact, contact_handler
from shared.stores import ProjectionStore
from shared.web.auth import Principal

COLLECTION = "staff_access"
CACHE_SECONDS = 30.0


@dataclass(frozen=True)
class TokenVersion:
    """A user's latest token version, as announced by intake."""

    username: str
    version: int


class TokenVersions:
    """The latest token version of each user, as this service last learnt it."""

    def __init__(
        self,
        versions: ProjectionStore[TokenVersion],
        cache_seconds: float = CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.versions = versions
        self.cache_seconds = cache_seconds
        self.clock = clock
        self.cached: dict[str, tuple[int, float]] = {}
        self.lock = threading.Lock()

    @classmethod
    def stored_in(cls, db: Database) -> "TokenVersions":
        return cls(Projection(db, COLLECTION, TokenVersion))

    def record(self, event: Event, data: dict[str, Any]) -> bool:
        """Keep the announced version unless a newer one is held (events may come twice)."""
        return self.versions.apply(data["username"], data["token_version"], event.id, {})

    def latest(self, username: str) -> int:
        """0 for a user whose access never changed since their account was made."""
        now = self.clock()
        with self.lock:
            known = self.cached.get(username)
        if known and now - known[1] < self.cache_seconds:
            return known[0]
        known_version = self.versions.get(username)
        version = known_version.version if known_version else 0
        with self.lock:
            self.cached[username] = (version, now)
        return version

    def current(self, principal: Principal) -> bool:
        """Whether a signed token is of the user's latest version (or newer: the event that
        announces it may still be on its way)."""
        return (principal.token_version or 0) >= self.latest(principal.user)


def staff_handlers(
    versions: TokenVersions, contacts: ProjectionStore[StaffContact]
) -> dict[str, Handler]:
    """The staff events every service but intake takes: tokens revoked, mobile numbers."""
    return {
        "staff.access_changed": versions.record,
        "staff.contact_changed": contact_handler(contacts),
    }
