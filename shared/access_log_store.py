"""A service's access log in its own MongoDB database: lines are inserted, never updated or
deleted.

A line's `_id` is its sequence number. Writers of several API workers and threads may add
lines at once, and the store has no transactions: each reads the last line, seals the next
one after it and inserts it. Two writers that read the same last line race for the same
`_id`; the unique key lets one win, and the other reads the new last line and tries again, so
the chain never forks.
"""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from shared.access_log import Access, Verdict, chained, verify
from shared.clock import Clock, SystemClock

COLLECTION = "access_log"
ATTEMPTS = 200  # far more writers than any deployment runs at once


class AccessLogStore:
    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.lines: Collection = db[COLLECTION]
        self.clock = clock or SystemClock()

    def create_indexes(self) -> None:
        for key in ("user", "kind", "at"):
            self.lines.create_index([(key, ASCENDING)])

    def append(self, access: Access) -> dict[str, Any]:
        """Add the line recording `access` after the last one; returns it."""
        for _ in range(ATTEMPTS):
            line = chained(access, self.clock.now(), self._last())
            try:
                self.lines.insert_one({"_id": line["seq"], **line})
            except DuplicateKeyError:
                continue  # another writer took this number first
            return line
        raise RuntimeError(f"the access log stayed contended for {ATTEMPTS} attempts")

    def _last(self) -> dict[str, Any] | None:
        return next(iter(self.lines.find().sort("_id", DESCENDING).limit(1)), None)

    def search(
        self,
        user: str | None,
        kind: str | None,
        since: datetime | None,
        skip: int,
        limit: int,
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of lines, newest first, and how many match."""
        query: dict[str, Any] = {}
        if user is not None:
            query["user"] = user
        if kind is not None:
            query["kind"] = kind
        if since is not None:
            query["at"] = {"$gte": since}
        found = self.lines.find(query).sort("_id", DESCENDING).skip(skip).limit(limit)
        return list(found), self.lines.count_documents(query)

    def in_order(self) -> Iterator[dict[str, Any]]:
        return self.lines.find().sort("_id", ASCENDING)

    def verify(self) -> Verdict:
        return verify(self.in_order())
