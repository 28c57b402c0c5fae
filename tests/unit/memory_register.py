"""Intake's register of elders in memory (`services.intake.service_layer.stores.ElderRegister`):
documents as the MongoDB register writes them (`shared.documents`), read by the in-memory query
language of `shared.memory_queries`, so that a use case's queries read the same here.

Every write settles the elder into the tallies, as the real register does. They count as
built once `rebuild_tallies` has run, as the service does at start; until then lists and
statistics are answered by the register's own queries."""

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from services.intake.adapters.elder_store import already_registered
from services.intake.domain.elder import LAPSING_REASONS, Elder, RegisterIndex
from services.intake.domain.tallies import Entry, Row, entry_of, newer
from shared.audit import as_it_stood
from shared.documents import from_document, to_document
from shared.errors import Conflict, NotFound
from shared.events import Event
from shared.memory_queries import matching, sorted_by
from shared.records import Line


class MemoryTallies:
    """The tallies in memory: an entry per elder, replaced only by a newer version, and a rev
    per community raised by every settling that touched it. Built once `rebuild_tallies` has
    counted the whole register; until then lists and statistics fall back on the register's
    queries, as on a store whose tallies are still being built."""

    def __init__(self) -> None:
        self.derived: dict[tuple[str, int | None, Any], Any] = {}
        self.entries: dict[str, tuple[str, Entry]] = {}  # elder id -> (community, entry)
        self.revs: dict[str, int] = {}
        self._built = False

    def built(self) -> bool:
        return self._built

    def mark_built(self) -> None:
        self._built = True

    def current(self, community: str | None = None) -> dict[str, dict[str, Entry]]:
        found: dict[str, dict[str, Entry]] = {
            c: {} for c in self.revs if community is None or c == community
        }
        for elder_id, (held_in, entry) in self.entries.items():
            if held_in in found:
                found[held_in][elder_id] = entry
        return found

    def rev(self, community: str) -> int | None:
        return self.revs.get(community)

    def put(self, rows: list[Row]) -> None:
        held = {i: self.entries[i] for i, _, _ in rows if i in self.entries}
        writing = newer({i: e["v"] for i, (_, e) in held.items()}, {i: e for i, _, e in rows})
        for elder_id, community, entry in rows:
            if elder_id in writing:
                self.entries[elder_id] = (community, entry)
        for community in {c for _, c, _ in rows} | {c for c, _ in held.values()}:
            self.revs[community] = self.revs.get(community, 0) + 1


