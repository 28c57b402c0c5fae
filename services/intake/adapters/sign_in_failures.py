"""Sign-in failures per user name and per client address, counted in intake's database so
that every API process sees the same counts."""

from pymongo import ReturnDocument
from pymongo.database import Database

from services.intake.domain.sign_in_throttle import Failures
from shared.clock import Clock

COLLECTION = "sign_in_failures"


class SignInFailures:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.failures = db[COLLECTION]
        self.clock = clock

    def of(self, key: str, free: int) -> Failures | None:
        """The failures not yet forgotten for one key (`user:…` or `address:…`), of which
        `free` are allowed before a pause."""
        document = self.failures.find_one({"_id": key})
        if document is None:
            return None
        failures = Failures(document["count"], document["last_at"], free)
        return None if failures.forgotten(self.clock.now()) else failures

    def count(self, key: str, free: int) -> Failures:
        """One more failure: counted with $inc, so that failures at once are all counted."""
        now = self.clock.now()
        document = self.failures.find_one({"_id": key})
        if document and Failures(document["count"], document["last_at"], free).forgotten(now):
            self.failures.delete_one({"_id": key, "count": document["count"]})
        counted = self.failures.find_one_and_update(
            {"_id": key},
            {"$inc": {"count": 1}, "$set": {"last_at": now}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert counted is not None  # upserted
        return Failures(counted["count"], counted["last_at"], free)

    def forget(self, key: str) -> None:
        self.failures.delete_one({"_id": key})
