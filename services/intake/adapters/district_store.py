"""The district's configuration and its card-number counters, in intake's database."""

from pymongo import ReturnDocument
from pymongo.database import Database

from services.intake.domain.district import CardCategory, Community, District
from shared.documents import from_document, to_document

CONFIG_ID = "district"


class DistrictStore:
    def __init__(self, db: Database) -> None:
        self.config = db["district"]
        self.counters = db["counters"]

    def get(self) -> District:
        document = self.config.find_one({"_id": CONFIG_ID})
        return from_document(District, document) if document else District()

    def set_communities(self, communities: list[Community]) -> District:
        return self._set(communities=[to_document(c) for c in communities])

    def set_card_categories(self, categories: list[CardCategory]) -> District:
        return self._set(card_categories=[to_document(c) for c in categories])

    def _set(self, **fields: object) -> District:
        defaults = to_document(District())
        for name in fields:
            defaults.pop(name)
        self.config.update_one(
            {"_id": CONFIG_ID},
            {"$set": fields, "$setOnInsert": defaults},
            upsert=True,
        )
        return self.get()

    def next_number(self, counter: str) -> int:
        """The next number of a sequence; numbers are never reused, gaps are possible."""
        document = self.counters.find_one_and_update(
            {"_id": counter},
            {"$inc": {"value": 1}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        return int(document["value"])
