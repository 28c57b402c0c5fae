"""The register of elders in intake's own MongoDB database."""

from dataclasses import asdict
from datetime import date
from typing import Any

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from services.intake.domain.elder import Circumstances, Elder
from shared.errors import Conflict
from shared.events import Event
from shared.outbox import OUTBOX, with_events

COLLECTION = "elders"
HIDDEN = {OUTBOX: 0}


class ElderStore:
    def __init__(self, db: Database) -> None:
        self.elders = db[COLLECTION]

    def create_indexes(self) -> None:
        self.elders.create_index([("national_id", ASCENDING)], unique=True, name="national_id")
        self.elders.create_index([("community", ASCENDING), ("name", ASCENDING)])

    def add(self, elder: Elder, *events: Event) -> None:
        """Insert the elder and the events announcing it in one write."""
        try:
            self.elders.insert_one(with_events(_to_document(elder), *events))
        except DuplicateKeyError:
            existing = self.elders.find_one({"national_id": elder.national_id}, {"_id": 1})
            if existing is None:  # the collision was on _id, not the ID number
                raise
            raise Conflict(
                "An elder with this national ID number is already registered.",
                existing_elder_id=existing["_id"],
                existing=f"/elders/{existing['_id']}",
            ) from None

    def get(self, elder_id: str) -> Elder | None:
        document = self.elders.find_one({"_id": elder_id}, HIDDEN)
        return _from_document(document) if document else None

    def list(self, community: str | None, skip: int, limit: int) -> tuple[list[Elder], int]:
        query = {"community": community} if community else {}
        cursor = self.elders.find(query, HIDDEN).sort("_id", ASCENDING).skip(skip).limit(limit)
        return [_from_document(d) for d in cursor], self.elders.count_documents(query)


DATES = ("birth_date", "died_on", "moved_out_on")


def _to_document(elder: Elder) -> dict[str, Any]:
    document = asdict(elder)
    document["_id"] = document.pop("elder_id")
    document["key_target_reasons"] = list(elder.key_target_reasons)
    for name in DATES:
        document[name] = document[name] and document[name].isoformat()
    return document


def _from_document(document: dict[str, Any]) -> Elder:
    fields = {**document, "elder_id": document["_id"]}
    del fields["_id"]
    for name in DATES:
        fields[name] = fields.get(name) and date.fromisoformat(fields[name])
    fields["circumstances"] = Circumstances(**document["circumstances"])
    fields["key_target_reasons"] = tuple(document["key_target_reasons"])
    return Elder(**fields)
