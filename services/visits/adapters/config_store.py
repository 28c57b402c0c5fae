"""The district's visits configuration: one document, changed by compare-and-set."""

from pymongo.database import Database

from services.visits.domain.config import VisitsConfig
from shared.audit import change_line
from shared.clock import Clock
from shared.documents import from_document, to_document
from shared.errors import Conflict
from shared.mongo import insert_once
from shared.records import HIDDEN, HISTORY

CONFIG_ID = "visits"


class ConfigStore:
    """The configuration document keeps its history as records do (`shared.records`)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.collection = db["config"]
        self.clock = clock

    def get(self) -> VisitsConfig:
        document = self.collection.find_one({"_id": CONFIG_ID}, HIDDEN)
        return from_document(VisitsConfig, document) if document else VisitsConfig()

    def save(self, before: VisitsConfig, after: VisitsConfig, change: str) -> None:
        """Store the configuration unless someone changed it since `before`, with the
        change's history line."""
        line = change_line(self.clock.now(), change, before, after)
        document = {**to_document(after), "_id": CONFIG_ID}
        if before.version == 0:
            stored = insert_once(self.collection, {**document, HISTORY: [line]})
        else:
            result = self.collection.update_one(
                {"_id": CONFIG_ID, "version": before.version},
                {"$set": document, "$push": {HISTORY: line}},
            )
            stored = result.matched_count == 1
        if not stored:
            raise Conflict("the configuration was changed meanwhile; reload and retry")
