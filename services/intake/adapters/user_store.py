"""Staff accounts in intake's database; passwords only as Argon2 hashes.

Each account keeps its history (who created or changed it, when, from where, the fields before
and after; never the password hash; failed sign-ins), read by intake's audit trail. A change of
the account's access carries its `staff.access_changed` event in the same write (outbox)."""

from dataclasses import replace
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from services.intake.domain.user import User
from shared.audit import Actor, change_line, history_line
from shared.clock import Clock
from shared.documents import from_document, to_document
from shared.errors import Conflict
from shared.events import Event
from shared.outbox import hint, push_events, with_events

COLLECTION = "users"
HISTORY = "history"


def in_history(user: User) -> User:
    """The account as its history lines show it: without the password hash."""
    return replace(user, password_hash="")


class UserStore:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.users = db[COLLECTION]
        self.clock = clock

    def add(self, user: User, *events: Event) -> None:
        """Insert the account with its first history line and the events announcing it."""
        document = to_document(user)
        document["_id"] = document.pop("username")
        document[HISTORY] = [self._line("user created", None, user)]
        try:
            self.users.insert_one(with_events(document, *events))
        except DuplicateKeyError:
            raise Conflict(f"user {user.username!r} exists already") from None
        if events:
            hint(self.users, [user.username])

    def get(self, username: str) -> User | None:
        document = self.users.find_one({"_id": username}, {HISTORY: 0})
        return from_document(User, {**document, "username": username}) if document else None

    def change(
        self, before: User, after: User, *events: Event, summary: str = "user changed"
    ) -> None:
        """Store the account's new roles, community, standing, password or token version, with
        its history line and the events announcing it."""
        fields = {k: v for k, v in to_document(after).items() if k != "username"}
        line = self._line(summary, before, after)
        update = push_events({"$set": fields, "$push": {HISTORY: line}}, *events)
        self.users.update_one({"_id": after.username}, update)
        if events:
            hint(self.users, [after.username])

    def note_failed_sign_in(self, username: str, who: Actor, reason: str) -> None:
        """A failed sign-in to an existing account, on its history, by whoever tried."""
        line = history_line(self.clock.now(), who, "sign-in failed", 1, after={"reason": reason})
        self.users.update_one({"_id": username}, {"$push": {HISTORY: line}})

    def set_password_hash(self, username: str, password_hash: str) -> None:
        self.users.update_one({"_id": username}, {"$set": {"password_hash": password_hash}})

    def all(self) -> list[User]:
        found = self.users.find({}, {HISTORY: 0}).sort("_id", 1)
        return [from_document(User, {**d, "username": d["_id"]}) for d in found]

    def _line(self, summary: str, before: User | None, after: User) -> dict[str, Any]:
        old = in_history(before) if before else None
        line = change_line(self.clock.now(), summary, old, in_history(after))
        line["after"].pop("password_hash", None)
        return line
