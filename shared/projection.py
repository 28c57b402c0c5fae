"""A service's own copy of facts another service owns, kept current from its events."""

from collections.abc import Callable
from datetime import date
from typing import Any, Generic, TypeVar

from pymongo import ASCENDING
from pymongo.database import Database

from shared.mongo import apply_versioned

Model = TypeVar("Model")


class Projection(Generic[Model]):
    """Documents keyed by the owner's id, each at the owner's version; updates never go back."""

    def __init__(
        self,
        db: Database,
        collection: str,
        fields: tuple[str, ...],
        to_model: Callable[[dict[str, Any]], Model],
    ) -> None:
        self.collection = db[collection]
        self.fields = fields
        self.to_model = to_model

    def create_indexes(self, *keys: str) -> None:
        for key in keys:
            self.collection.create_index([(key, ASCENDING)])

    def apply(
        self, doc_id: str, version: int, event_id: str, data: dict[str, Any], **extra: Any
    ) -> bool:
        """Store the event's facts (dates as ISO strings) unless this version is known."""
        facts = {name: _storable(data[name]) for name in self.fields if name in data}
        return apply_versioned(
            self.collection, doc_id, version, event_id, {"$set": {**facts, **extra}}
        )

    def get(self, doc_id: str) -> Model | None:
        document = self.collection.find_one({"_id": doc_id})
        return self.to_model(document) if document else None

    def list(self, query: dict[str, Any], skip: int, limit: int) -> tuple[list[Model], int]:
        cursor = self.collection.find(query).sort("_id", ASCENDING).skip(skip).limit(limit)
        return [self.to_model(d) for d in cursor], self.collection.count_documents(query)


def _storable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
