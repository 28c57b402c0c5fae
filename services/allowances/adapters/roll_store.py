"""Frozen rolls: one document per elder and cycle (`<cycle id>:<elder id>`), written once in
batches, so that opening a cycle again after an interruption only adds the missing lines."""

from collections.abc import Iterable, Iterator
from typing import Any

from pymongo import ASCENDING
from pymongo.database import Database

from services.allowances.domain.roll import RollLine, line_id
from shared.documents import from_document, to_document
from shared.mongo import insert_many_once, insert_once, total_of

COLLECTION = "roll_lines"
STOPS = "roll_stops"  # elders whose payment stopped while a roll was being written
IN_BATCHES_OF = 1000


class RollStore:
    def __init__(self, db: Database) -> None:
        self.collection = db[COLLECTION]
        self.stops = db[STOPS]

    def note_stop(self, cycle_id: str, elder_id: str) -> None:
        """The elder's payment stopped while the cycle's roll was being written."""
        insert_once(
            self.stops,
            {"_id": line_id(cycle_id, elder_id), "cycle_id": cycle_id, "elder_id": elder_id},
        )

    def stops_noted(self, cycle_id: str) -> list[str]:
        return sorted(d["elder_id"] for d in self.stops.find({"cycle_id": cycle_id}))

    def add(self, lines: Iterable[RollLine]) -> bool:
        """Store lines not stored yet; True if none was there already."""
        return not insert_many_once(self.collection, [line_document(line) for line in lines])

    def get(self, line_id: str) -> RollLine | None:
        document = self.collection.find_one({"_id": line_id})
        return stored_line(document) if document else None

    def find(self, query: dict[str, Any], skip: int, limit: int) -> tuple[list[RollLine], int]:
        cursor = self.collection.find(query).sort("_id", ASCENDING).skip(skip).limit(limit)
        found = [stored_line(d) for d in cursor]
        return found, total_of(self.collection, query, skip, limit, len(found))

    def each_of_cycle(self, cycle_id: str) -> Iterator[RollLine]:
        cursor = self.collection.find({"cycle_id": cycle_id}).sort("_id", ASCENDING)
        cursor = cursor.batch_size(IN_BATCHES_OF)
        return (stored_line(d) for d in cursor)

    def of_elders(self, programme: str, elder_ids: list[str]) -> dict[str, list[RollLine]]:
        found: dict[str, list[RollLine]] = {elder_id: [] for elder_id in elder_ids}
        query = {"programme": programme, "elder_id": {"$in": elder_ids}}
        for document in self.collection.find(query):
            found[document["elder_id"]].append(stored_line(document))
        return found

    def of_elder(self, elder_id: str, programmes: Iterable[str] | None = None) -> list[RollLine]:
        query: dict[str, Any] = {"elder_id": elder_id}
        if programmes is not None:
            query["programme"] = {"$in": list(programmes)}
        return sorted(
            (stored_line(d) for d in self.collection.find(query)),
            key=lambda line: (line.month, line.cycle_id),
        )


def line_document(line: RollLine) -> dict[str, Any]:
    stored = to_document(line)
    del stored["computed"]  # only ever true of a line worked out when asked, never stored
    return {
        **stored,
        "_id": line.line_id,
        "amount_fen": line.amount_fen,
        "refs": list(line.refs),
        "has_refs": bool(line.refs),
    }


def stored_line(document: dict[str, Any]) -> RollLine:
    return from_document(RollLine, document)
