"""A service's records in its own MongoDB database: one dataclass, one collection.

A record is created once, with an `_id` derived from its cause, in the same write as the
events announcing it; every later change is a compare-and-set on its `version`, again in the
same write as its events.

Every record keeps its `history`: one line per change (who was acting, from where, when, and
the changed fields before and after), appended in the same write as the change and never
rewritten. Reads of the record leave it out; `history` and `audit_trail` read it. A record
holding personal data gives `in_history`, which masks it in the lines; a store whose callers
write their own lines (intake's register, older than this) passes each as `line`.

Figures derived from the records (intake's tallies) are kept with `settle`: every write then
sets the outbox's pending flag, events or not, and `settle(documents)` runs right after, with
the documents as written (no read of them again); if the process stops in between, the relay
settles the flagged records, from the documents it reads, before clearing the flag.
"""

import dataclasses
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

from pymongo import ASCENDING
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import PyMongoError

from shared.audit import as_it_stood, change_line
from shared.clock import Clock
from shared.documents import from_document, to_document
from shared.errors import NotFound
from shared.events import Event
from shared.memory_queries import matching
from shared.mongo import insert_many_once, insert_once, total_of
from shared.outbox import FLAG, OUTBOX, hint, push_events, with_events

log = logging.getLogger(__name__)

Record = TypeVar("Record")
Sort = list[tuple[str, int]]
Line = dict[str, Any]  # a history line (shared.audit.history_line)

HISTORY = "history"
HIDDEN = {OUTBOX: 0, FLAG: 0, HISTORY: 0}


