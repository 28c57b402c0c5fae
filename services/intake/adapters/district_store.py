"""The district's configuration, with the history of its changes, and its card-number
counters, in intake's database."""

from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database

from services.intake.domain.district import CardCategory, Community, District
from shared.audit import change_line
from shared.clock import Clock
from shared.documents import from_document, to_document
from shared.records import HISTORY

COLLECTION = "district"  # one document: the configuration, with its history
COUNTERS = "counters"  # the sequences that number the cards
CONFIG_ID = "district"


class DistrictStore:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.config = db[COLLECTION]
        self.counters = db[COUNTERS]
        self.clock = clock

    def get(self) -> District:
        document = self.config.find_one({"_id": CONFIG_ID}, {HISTORY: 0})
        return from_document(District, document) if document else District()

    def history(self) -> list[dict[str, Any]]:
        """Every change to the configuration: when, by whom, from where, before and after."""
        document = self.config.find_one({"_id": CONFIG_ID}, {HISTORY: 1})
        return list(reversed(document.get(HISTORY, []))) if document else []

    def set_communities(self, communities: list[Community]) -> District:
        return self._set("district.communities_set", communities=communities)

    def set_card_categories(self, categories: list[CardCategory]) -> District:
        return self._set("district.card_categories_set", card_categories=categories)

    def reorganise(self, after: District) -> District:
        return self._set(
            "district.reorganised", communities=list(after.communities), retired=list(after.retired)
        )

    def _set(self, change: str, **fields: list[Any]) -> District:
        """Replace whole fields (the last writer wins), with the change's history line."""
        values = {name: [to_document(v) for v in items] for name, items in fields.items()}
        before = self.get()
        after = from_document(District, {**to_document(before), **values})
        defaults = to_document(District())
        for name in fields:
            defaults.pop(name)
        line = change_line(self.clock.now(), change, before, after)
        self.config.update_one(
            {"_id": CONFIG_ID},
            {"$set": values, "$setOnInsert": defaults, "$push": {HISTORY: line}},
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
        assert document is not None  # upserted
        return int(document["value"])
