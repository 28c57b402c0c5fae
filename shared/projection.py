"""A service's own copy of facts another service owns, kept current from its events.

A worker applies events one by one, each a write of the store. For a batch of events that
create documents (a district's import: thousands of registrations in a row) it first inserts
the documents the batch's first event of each would create, in one write (`insert_ahead`, the
consumer's preparing step: `InsertAhead`); applying such an event then finds it done without
a round trip. A document held already is left alone, and its events applied one by one. A
batch whose documents were mostly held already is a replay (a consumer group moved back), where
inserting ahead only costs the store a refusal of each: the next batches are then not inserted
ahead, until one in REPLAY_PAUSE tries again.
"""

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import BulkWriteError, PyMongoError

from shared.documents import from_document, to_document
from shared.events import Event
from shared.mongo import apply_versioned, total_of, versioned
from shared.stores import Ahead

Model = TypeVar("Model")
FIRST_VERSION = 1  # an owner's record starts at version 1 (shared.records)
REPLAY_PAUSE = 10  # after a batch mostly held already, one batch in this many is inserted ahead


class Projection(Generic[Model]):
    """Documents keyed by the owner's id, each at the owner's version; updates never go back.

    `model` is a dataclass whose first field is the id and which has a `version` field; its
    other fields are the facts kept (stored as `shared.documents` stores any dataclass).
    """

    def __init__(self, db: Database, collection: str, model: type[Model]) -> None:
        self.collection = db[collection]
        self.model = model
        names = [f.name for f in dataclasses.fields(model)]  # type: ignore[arg-type]
        self.id_field = names[0]
        self.fields = tuple(n for n in names[1:] if n != "version")
        self._ahead: set[tuple[str, int, str]] = set()  # inserted ahead, not yet applied
        self._paused = 0  # batches left not to insert ahead (see REPLAY_PAUSE)

    def apply(self, doc_id: str, version: int, event_id: str, data: dict[str, Any]) -> bool:
        """Store the event's facts unless this version, or a newer one, is already held."""
        if (doc_id, version, event_id) in self._ahead:
            self._ahead.discard((doc_id, version, event_id))
            return True
        return apply_versioned(self.collection, doc_id, version, event_id, self._facts(data))

    def insert_ahead(self, events: Sequence[Ahead]) -> None:
        """Insert, in one write, the documents these events would create (each the first event
        of its document in a batch), so that applying each then costs no round trip; those
        held already are left to be applied one by one. Replaces what a batch before inserted
        ahead and left unapplied. A failure only leaves every event to be applied."""
        self._ahead = set()
        if not events:
            return
        if self._paused:
            self._paused -= 1
            return
        documents = [versioned(i, v, e, self._facts(data)) for i, v, e, data in events]
        try:
            self.collection.insert_many(documents, ordered=False)
            refused: set[int] = set()
        except BulkWriteError as error:  # each document was tried: those refused are known
            refused = {failure["index"] for failure in error.details["writeErrors"]}
        except PyMongoError:  # not known which were stored: apply them all one by one
            return
        if 2 * len(refused) > len(documents):
            self._paused = REPLAY_PAUSE - 1
        self._ahead = {e[:3] for n, e in enumerate(events) if n not in refused}

    def stored(self, doc_id: str, version: int, data: dict[str, Any]) -> Model:
        """The model as `apply` has just stored it from a whole snapshot, without reading it
        back: use it only after `apply` returned True for the same data."""
        return self._to_model({**self._facts(data), "_id": doc_id, "version": version})

    def get(self, doc_id: str) -> Model | None:
        document = self.collection.find_one({"_id": doc_id})
        return self._to_model(document) if document else None

    def list(self, query: dict[str, Any], skip: int, limit: int) -> tuple[list[Model], int]:
        cursor = self.collection.find(query).sort("_id", ASCENDING).skip(skip).limit(limit)
        found = [self._to_model(d) for d in cursor]
        return found, total_of(self.collection, query, skip, limit, len(found))

    def each(self, query: dict[str, Any], ordered: bool = True) -> Iterator[Model]:
        """Every matching document, read as the cursor advances: in id order, or else in the
        store's own order, which starts at once (FerretDB sorts only after reading it all)."""
        cursor = self.collection.find(query)
        return (self._to_model(d) for d in (cursor.sort("_id", ASCENDING) if ordered else cursor))

    def _to_model(self, document: dict[str, Any]) -> Model:
        return from_document(self.model, {**document, self.id_field: document["_id"]})

    def _facts(self, data: dict[str, Any]) -> dict[str, Any]:
        return {name: to_document(data[name]) for name in self.fields if name in data}


class AheadOf(Protocol):
    def insert_ahead(self, events: Sequence[Ahead]) -> None: ...


class InsertAhead:
    """The consumer's preparing step (`shared.consumer`) for a service's projections: given
    a batch's events with their data, each projection inserts ahead the first event of each of
    its documents, if that event is the owner's first version (one that creates the document;
    a later version finds it held, and would only cost a refusal). `tables` names, by event
    type, the projection the event is applied to and the field of its data that is the
    document's id."""

    def __init__(self, tables: Mapping[str, tuple[AheadOf, str]]) -> None:
        self.tables = tables

    def __call__(self, batch: Sequence[tuple[Event, dict[str, Any]]]) -> None:
        firsts: dict[AheadOf, dict[str, Ahead]] = {p: {} for p, _ in self.tables.values()}
        for event, data in batch:
            if event.type in self.tables:
                projection, id_field = self.tables[event.type]
                ahead = (data[id_field], data["version"], event.id, data)
                firsts[projection].setdefault(ahead[0], ahead)
        for projection, ahead_of in firsts.items():
            projection.insert_ahead([a for a in ahead_of.values() if a[1] == FIRST_VERSION])
