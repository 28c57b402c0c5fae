"""The district's visits configuration: one document, changed by compare-and-set."""

from pymongo.database import Database

from services.visits.domain.config import VisitsConfig
from shared.documents import from_document, to_document
from shared.errors import Conflict
from shared.mongo import insert_once

CONFIG_ID = "visits"


class ConfigStore:
    def __init__(self, db: Database) -> None:
        self.collection = db["config"]

    def get(self) -> VisitsConfig:
        document = self.collection.find_one({"_id": CONFIG_ID})
        return from_document(VisitsConfig, document) if document else VisitsConfig()

    def save(self, config: VisitsConfig, expected_version: int) -> None:
        """Store the new configuration unless someone changed it since `expected_version`."""
        document = {**to_document(config), "_id": CONFIG_ID}
        if expected_version == 0:
            stored = insert_once(self.collection, document)
        else:
            result = self.collection.update_one(
                {"_id": CONFIG_ID, "version": expected_version}, {"$set": document}
            )
            stored = result.matched_count == 1
        if not stored:
            raise Conflict("the configuration was changed meanwhile; reload and retry")
