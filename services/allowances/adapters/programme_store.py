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
from shared.audit import change_line
from shared.clock import Clock
from shared.documents import from_document, to_document
from shared.errors import Conflict
from shared.mongo import insert_once
from shared.records import HIDDEN, HISTORY

CONFIG_ID = "programmes"


class ProgrammeStore:
    """The configuration document keeps its history as records do (`shared.records`)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.collection = db["config"]
        self.clock = clock

    def get(self) -> Programmes:
        document = self.collection.find_one({"_id": CONFIG_ID}, HIDDEN)
        return from_document(Programmes, document) if document else Programmes()

    def save(self, before: Programmes, after: Programmes, change: str) -> None:
        """Store the configuration unless someone changed it since `before`, with the
        change's history line."""
        line = change_line(self.clock.now(), change, before, after)
        document = {**to_document(after), "_id": CONFIG_ID}
        if before.version == 0:
            stored = insert_once(self.collection, {**document, HISTORY: [line]})
        else:
            result = self.collection.update_one(
                {"_id": CONFIG_ID, "version": before.version},
                {"$set": document, "$push": {HISTORY: line}},
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
