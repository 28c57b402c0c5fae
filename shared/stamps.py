"""Stamps that move on with every write to a group of records, so that what is worked out from
those records (a report's figures) can be kept until the stamp moves: exact, however often
it is read, and read again from the records only after a write.

The stamp is a counter in the store, shared by every process of the service; a write moves it
on just after the records are written, before the request that wrote them is answered."""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from pymongo.database import Database

from shared.events import Event
from shared.stores import Ahead, ProjectionStore, RecordStore, Sort

COLLECTION = "write_stamps"
# How long a service keeps an answer however still its stamp: a process killed between
# writing records and moving their stamp leaves the stamp behind for that long at most.
KEPT_AT_MOST_SECONDS = 60.0
Record = TypeVar("Record")
Model = TypeVar("Model")
Value = TypeVar("Value")


class WriteStamp(Protocol):
    def bump(self) -> None: ...

    def current(self) -> int: ...


class StoredStamp:
    def __init__(self, db: Database, name: str) -> None:
        self.collection = db[COLLECTION]
        self.name = name

    def bump(self) -> None:
        self.collection.update_one({"_id": self.name}, {"$inc": {"writes": 1}}, upsert=True)

    def current(self) -> int:
        document = self.collection.find_one({"_id": self.name})
        return int(document["writes"]) if document else 0


class MemoryStamp:
    def __init__(self) -> None:
        self.writes = 0

    def bump(self) -> None:
        self.writes += 1

    def current(self) -> int:
        return self.writes


class BatchedStamp:
    """A stamp moved once per batch of writes instead of once per write: `bump` only notes
    that something was written, and `settle` moves the stored stamp once if anything was.

    For a worker that applies thousands of events in a row (a district's import), where a
    stamp write per event would cost as much as the events themselves. The worker settles
    after each batch it applies, before committing its offsets; until then, readers keep
    the answers worked out before the batch."""

    def __init__(self, stamp: WriteStamp) -> None:
        self.stamp = stamp
        self.noted = False
        self.guard = threading.Lock()

    def bump(self) -> None:
        with self.guard:
            self.noted = True

    def current(self) -> int:
        return self.stamp.current()

    def settle(self) -> None:
        with self.guard:
            noted, self.noted = self.noted, False
        if not noted:
            return
        try:
            self.stamp.bump()
        except Exception:
            self.bump()  # the store did not answer: moved with the next batch
            raise


def settle_all(stamps: Iterable[BatchedStamp]) -> None:
    """Move each stamp that noted a write; one the store refuses stays noted for next time."""
    for stamp in stamps:
        stamp.settle()


class Stamped(Generic[Record]):
    """A record store whose every write moves `stamp` on; reads go straight through."""

    def __init__(self, store: RecordStore[Record], stamp: WriteStamp) -> None:
        self.store = store
        self.stamp = stamp

    @property
    def name(self) -> str:
        return self.store.name

    @property
    def what(self) -> str:
        return self.store.what

    def add(self, record: Record, *events: Event, change: str | None = None) -> bool:
        added = self.store.add(record, *events, change=change)
        if added:
            self.stamp.bump()
        return added

    def add_many(self, new: Sequence[tuple[Record, Sequence[Event], Any]]) -> set[int]:
        skipped = self.store.add_many(new)
        if len(skipped) < len(new):
            self.stamp.bump()
        return skipped

    def save(
        self, before: Record, after: Record, *events: Event, change: str | None = None
    ) -> bool:
        saved = self.store.save(before, after, *events, change=change)
        if saved:
            self.stamp.bump()
        return saved

    def note(self, record_id: str, line: dict[str, Any]) -> None:
        self.store.note(record_id, line)  # no change of a record: the stamp stays

    def set_unversioned(self, record_id: str, fields: dict[str, Any]) -> None:
        self.store.set_unversioned(record_id, fields)

    def get(self, record_id: str) -> Record | None:
        return self.store.get(record_id)

    def require(self, record_id: str) -> Record:
        return self.store.require(record_id)

    def history(self, record_id: str) -> list[dict[str, Any]]:
        return self.store.history(record_id)

    def changed_by(self, change: str) -> int:
        return self.store.changed_by(change)

    def as_of(self, query: dict[str, Any], moment: datetime) -> Iterator[Record]:
        return self.store.as_of(query, moment)

    def find(
        self, query: dict[str, Any], sort: Sort, skip: int, limit: int
    ) -> tuple[list[Record], int]:
        return self.store.find(query, sort, skip, limit)

    def each(
        self, query: dict[str, Any], sort: Sort | None = None, ordered: bool = True
    ) -> Iterator[Record]:
        return self.store.each(query, sort, ordered)


