"""A service's configuration: one document, changed by compare-and-set, keeping its history
as records do (`shared.records`)."""

from typing import Any, Generic, Protocol, TypeVar

from pymongo.database import Database

from shared.audit import change_line
from shared.clock import Clock
from shared.documents import from_document, to_document
from shared.errors import Conflict
from shared.mongo import insert_once
from shared.records import HIDDEN, HISTORY


class Versioned(Protocol):
    @property
    def version(self) -> int: ...


Config = TypeVar("Config", bound=Versioned)
COLLECTION = "config"


class Configuration(Generic[Config]):
    """`model` is a dataclass with a `version` (0 until first saved) whose defaults are the
    configuration before anyone changed it."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        doc_id: str,
        model: type[Config],
        what: str,
        collection: str = COLLECTION,
    ) -> None:
        self.collection = db[collection]
        self.clock = clock
        self.doc_id = doc_id
        self.model = model
        self.what = what  # how it is called in messages to users

    def get(self) -> Config:
        document = self.collection.find_one({"_id": self.doc_id}, HIDDEN)
        return from_document(self.model, document) if document else self.model()

    def history(self) -> list[dict[str, Any]]:
        """Every change to the configuration, newest first: when, by whom, before and after."""
        document = self.collection.find_one({"_id": self.doc_id}, {HISTORY: 1})
        return list(reversed(document.get(HISTORY, []))) if document else []

    def save(self, before: Config, after: Config, change: str) -> None:
        """Store the configuration unless someone changed it since `before`, with the
        change's history line."""
        line = change_line(self.clock.now(), change, before, after)
        document = {**to_document(after), "_id": self.doc_id}
        stored = before.version == 0 and insert_once(self.collection, {**document, HISTORY: [line]})
        if not stored:
            # at version 0, a document is there only if stored before it had a version
            version = before.version or {"$exists": False}
            result = self.collection.update_one(
                {"_id": self.doc_id, "version": version},
                {"$set": document, "$push": {HISTORY: line}},
            )
            stored = result.matched_count == 1
        if not stored:
            raise Conflict(
                f"the {self.what} was changed meanwhile; reload it and retry",
                current_version=self.get().version,
            )
