"""Visits' projection of elders in its own MongoDB database."""

from datetime import date
from typing import Any

from pymongo.database import Database

from services.visits.domain.elder import Elder
from shared.projection import Projection

FIELDS = ("name", "sex", "birth_date", "community", "address", "phone", "status")


def elder_projection(db: Database) -> Projection[Elder]:
    projection = Projection(db, "elders", FIELDS, _to_elder)
    projection.create_indexes("community")
    return projection


def _to_elder(document: dict[str, Any]) -> Elder:
    return Elder(
        elder_id=document["_id"],
        birth_date=date.fromisoformat(document["birth_date"]),
        version=document["version"],
        **{name: document.get(name) for name in FIELDS if name != "birth_date"},
    )
