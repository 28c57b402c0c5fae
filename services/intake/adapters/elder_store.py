"""The register of elders in intake's own MongoDB database.

Each elder is one record of `shared.records` (the current state, its `history` and its outbox
of events not yet published, each change one write); intake writes the history lines itself,
with the actor each door names and the ID number masked.

Beside it, a key document per national ID number (`elder_keys`, `_id` the number) names the
elder, so that resolving a number is two reads by `_id` instead of a search of the register.
The number never changes, so a key is written once, just after its elder; one missing (the
process stopped in between, or a register older than the keys) is found by a search and
written then.

Each elder is counted in the tallies (tally_store), settled right after each write and again
by the relay before it clears the document's pending flag, which the write sets (the records'
`settle`): a change is never left uncounted, whatever stops in between.
"""

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database

from services.intake.adapters.tally_store import TallyStore
from services.intake.domain.elder import LAPSING_REASONS, Elder, RegisterIndex
from services.intake.domain.tallies import entry_of
from shared.audit import as_it_stood
from shared.clock import Clock
from shared.errors import Conflict, NotFound
from shared.events import Event
from shared.memory_queries import matching
from shared.mongo import insert_many_once
from shared.records import HIDDEN, HISTORY, Line, Records

COLLECTION = "elders"
KEYS = "elder_keys"
TALLIED = {
    "community": 1,
    "version": 1,
    "status": 1,
    "birth_date": 1,
    "circumstances": 1,
    "key_target_reasons": 1,
    "card": 1,
    "name": 1,
    "sex": 1,
    "national_id": 1,
}


