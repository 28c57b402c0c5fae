"""The sequences that number the cards (elder cards per category, priority cards), in intake's
database: a number is never reused; a change refused after taking one leaves a gap."""

from pymongo import ReturnDocument
from pymongo.database import Database

COLLECTION = "counters"


class CardSequences:
    def __init__(self, db: Database) -> None:
        self.counters = db[COLLECTION]

    def next_number(self, sequence: str) -> int:
        document = self.counters.find_one_and_update(
            {"_id": sequence},
            {"$inc": {"value": 1}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert document is not None  # upserted
        return int(document["value"])
