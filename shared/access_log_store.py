"""A service's access log in its own MongoDB database: lines are inserted, never updated or
deleted.

A line's `_id` is its sequence number, as a fixed-width string. Writers of several API workers
and threads may add lines at once, and the store has no transactions: each seals the next
line after the last one it knows and inserts it. Two writers that know the same last line race
for the same `_id`; the unique key lets one win, and the other reads the lines written since
and tries again after them, so the chain never forks.

Lines are only ever read by `_id` (one, or a batch with `$in`): FerretDB v1 finds those
through its index, where a sort of the collection would read every line.
"""

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from shared.access_log import Access, Anchor, Verdict, chained, verify
from shared.clock import Clock, SystemClock

COLLECTION = "access_log"
INDEXES = [("user",), ("kind",)]
ATTEMPTS = 200  # far more writers than any deployment runs at once
BATCH = 500
PROBES = 48  # sequence numbers up to 2**47: more lines than any district writes


def line_id(seq: int) -> str:
    return f"{seq:015d}"


class AccessLogStore:
    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.lines: Collection = db[COLLECTION]
        self.clock = clock or SystemClock()
        self._lock = threading.Lock()  # this process's writers take turns: no race among them
        self._head: dict[str, Any] | None = None  # the last line this process knows

    def create_indexes(self) -> None:
        for (key,) in INDEXES:
            self.lines.create_index([(key, ASCENDING)])

    def append(self, access: Access) -> dict[str, Any]:
        """Add the line recording `access` after the last one; returns it."""
        with self._lock:
            head = self._head or self._last()
            for _ in range(ATTEMPTS):
                line = chained(access, self.clock.now(), head)
                try:
                    self.lines.insert_one({"_id": line_id(line["seq"]), **line})
                except DuplicateKeyError:
                    head = self._newest_after(head)  # another process wrote meanwhile
                    continue
                self._head = line
                return line
        raise RuntimeError(f"the access log stayed contended for {ATTEMPTS} attempts")

    def _by_seq(self, numbers: list[int]) -> list[dict[str, Any]]:
        found = self.lines.find({"_id": {"$in": [line_id(n) for n in numbers]}})
        return sorted(found, key=lambda line: line["_id"])

    def _exists(self, seq: int) -> bool:
        return self.lines.find_one({"_id": line_id(seq)}, {"_id": 1}) is not None

    def _last(self) -> dict[str, Any] | None:
        """The line with the highest number: the highest power of two present, then a binary
        search below the next one."""
        present = self._by_seq([2**k for k in range(PROBES)])
        if not present:
            return None
        low, high = present[-1]["seq"], present[-1]["seq"] * 2  # low is, high is not
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if self._exists(middle) else (low, middle)
        return self._newest_after(self._by_seq([low])[0])

    def _newest_after(self, head: dict[str, Any] | None) -> dict[str, Any] | None:
        """The last line of the run of lines that follow `head`."""
        while True:
            start = head["seq"] + 1 if head else 1
            following = self._by_seq(list(range(start, start + BATCH)))
            if not following:
                return head
            head = following[-1]

    def in_order(self) -> Iterator[dict[str, Any]]:
        """Every line, by number, until the first run of missing numbers as long as a batch."""
        start = 1
        while batch := self._by_seq(list(range(start, start + BATCH))):
            yield from batch
            start += BATCH

    def verify(self, anchor: Anchor | None = None) -> Verdict:
        verdict = verify(self.in_order(), anchor)
        stored = self.lines.count_documents({})
        if verdict.intact and stored > verdict.lines:
            # lines stored beyond a run of deleted ones as long as a batch
            missing = verdict.last_seq + 1
            problem = f"line {missing} is missing ({stored - verdict.lines} lines stored after it)"
            return replace(verdict, intact=False, broken_at=missing, problem=problem)
        return verdict

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
        if not query:
            return self._newest(skip, limit)
        found = sorted(self.lines.find(query), key=lambda line: line["_id"], reverse=True)
        return found[skip : skip + limit], len(found)

    def _newest(self, skip: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        head = self._newest_after(self._head) if self._head else self._last()
        newest = head["seq"] if head else 0
        numbers = list(range(max(newest - skip - limit, 0) + 1, newest - skip + 1))
        return list(reversed(self._by_seq(numbers))), newest
