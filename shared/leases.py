"""Which copy of a worker runs a scheduled duty: a lease in the service's own store.

Several copies of a service's worker may run, sharing its consumer group. Each scheduled duty
(the overdue sweep, the monthly generation, the reminders, the outbox relay's sweep) is run by
one of them at a time: before each pass, a copy takes or renews the duty's lease, a document
of `leases` (`_id` the duty) naming its holder and the time it holds until. It runs the pass
only while it holds the lease; a copy that stops (stopped cleanly, it gives the lease up at
once; killed, its lease runs out after `term`) is replaced by another at that copy's next look;
restarted, it holds its leases again at once (`holder_name`).

Each time the lease changes hands its `token` is raised: the fencing token. A holder that
stalled past its term (a long pause) and lost the lease finds out at its next renewal, which
fails, and stands down. The pass it was in cannot double anything even so: where a fencing
token would make the store refuse a stale holder's writes, every duty's writes are refused
already when stale, by compare-and-set on a record's version or by insert-once of an id
derived from what it is about (see each duty), whoever makes them. So no duty carries the
token into its writes; `holds(token)` is there for a pass long enough to want to stop early.
"""

import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from pymongo import ReturnDocument
from pymongo.database import Database

from shared.config import Settings
from shared.mongo import insert_once

COLLECTION = "leases"


def holder_name(settings: Settings) -> str:
    """This copy of the worker, as the leases name it: its host, service and replica
    (`ELDERCARE_REPLICA`, for copies that share a host). The name outlives the process, so
    a copy restarted after a crash holds its leases again at once instead of waiting for them
    to run out; copies that share a host must each be given a replica of their own."""
    return f"{socket.gethostname()}/{settings.service}/{settings.replica}"


def utc_now() -> datetime:
    return datetime.now(UTC)


class DutyLeases:
    def __init__(
        self,
        db: Database,
        holder: str,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.leases = db[COLLECTION]
        self.holder = holder
        self.now = now

    def take(self, duty: str, term: timedelta) -> int | None:
        """Hold the duty's lease for `term` from now: renewed if this holder holds it, taken
        over if it ran out, or made if it is the first; its fencing token, or None while
        another holder holds it."""
        now = self.now()
        until = now + term
        renewed = self.leases.find_one_and_update(
            {"_id": duty, "holder": self.holder, "until": {"$gt": now}},
            {"$set": {"until": until}},
            return_document=ReturnDocument.AFTER,
        )
        if renewed is not None:
            return int(renewed["token"])
        taken = self.leases.find_one_and_update(
            {"_id": duty, "until": {"$lte": now}},
            {"$set": {"holder": self.holder, "until": until}, "$inc": {"token": 1}},
            return_document=ReturnDocument.AFTER,
        )
        if taken is not None:
            return int(taken["token"])
        made = {"_id": duty, "holder": self.holder, "until": until, "token": 1}
        return 1 if insert_once(self.leases, made) else None

    def holds(self, duty: str, token: int) -> bool:
        """Whether the lease taken with `token` is still this holder's and has not run out."""
        held = {"_id": duty, "holder": self.holder, "token": token, "until": {"$gt": self.now()}}
        return self.leases.find_one(held, {"_id": 1}) is not None

    def give_up(self, duty: str) -> None:
        """Let another holder take the duty at once (this one is stopping)."""
        self.leases.update_one(
            {"_id": duty, "holder": self.holder}, {"$set": {"until": self.now()}}
        )