class MemoryRegister:
    def __init__(self) -> None:
        self.documents: dict[str, dict[str, Any]] = {}
        self.histories: dict[str, list[Line]] = {}
        self.announced: list[Event] = []
        self._tallies = MemoryTallies()

    @property
    def tallies(self) -> MemoryTallies:
        return self._tallies

    def add(self, elder: Elder, history: Line, *events: Event) -> None:
        if elder.elder_id in self.documents:
            raise already_registered(None)
        if self.by_national_id(elder.national_id) is not None:
            raise already_registered(self.by_national_id(elder.national_id))
        self._write(elder, history, list(events))

    def add_many(self, rows: list[tuple[Elder, Line, list[Event]]]) -> set[str]:
        skipped = set()
        for elder, line, events in rows:
            try:
                self.add(elder, line, *events)
            except Conflict:
                skipped.add(elder.national_id)
        return skipped

    def save(self, elder: Elder, expected_version: int, history: Line, events: list[Event]) -> None:
        current = self.get(elder.elder_id)
        if current.version != expected_version:
            raise Conflict(
                f"the elder was changed by someone else (now at version {current.version})",
                current_version=current.version,
            )
        self._write(elder, history, events)

    def settle(self, elder_ids: list[str]) -> None:
        self.tally([self.documents[i] for i in elder_ids if i in self.documents])

    def tally(self, documents: list[dict[str, Any]]) -> None:
        self._tallies.put([(d["_id"], d["community"], entry_of(d)) for d in documents])

    def forget_tallies(self) -> None:
        """Tallies not yet built, as on a store being counted into them."""
        self._tallies = MemoryTallies()

    def rebuild_tallies(self) -> int:
        self.settle(list(self.documents))
        self._tallies.mark_built()
        return len(self.documents)

    def get(self, elder_id: str) -> Elder:
        document = self.documents.get(elder_id)
        if document is None:
            raise NotFound(f"No elder with id {elder_id!r}.")
        return _elder(document)

    def history(self, elder_id: str) -> list[dict[str, Any]]:
        self.get(elder_id)
        return list(self.histories[elder_id])

    def changed_by(self, change: str) -> int:
        return sum(any(line["change"] == change for line in h) for h in self.histories.values())

    def by_national_id(self, national_id: str) -> Elder | None:
        found = matching(self.documents.values(), {"national_id": national_id})
        return _elder(found[0]) if found else None

    def lookalikes(self, elder: Elder) -> tuple[str, ...]:
        query = {
            "name": elder.name,
            "birth_date": elder.birth_date.isoformat(),
            "community": elder.community,
            "status": "active",
        }
        return tuple(d["_id"] for d in self._found(query))

    def index(self) -> RegisterIndex:
        index = RegisterIndex()
        for elder in map(_elder, self.documents.values()):
            index.national_ids.add(elder.national_id)
            if elder.status == "active":
                index.add(elder)
        return index

    def search(self, query: dict[str, Any], skip: int, limit: int) -> tuple[list[Elder], int]:
        found = self._found(query)
        return [_elder(d) for d in found[skip : skip + limit]], len(found)

    def after(
        self, query: dict[str, Any], after: str | None, before: str | None, limit: int
    ) -> list[Elder]:
        found = self._found(query)
        if before is not None:
            return [_elder(d) for d in found if d["_id"] < before][-limit:]
        return [_elder(d) for d in found if after is None or d["_id"] > after][:limit]

    def by_ids(self, elder_ids: list[str]) -> list[Elder]:
        return [_elder(self.documents[i]) for i in elder_ids if i in self.documents]

    def count(self, query: dict[str, Any]) -> int:
        return len(self._found(query))

    def with_lapsed_assessments(self, today: date) -> list[str]:
        query = {
            "status": "active",
            "assessment.valid_until": {"$lt": today.isoformat()},
            "key_target_reasons": {"$in": list(LAPSING_REASONS)},
        }
        return [d["_id"] for d in self._found(query)]

    def scan(self, query: dict[str, Any], fields: list[str]) -> Iterator[dict[str, Any]]:
        for document in self._found(query):
            yield {"_id": document["_id"], **{f: document[f] for f in fields if f in document}}

    def history_lines(
        self, line_query: dict[str, Any], of: dict[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        for document in self._found(of or {}):
            yield from matching(self.histories[document["_id"]], line_query)

    def scan_as_of(
        self, query: dict[str, Any], fields: list[str], moment: datetime
    ) -> Iterator[dict[str, Any]]:
        for elder_id, document in sorted(self.documents.items()):
            state = as_it_stood(document, self.histories[elder_id], moment)
            if state is not None and matching([state], query):
                yield {"_id": elder_id, **{f: state.get(f) for f in fields}}

    def _found(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        return sorted_by(matching(self.documents.values(), query), [("_id", 1)])

    def _write(self, elder: Elder, history: Line, events: list[Event]) -> None:
        document = to_document(elder)
        document["_id"] = document.pop("elder_id")
        self.documents[elder.elder_id] = document
        self.histories.setdefault(elder.elder_id, []).append(history)
        self.announced.extend(events)
        self.settle([elder.elder_id])


def _elder(document: dict[str, Any]) -> Elder:
    return from_document(Elder, {**document, "elder_id": document["_id"]})
