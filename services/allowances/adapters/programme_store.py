"""The district's programme configuration (one document, changed by compare-and-set), and the
snapshot of it each cycle keeps so that its roll can always be explained."""

from typing import Any

from pymongo.database import Database

from services.allowances.domain.programmes import (
    HIGH_AGE,
    CycleRules,
    FestivalCampaign,
    HighAgeProgramme,
    Programme,
    Programmes,
    VoucherProgramme,
    campaign_id_of,
)
from shared.documents import from_document, to_document
from shared.errors import Conflict
from shared.mongo import insert_once

CONFIG_ID = "programmes"


class ProgrammeStore:
    def __init__(self, db: Database) -> None:
        self.collection = db["config"]

    def get(self) -> Programmes:
        document = self.collection.find_one({"_id": CONFIG_ID})
        return from_document(Programmes, document) if document else Programmes()

    def save(self, programmes: Programmes, expected_version: int) -> None:
        """Store the configuration unless someone changed it since `expected_version`."""
        document = {**to_document(programmes), "_id": CONFIG_ID}
        if expected_version == 0:
            stored = insert_once(self.collection, document)
        else:
            result = self.collection.update_one(
                {"_id": CONFIG_ID, "version": expected_version}, {"$set": document}
            )
            stored = result.matched_count == 1
        if not stored:
            raise Conflict(
                "the programme configuration was changed meanwhile; reload it and retry",
                current_version=self.get().version,
            )


def rules_snapshot(programme: Programme, stops: str) -> dict[str, Any]:
    return {"config": to_document(programme), "stops": stops}


def rules_of(code: str, snapshot: dict[str, Any]) -> CycleRules:
    kind: type[Programme]
    if campaign_id_of(code) is not None:
        kind = FestivalCampaign
    elif code == HIGH_AGE:
        kind = HighAgeProgramme
    else:
        kind = VoucherProgramme
    return CycleRules(from_document(kind, snapshot["config"]), snapshot["stops"])
