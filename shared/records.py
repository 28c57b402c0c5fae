"""A service's records in its own MongoDB database: one dataclass, one collection.

A record is created once, with an `_id` derived from its cause, in the same write as the
events announcing it; every later change is a compare-and-set on its `version`, again in the
same write as its events.
"""

import dataclasses
from collections.abc import Iterator, Sequence
from typing import Any, Generic, TypeVar

from pymongo import ASCENDING
from pymongo.database import Database

from shared.documents import from_document, to_document
from shared.errors import NotFound
from shared.events import Event
from shared.mongo import insert_once
from shared.outbox import OUTBOX, hint, push_events, with_events

Record = TypeVar("Record")
Sort = list[tuple[str, int]]


class Records(Generic[Record]):
    """`model` is a dataclass whose first field is the record's id and which has a `version`."""

    def __init__(self, db: Database, name: str, model: type[Record], what: str) -> None:
        self.name = name
        self.collection = db[name]
        self.model = model
        self.what = what  # how the record is called in messages to users
        self.id_field = dataclasses.fields(model)[0].name  # type: ignore[arg-type]

    def create_indexes(self, *keys: Sequence[str]) -> None:
        for key in keys:
            self.collection.create_index([(name, ASCENDING) for name in key])

    def add(self, record: Record, *events: Event) -> bool:
        """Store a new record and its events; False if a record with its id already exists."""
        document = with_events(self.document(record), *events)
        stored = insert_once(self.collection, document)
        if stored and events:
            hint(self.collection, [document["_id"]])
        return stored

    def save(self, record: Record, expected_version: int, *events: Event) -> bool:
        """Store a change unless the record moved on from `expected_version` meanwhile."""
        document = self.document(record)
        record_id = document.pop("_id")
        update: dict[str, Any] = {"$set": document}
        result = self.collection.update_one(
            {"_id": record_id, "version": expected_version},
            push_events(update, *events) if events else update,
        )
        if result.matched_count == 1 and events:
            hint(self.collection, [record_id])
        return result.matched_count == 1

    def get(self, record_id: str) -> Record | None:
        document = self.collection.find_one({"_id": record_id}, {OUTBOX: 0})
        return self.record(document) if document else None

    def require(self, record_id: str) -> Record:
        record = self.get(record_id)
        if record is None:
            raise NotFound(f"No {self.what} with id {record_id!r}.", **{self.id_field: record_id})
        return record

    def find(
        self, query: dict[str, Any], sort: Sort, skip: int, limit: int
    ) -> tuple[list[Record], int]:
        cursor = self.collection.find(query, {OUTBOX: 0}).sort(sort).skip(skip).limit(limit)
        return [self.record(d) for d in cursor], self.collection.count_documents(query)

    def each(self, query: dict[str, Any], sort: Sort | None = None) -> Iterator[Record]:
        cursor = self.collection.find(query, {OUTBOX: 0}).sort(sort or [("_id", ASCENDING)])
        return (self.record(d) for d in cursor)

    def document(self, record: Record) -> dict[str, Any]:
        document = to_document(record)
        document["_id"] = document.pop(self.id_field)
        return document

    def record(self, document: dict[str, Any]) -> Record:
        return from_document(self.model, {**document, self.id_field: document["_id"]})