class ElderStore:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.tallies = TallyStore(db)
        self.records = Records(db, COLLECTION, Elder, "elder", clock, settle=self.tally)
        self.elders = self.records.collection
        self.keys = db[KEYS]

    def add(self, elder: Elder, history: Line, *events: Event) -> None:
        """Insert the elder, its first history line and the events announcing it, in one write."""
        if not self.records.add(elder, *events, line=history):
            raise self._already_registered(elder.national_id)
        self._add_keys([elder])

    def add_many(self, rows: list[tuple[Elder, Line, list[Event]]]) -> set[str]:
        """Insert many new elders; returns the national IDs that were already registered."""
        skipped = self.records.add_many([(elder, events, line) for elder, line, events in rows])
        self._add_keys([elder for i, (elder, _, _) in enumerate(rows) if i not in skipped])
        return {rows[i][0].national_id for i in skipped}

    def _add_keys(self, elders: list[Elder]) -> None:
        """The key of each new elder's ID number (one already there stays as it is)."""
        insert_many_once(
            self.keys, [{"_id": e.national_id, "elder_id": e.elder_id} for e in elders]
        )

    def save(self, elder: Elder, expected_version: int, history: Line, events: list[Event]) -> None:
        """Write a change if nobody else changed the elder since `expected_version`."""
        before = replace(elder, version=expected_version)
        if not self.records.save(before, elder, *events, line=history):
            current = self.get(elder.elder_id)
            raise Conflict(
                f"the elder was changed by someone else (now at version {current.version}, "
                f"the change was made from version {expected_version}); reload and retry",
                current_version=current.version,
            )

    def settle(self, elder_ids: list[str]) -> None:
        """Count these elders in the tallies as they are now."""
        self.tally(list(self.elders.find({"_id": {"$in": elder_ids}}, TALLIED)))

    def tally(self, documents: list[dict[str, Any]]) -> None:
        """Count these elders in the tallies as their documents hold them (the TALLIED fields;
        an entry older than the one held changes nothing)."""
        self.tallies.put([(d["_id"], d["community"], entry_of(d)) for d in documents])

    def rebuild_tallies(self) -> int:
        """Count the whole register into the tallies again; safe beside ongoing writes.
        Returns how many were counted."""
        self.tallies.forget_older_shape()
        # read to the end before writing: FerretDB's SQLite backend holds the collection
        rows = [(d["_id"], d["community"], entry_of(d)) for d in self.elders.find({}, TALLIED)]
        for start in range(0, len(rows), 500):
            self.tallies.put(rows[start : start + 500])
        self.tallies.mark_built()
        return len(rows)

    def get(self, elder_id: str) -> Elder:
        elder = self.records.get(elder_id)
        if elder is None:
            raise NotFound(f"No elder with id {elder_id!r}.")
        return elder

    def history(self, elder_id: str) -> list[dict[str, Any]]:
        return self.records.history(elder_id)

    def history_lines(
        self, line_query: dict[str, Any], of: dict[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        query = {f"{HISTORY}.{field}": condition for field, condition in line_query.items()}
        for document in self.elders.find({**(of or {}), **query}, {HISTORY: 1}):
            yield from matching(document[HISTORY], line_query)

    def changed_by(self, change: str) -> int:
        return self.records.changed_by(change)

    def by_national_id(self, national_id: str) -> Elder | None:
        """The elder with this ID number: by its key, or else by a search, which writes the
        missing key (an unknown number is searched for each time)."""
        key = self.keys.find_one({"_id": national_id})
        if key is not None:
            document = self.elders.find_one({"_id": key["elder_id"]}, HIDDEN)
            if document is not None and document["national_id"] == national_id:
                return self.records.record(document)
        document = self.elders.find_one({"national_id": national_id}, HIDDEN)
        if document is None:
            return None
        elder = self.records.record(document)
        self.keys.replace_one({"_id": national_id}, {"elder_id": elder.elder_id}, upsert=True)
        return elder

    def lookalikes(self, elder: Elder) -> tuple[str, ...]:
        """Active records of the same community with the same name and birth date."""
        query = {
            "name": elder.name,
            "birth_date": elder.birth_date.isoformat(),
            "community": elder.community,
            "status": "active",
        }
        return tuple(d["_id"] for d in self.elders.find(query, {"_id": 1}))

    def index(self) -> RegisterIndex:
        """The ID numbers and lookalike keys of the whole register, in one pass."""
        index = RegisterIndex()
        fields = {"national_id": 1, "name": 1, "birth_date": 1, "community": 1, "status": 1}
        for d in self.elders.find({}, fields):
            index.national_ids.add(d["national_id"])
            if d["status"] == "active":
                key = (d["name"], d["birth_date"], d["community"])
                index.lookalikes.setdefault(key, []).append(d["_id"])
        return index

    def search(self, query: dict[str, Any], skip: int, limit: int) -> tuple[list[Elder], int]:
        """A page of the matching elders, and how many match. A filter on anything but `_id`
        reads the whole register on FerretDB, so it is read once, for the ids of every match;
        the page's records are then read by `_id`."""
        ids = [d["_id"] for d in self.elders.find(query, {"_id": 1}).sort("_id", ASCENDING)]
        page = ids[skip : skip + limit]
        found = (
            {d["_id"]: d for d in self.elders.find({"_id": {"$in": page}}, HIDDEN)} if page else {}
        )
        return [self.records.record(found[i]) for i in page if i in found], len(ids)

    def after(
        self, query: dict[str, Any], after: str | None, before: str | None, limit: int
    ) -> list[Elder]:
        """Up to `limit` matching elders in the order of `_id` (the primary index): those
        after the id `after`, or the last ones before the id `before`, or the first ones."""
        if before is not None:
            bounded = {**query, "_id": {"$lt": before}}
            found = self.elders.find(bounded, HIDDEN).sort("_id", DESCENDING).limit(limit)
            return [self.records.record(d) for d in reversed(list(found))]
        bounded = {**query, "_id": {"$gt": after}} if after is not None else query
        found = self.elders.find(bounded, HIDDEN).sort("_id", ASCENDING).limit(limit)
        return [self.records.record(d) for d in found]

    def by_ids(self, elder_ids: list[str]) -> list[Elder]:
        """These elders, in the order given (ids not in the register left out)."""
        if not elder_ids:
            return []
        found = {d["_id"]: d for d in self.elders.find({"_id": {"$in": elder_ids}}, HIDDEN)}
        return [self.records.record(found[i]) for i in elder_ids if i in found]

    def count(self, query: dict[str, Any]) -> int:
        return self.elders.count_documents(query)

    def with_lapsed_assessments(self, today: date) -> list[str]:
        """Active elders still listed for a reason their assessment gave, though it lapsed."""
        query = {
            "status": "active",
            "assessment.valid_until": {"$lt": today.isoformat()},
            "key_target_reasons": {"$in": list(LAPSING_REASONS)},
        }
        return [d["_id"] for d in self.elders.find(query, {"_id": 1})]

    def scan(self, query: dict[str, Any], fields: list[str]) -> Iterator[dict[str, Any]]:
        """Just the named fields of every matching elder, for statistics."""
        return self.elders.find(query, dict.fromkeys(fields, 1))

    def scan_as_of(
        self, query: dict[str, Any], fields: list[str], moment: datetime
    ) -> Iterator[dict[str, Any]]:
        wanted = dict.fromkeys([*fields, *query, HISTORY], 1)
        for document in self.elders.find({}, wanted):
            state = as_it_stood(document, document.pop(HISTORY, []), moment)
            if state is not None and matching([state], query):
                yield {"_id": state["_id"], **{f: state.get(f) for f in fields}}

    def _already_registered(self, national_id: str) -> Conflict:
        return already_registered(self.by_national_id(national_id))


def already_registered(existing: Elder | None) -> Conflict:
    """The answer to registering an ID number the register holds: `existing` its record
    (None if the collision was on the generated id, not the number)."""
    if existing is None:
        return Conflict("The record could not be stored; retry.")
    if existing.status == "moved_out":
        return Conflict(
            f"This person is registered and moved out of the district on "
            f"{existing.moved_out_on}; if they came back, re-activate the record with "
            f"POST /elders/{existing.elder_id}/return instead of registering them again.",
            existing_elder_id=existing.elder_id,
            existing=f"/elders/{existing.elder_id}",
        )
    return Conflict(
        "An elder with this national ID number is already registered.",
        existing_elder_id=existing.elder_id,
        existing=f"/elders/{existing.elder_id}",
    )
