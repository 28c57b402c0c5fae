"""Where to find a household without reading them all: by an elder who lives there, by its
household number (户号) or by its normalised address in a community.

Each key is a document of its own, named by its `_id`, so that a lookup is a read by id, which
the store answers from its index (a query on a household's members or address would read every
household). A key is written before the household it points to, and every lookup checks the
household it finds: a key left by a write that did not happen, or by an elder who left, finds
nothing.
"""

from collections.abc import Iterable
from typing import Any

from pymongo import UpdateOne
from pymongo.database import Database

from shared.mongo import insert_many_once

COLLECTION = "household_keys"
# Few keys are read one by one; more in one query, which reads the whole collection once
ONE_BY_ONE = 8


REVISION = "#revision"  # raised at every write of a household: what was counted is current


class HouseholdKeys:
    def __init__(self, db: Database) -> None:
        self.keys = db[COLLECTION]
        # what readers work out from all the households, by the revision it was read at
        self.derived: dict[int, Any] = {}

    def revision(self) -> int:
        found = self.keys.find_one({"_id": REVISION})
        return int(found["n"]) if found else 0

    def changed(self) -> None:
        """Households were written: figures worked out before are not current any more. Raised
        after the write, so that a reader who saw the old revision read the old households."""
        self.keys.update_one({"_id": REVISION}, {"$inc": {"n": 1}}, upsert=True)

    def point(self, pointers: Iterable[tuple[str, str]]) -> None:
        """Each key (an elder's, an address's, a number's) to point at its household too: the
        new keys in one insert (a survey's are nearly all new), the others added to."""
        pointing: dict[str, list[str]] = {}
        for key, household in pointers:
            pointing.setdefault(key, []).append(household)
        documents = [{"_id": key, "households": ids} for key, ids in pointing.items()]
        known = insert_many_once(self.keys, documents)
        writes = [
            UpdateOne(
                {"_id": documents[n]["_id"]},
                {"$addToSet": {"households": {"$each": documents[n]["households"]}}},
            )
            for n in known
        ]
        if writes:
            self.keys.bulk_write(writes, ordered=False)

    def lookup(self, keys: list[str]) -> dict[str, list[str]]:
        """The households each key points at (none for a key never written)."""
        if len(keys) <= ONE_BY_ONE:
            found = (self.keys.find_one({"_id": key}) for key in keys)
            documents = [d for d in found if d is not None]
        else:
            documents = list(self.keys.find({"_id": {"$in": keys}}))
        return {d["_id"]: list(d.get("households", [])) for d in documents}
