"""A service's own copy of facts another service owns, kept current from its events."""

import dataclasses
from collections.abc import Iterator
from typing import Any, Generic, TypeVar

from pymongo import ASCENDING
from pymongo.database import Database

from shared.documents import from_document, to_document
from shared.mongo import apply_versioned, total_of

Model = TypeVar("Model")


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

    def apply(self, doc_id: str, version: int, event_id: str, data: dict[str, Any]) -> bool:
        """Store the event's facts unless this version, or a newer one, is already held."""
        facts = {name: to_document(data[name]) for name in self.fields if name in data}
        return apply_versioned(self.collection, doc_id, version, event_id, facts)

    def stored(self, doc_id: str, version: int, data: dict[str, Any]) -> Model:
        """The model as `apply` has just stored it from a whole snapshot, without reading it
        back: use it only after `apply` returned True for the same data."""
        facts = {name: to_document(data[name]) for name in self.fields if name in data}
        return self._to_model({**facts, "_id": doc_id, "version": version})

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
