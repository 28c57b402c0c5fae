"""Staff accounts in intake's database; passwords only as Argon2 hashes.

Each account is a record of its own (`shared.records`): every change a compare-and-set on its
version, with its history line (who created or changed it, when, from where, the fields before
and after; never the password hash) and, for a change of its access or mobile number, its
event in the same write (outbox). Failed sign-ins go on the history too, read by the audit
trail; a password re-hashed at sign-in (a stronger cost) is no change of the account.
"""

from dataclasses import replace

from services.intake.domain.user import User
from shared.audit import Actor, history_line
from shared.clock import Clock
from shared.errors import Conflict
from shared.events import Event
from shared.stores import RecordStore

COLLECTION = "users"


class UserStore:
    def __init__(self, records: RecordStore[User], clock: Clock) -> None:
        self.records = records
        self.clock = clock

    def add(self, user: User, *events: Event) -> None:
        """Insert the account with its first history line and the events announcing it."""
        if not self.records.add(user, *events, change="user created"):
            raise Conflict(f"user {user.username!r} exists already")

    def get(self, username: str) -> User | None:
        return self.records.get(username)

    def change(
        self, before: User, after: User, *events: Event, summary: str = "user changed"
    ) -> None:
        """Store the account's new roles, community, standing, password or token version, with
        its history line and the events announcing it; refused if it changed meanwhile."""
        changed = replace(after, version=before.version + 1)
        if not self.records.save(before, changed, *events, change=summary):
            raise Conflict(
                f"the account {before.username!r} was changed meanwhile; try again",
                username=before.username,
            )

    def note_failed_sign_in(self, username: str, who: Actor, reason: str) -> None:
        """A failed sign-in to an existing account, on its history, by whoever tried."""
        line = history_line(self.clock.now(), who, "sign-in failed", 1, after={"reason": reason})
        self.records.note(username, line)

    def set_password_hash(self, username: str, password_hash: str) -> None:
        self.records.set_unversioned(username, {"password_hash": password_hash})

    def all(self) -> list[User]:
        return list(self.records.each({}, [("_id", 1)]))
