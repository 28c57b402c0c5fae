"""Allowances' projection of elders in its own MongoDB database."""

from pymongo.database import Database

from services.allowances.domain.elder import Elder
from shared.projection import Projection


def elder_projection(db: Database) -> Projection[Elder]:
    projection = Projection(db, "elders", Elder)
    projection.create_indexes("community", "birth_date", "status")
    return projection