class Records(Generic[Record]):
    """`model` is a dataclass whose first field is the record's id and which has a `version`."""

    def __init__(
        self,
        db: Database,
        name: str,
        model: type[Record],
        what: str,
        clock: Clock,
        in_history: Callable[[Record], Record] | None = None,
        settle: Callable[[list[dict[str, Any]]], None] | None = None,
    ) -> None:
        self.name = name
        self.in_history = in_history  # how the record appears in its history lines
        self.settle = settle  # brings figures derived from these records up to date
        self.collection = db[name]
        self.model = model
        self.what = what  # how the record is called in messages to users
        self.clock = clock  # when each history line was written
        self.id_field = dataclasses.fields(model)[0].name  # type: ignore[arg-type]

    def add(
        self, record: Record, *events: Event, change: str | None = None, line: Line | None = None
    ) -> bool:
        """Store a new record, its first history line and its events; False if a record with
        its id (or another unique key) already exists. `change` names it in the history (else
        its first event)."""
        document = self._new(record, events, change, line)
        stored = insert_once(self.collection, document)
        if stored:
            self._written([document], bool(events))
        return stored

    def add_many(self, new: Sequence[tuple[Record, Sequence[Event], Line | None]]) -> set[int]:
        """Store many new records with their events in one batch; returns the positions of
        those not stored because a record with the same id (or unique key) exists."""
        documents = [self._new(record, events, None, line) for record, events, line in new]
        skipped = set(insert_many_once(self.collection, documents))
        stored = [d for i, d in enumerate(documents) if i not in skipped]
        self._written(stored, any(events for _, events, _ in new))
        return skipped

    def save(
        self,
        before: Record,
        after: Record,
        *events: Event,
        change: str | None = None,
        line: Line | None = None,
    ) -> bool:
        """Store the change from `before` to `after`, with its history line and its events,
        unless the record moved on from `before`'s version meanwhile."""
        document = self.document(after)
        record_id = document.pop("_id")
        if line is None:
            line = self._line(change or self._first(events, "changed"), before, after)
        if self.settle is not None:
            document[FLAG] = "yes"
        update = push_events({"$set": document, "$push": {HISTORY: line}}, *events)
        result = self.collection.update_one(
            {"_id": record_id, "version": before.version},  # type: ignore[attr-defined]
            update,
        )
        if result.matched_count == 1:
            self._written([{**document, "_id": record_id}], bool(events))
        return result.matched_count == 1

    def note(self, record_id: str, line: Line) -> None:
        """Add a line to the record's history that is no change of it (a failed sign-in to a
        staff account): no version, no events, so that notes written at once all stay."""
        self.collection.update_one({"_id": record_id}, {"$push": {HISTORY: line}})

    def set_unversioned(self, record_id: str, fields: dict[str, Any]) -> None:
        """Set fields that hold the same thing in another form (a password re-hashed at a
        stronger cost): no version, no history line, no events."""
        self.collection.update_one({"_id": record_id}, {"$set": fields})

    def as_of(self, query: dict[str, Any], moment: datetime) -> Iterator[Record]:
        """The records as they stood at `moment` (those created since left out), whose state
        then matches `query`."""
        for document in self.collection.find({}, {OUTBOX: 0, FLAG: 0}).sort("_id", ASCENDING):
            state = as_it_stood(document, document.pop(HISTORY, []), moment)
            if state is not None and matching([state], query):
                yield self.record(state)

    def changed_by(self, change: str) -> int:
        """How many records have this change in their history (a batch's own line counts
        what it changed, however often it was run)."""
        return self.collection.count_documents({f"{HISTORY}.change": change})

    def history(self, record_id: str) -> list[dict[str, Any]]:
        """Every change to the record, oldest first."""
        document = self.collection.find_one({"_id": record_id}, {HISTORY: 1})
        if document is None:
            raise NotFound(f"No {self.what} with id {record_id!r}.", **{self.id_field: record_id})
        return document.get(HISTORY, [])

    def get(self, record_id: str) -> Record | None:
        document = self.collection.find_one({"_id": record_id}, HIDDEN)
        return self.record(document) if document else None

    def require(self, record_id: str) -> Record:
        record = self.get(record_id)
        if record is None:
            raise NotFound(f"No {self.what} with id {record_id!r}.", **{self.id_field: record_id})
        return record

    def find(
        self, query: dict[str, Any], sort: Sort, skip: int, limit: int
    ) -> tuple[list[Record], int]:
        cursor = self.collection.find(query, HIDDEN).sort(sort).skip(skip).limit(limit)
        found = [self.record(d) for d in cursor]
        return found, total_of(self.collection, query, skip, limit, len(found))

    def each(
        self, query: dict[str, Any], sort: Sort | None = None, ordered: bool = True
    ) -> Iterator[Record]:
        """Every matching record, read as the cursor advances: in `sort` (by id unless said),
        or with `ordered` false in the store's own order, which starts at once, where a sort
        makes FerretDB read every match before answering the first."""
        cursor = self.collection.find(query, HIDDEN)
        if ordered:
            cursor = cursor.sort(sort or [("_id", ASCENDING)])
        return (self.record(d) for d in cursor)

    def document(self, record: Record) -> dict[str, Any]:
        document = to_document(record)
        document["_id"] = document.pop(self.id_field)
        return document

    def record(self, document: dict[str, Any]) -> Record:
        return from_document(self.model, {**document, self.id_field: document["_id"]})

    def _new(
        self, record: Record, events: Sequence[Event], change: str | None, line: Line | None
    ) -> dict[str, Any]:
        if line is None:
            line = self._line(change or self._first(events, "created"), None, record)
        document = with_events({**self.document(record), HISTORY: [line]}, *events)
        if self.settle is not None:
            document[FLAG] = "yes"
        return document

    def _written(self, documents: list[dict[str, Any]], announced: bool) -> None:
        """Tell the relay of new events, and settle what derives from the records, from the
        documents as written."""
        if announced:
            hint(self.collection, [d["_id"] for d in documents])
        if self.settle is None:
            return
        try:
            for start in range(0, len(documents), 500):
                self.settle(documents[start : start + 500])
        except PyMongoError as error:
            log.warning("not settled; the relay will", extra={"error": str(error)})

    def _line(self, change: str, before: Record | None, after: Record) -> dict[str, Any]:
        if self.in_history is not None:
            before = None if before is None else self.in_history(before)
            after = self.in_history(after)
        return change_line(self.clock.now(), change, before, after)

    def _first(self, events: Sequence[Event], otherwise: str) -> str:
        """The change named by its first event, or else by the kind of record."""
        return events[0].type if events else f"{self.name}.{otherwise}"


@dataclasses.dataclass(frozen=True)
class Audited:
    """A collection whose records keep a history, and the field of a record that names the
    elder it is about (intake's register: each record is an elder, named by its `_id`)."""

    collection: Collection
    elder_field: str = "elder_id"


def audit_trail(
    audited: Iterable[Audited], elder_id: str | None = None, user: str | None = None
) -> list[dict[str, Any]]:
    """The history lines about one elder or by one user, across the collections, newest
    first. Each line names its record: the kind (collection), the id and the elder, if any."""
    lines = [
        {
            **line,
            "kind": a.collection.name,
            "record_id": d["_id"],
            "elder_id": _elder_named(d.get(a.elder_field), elder_id),
        }
        for a in audited
        for d in a.collection.find(
            {a.elder_field: elder_id} if elder_id is not None else {f"{HISTORY}.by": user},
            {HISTORY: 1, a.elder_field: 1},
        )
        for line in d.get(HISTORY, [])
        if user is None or line["by"] == user
    ]
    # lines of one instant: the later written first
    return sorted(reversed(lines), key=lambda line: line["at"], reverse=True)


def _elder_named(held: Any, asked: str | None) -> str | None:
    """The elder a record is about: a record of several (a household's members) names the
    one asked about, or all of them."""
    if isinstance(held, list):
        return asked if asked in held else ", ".join(map(str, held))
    return held