class StampedProjection(Generic[Model]):
    """A projection store whose every event applied moves `stamp` on; reads go straight
    through."""

    def __init__(self, store: ProjectionStore[Model], stamp: WriteStamp) -> None:
        self.store = store
        self.stamp = stamp

    def apply(self, doc_id: str, version: int, event_id: str, data: dict[str, Any]) -> bool:
        applied = self.store.apply(doc_id, version, event_id, data)
        if applied:
            self.stamp.bump()
        return applied

    def insert_ahead(self, events: Sequence[Ahead]) -> None:
        """The stamp moves as each event is applied (`apply` finds it inserted)."""
        self.store.insert_ahead(events)

    def stored(self, doc_id: str, version: int, data: dict[str, Any]) -> Model:
        return self.store.stored(doc_id, version, data)

    def get(self, doc_id: str) -> Model | None:
        return self.store.get(doc_id)

    def list(self, query: dict[str, Any], skip: int, limit: int) -> tuple[list[Model], int]:
        return self.store.list(query, skip, limit)

    def each(self, query: dict[str, Any], ordered: bool = True) -> Iterator[Model]:
        return self.store.each(query, ordered)


class KeptUntilWritten(Generic[Value]):
    """Answers worked out from stamped records, kept until the stamp moves: the latest
    `size` asked for, in this process.

    `max_age` (seconds) bounds how long an answer is kept even if the stamp stays: a process
    killed between writing records and moving the stamp leaves the stamp behind, and the
    answer is then at most that old. Requests that ask for the same answer at once wait for
    one of them to work it out, instead of each reading the records."""

    def __init__(
        self,
        stamp: WriteStamp,
        size: int = 64,
        max_age: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stamp = stamp
        self.size = size
        self.max_age = max_age
        self.clock = clock
        self.kept: OrderedDict[tuple[Hashable, int], tuple[float, Value]] = OrderedDict()
        self.guard = threading.Lock()
        self.working: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, work_out: Callable[[], Value]) -> Value:
        # the stamp is read before the records: a write meanwhile moves it on, and the next
        # read works the answer out again
        stamped = (key, self.stamp.current())
        found = self._fresh(stamped)
        if found is not None:
            return found[1]
        working = self._working_on(key)
        try:
            with working:
                found = self._fresh(stamped)  # worked out by the request this one waited for
                if found is not None:
                    return found[1]
                value = work_out()
                with self.guard:
                    self.kept[stamped] = (self.clock(), value)
                    while len(self.kept) > self.size:
                        self.kept.popitem(last=False)
                return value
        finally:
            self._done_with(key, working)

    def _fresh(self, stamped: tuple[Hashable, int]) -> tuple[float, Value] | None:
        with self.guard:
            found = self.kept.get(stamped)
            if found is None:
                return None
            if self.max_age is not None and self.clock() - found[0] > self.max_age:
                del self.kept[stamped]
                return None
            self.kept.move_to_end(stamped)
            return found

    def _working_on(self, key: Hashable) -> threading.Lock:
        with self.guard:
            return self.working.setdefault(key, threading.Lock())

    def _done_with(self, key: Hashable, working: threading.Lock) -> None:
        # keys can be many (the elders of each page asked for): a lock no one holds is let go
        with self.guard:
            if self.working.get(key) is working and not working.locked():
                del self.working[key]
