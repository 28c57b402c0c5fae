"""Each elder's standing per programme (`<programme>:<elder id>`), which carries the events
announcing its changes: granted, band changed, suspended."""

from collections.abc import Sequence
from typing import Any

from pymongo import ASCENDING
from pymongo.database import Database

from services.allowances.domain.entitlements import Entitlement
from shared.changes import Change
from shared.documents import from_document, to_document
from shared.events import Event
from shared.mongo import insert_many_once
from shared.outbox import OUTBOX, hint, push_events, with_events

COLLECTION = "entitlements"


class EntitlementStore:
    def __init__(self, db: Database) -> None:
        self.collection = db[COLLECTION]

    def of_programme(self, programme: str) -> dict[str, Entitlement]:
        found = self.collection.find({"programme": programme}, {OUTBOX: 0})
        return {d["elder_id"]: stored_entitlement(d) for d in found}

    def of_elder(self, elder_id: str) -> list[Entitlement]:
        found = self.collection.find({"elder_id": elder_id}, {OUTBOX: 0}).sort("_id", ASCENDING)
        return [stored_entitlement(d) for d in found]

    def apply(
        self,
        changes: Sequence[tuple[Change[Entitlement], Sequence[Event]]],
        held: list[str] | None = None,
    ) -> bool:
        """Store changes with their events: new entitlements in one batch, the others each by
        compare-and-set, so that a change decided on stale standing is dropped. True if any
        was stored. With `held`, the relay is not told of the events yet: their ids are added
        to it, for `release` once the caller's larger work is stored (a roll, whose writes
        would otherwise wait on the relay's); if that never comes, the relay's sweep finds
        them by their pending flag."""
        new = [
            with_events(entitlement_document(c.after), *events)
            for c, events in changes
            if c.after.version == 1
        ]
        skipped = set(insert_many_once(self.collection, new))
        stored = bool(new) and not skipped
        hinted = [d["_id"] for i, d in enumerate(new) if i not in skipped]
        for change, events in changes:
            if change.after.version > 1:
                document = entitlement_document(change.after)
                entitlement_id = document.pop("_id")
                result = self.collection.update_one(
                    {"_id": entitlement_id, "version": change.after.version - 1},
                    push_events({"$set": document}, *events),
                )
                if result.modified_count == 1:
                    stored = True
                    hinted.append(entitlement_id)
        if held is None:
            hint(self.collection, hinted)
        else:
            held.extend(hinted)
        return stored

    def release(self, held: list[str]) -> None:
        """Tell the relay of the events `apply` held."""
        hint(self.collection, held)


def entitlement_document(entitlement: Entitlement) -> dict[str, Any]:
    return {**to_document(entitlement), "_id": entitlement.entitlement_id}


def stored_entitlement(document: dict[str, Any]) -> Entitlement:
    return from_document(Entitlement, document)
