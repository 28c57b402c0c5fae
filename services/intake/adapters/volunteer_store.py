"""Volunteers in intake's own MongoDB database."""

from typing import Any

from pymongo import ASCENDING
from pymongo.database import Database

from services.intake.domain.volunteer import Volunteer
from shared.documents import from_document, to_document
from shared.events import Event
from shared.mongo import total_of
from shared.outbox import OUTBOX, hint, with_events

COLLECTION = "volunteers"


class VolunteerStore:
    def __init__(self, db: Database) -> None:
        self.volunteers = db[COLLECTION]

    def add(self, volunteer: Volunteer, *events: Event) -> None:
        document = to_document(volunteer)
        document["_id"] = document.pop("volunteer_id")
        self.volunteers.insert_one(with_events(document, *events))
        hint(self.volunteers, [document["_id"]])

    def list(self, query: dict[str, Any], skip: int, limit: int) -> tuple[list[Volunteer], int]:
        cursor = (
            self.volunteers.find(query, {OUTBOX: 0}).sort("_id", ASCENDING).skip(skip).limit(limit)
        )
        found = [from_document(Volunteer, {**d, "volunteer_id": d["_id"]}) for d in cursor]
        return found, total_of(self.volunteers, query, skip, limit, len(found))
