"""The stores of `shared.stores` kept in memory, for unit tests of a service's use cases.

They keep documents as the MongoDB stores write them (`shared.documents`: dates as ISO strings,
the record's id as `_id`), so the queries a service layer builds read the same here. They
understand the part of the query language the services use (`shared.memory_queries`); any other
operator is refused by name rather than answered wrongly. The events each write carried are
kept in `announced`, in the order written, as the outbox would publish them.
"""

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

from shared.audit import as_it_stood, change_line
from shared.clock import Clock
from shared.documents import from_document, to_document
from shared.errors import Conflict, NotFound
from shared.events import Event
from shared.memory_queries import matching, sorted_by
from shared.stores import Ahead, Sort

Record = TypeVar("Record")
Model = TypeVar("Model")
Config = TypeVar("Config")


class MemoryRecords(Generic[Record]):
    """`shared.records.Records` in memory: the same ids, versions, history and events."""

    def __init__(
        self,
        name: str,
        model: type[Record],
        what: str,
        clock: Clock,
        in_history: Callable[[Record], Record] | None = None,
    ) -> None:
        self.name = name
        self.model = model
        self.what = what
        self.clock = clock
        self.in_history = in_history
        self.id_field = dataclasses.fields(model)[0].name  # type: ignore[arg-type]
        self.documents: dict[str, dict[str, Any]] = {}
        self.histories: dict[str, list[dict[str, Any]]] = {}
        self.announced: list[Event] = []

    def add(self, record: Record, *events: Event, change: str | None = None) -> bool:
        document = self._document(record)
        if document["_id"] in self.documents:
            return False
        line = self._line(change or _first(events, f"{self.name}.created"), None, record)
        self.documents[document["_id"]] = document
        self.histories[document["_id"]] = [line]
        self.announced.extend(events)
        return True

    def add_many(self, new: Sequence[tuple[Record, Sequence[Event], Any]]) -> set[int]:
        return {i for i, (record, events, _) in enumerate(new) if not self.add(record, *events)}

    def save(
        self, before: Record, after: Record, *events: Event, change: str | None = None
    ) -> bool:
        document = self._document(after)
        current = self.documents.get(document["_id"])
        if current is None or current.get("version") != getattr(before, "version", None):
            return False
        line = self._line(change or _first(events, f"{self.name}.changed"), before, after)
        self.documents[document["_id"]] = document
        self.histories[document["_id"]].append(line)
        self.announced.extend(events)
        return True

    def note(self, record_id: str, line: dict[str, Any]) -> None:
        if record_id in self.histories:
            self.histories[record_id].append(line)

    def set_unversioned(self, record_id: str, fields: dict[str, Any]) -> None:
        if record_id in self.documents:
            self.documents[record_id] = {**self.documents[record_id], **fields}

    def get(self, record_id: str) -> Record | None:
        document = self.documents.get(record_id)
        return None if document is None else self._record(document)

    def require(self, record_id: str) -> Record:
        record = self.get(record_id)
        if record is None:
            raise NotFound(f"No {self.what} with id {record_id!r}.", **{self.id_field: record_id})
        return record

    def as_of(self, query: dict[str, Any], moment: datetime) -> Iterator[Record]:
        for record_id, document in sorted(self.documents.items()):
            state = as_it_stood(document, self.histories[record_id], moment)
            if state is not None and matching([state], query):
                yield self._record(state)

    def changed_by(self, change: str) -> int:
        return sum(any(line["change"] == change for line in h) for h in self.histories.values())

    def history(self, record_id: str) -> list[dict[str, Any]]:
        self.require(record_id)
        return list(self.histories[record_id])

    def find(
        self, query: dict[str, Any], sort: Sort, skip: int, limit: int
    ) -> tuple[list[Record], int]:
        found = sorted_by(matching(self.documents.values(), query), sort)
        return [self._record(d) for d in found[skip : skip + limit]], len(found)

    def each(
        self, query: dict[str, Any], sort: Sort | None = None, ordered: bool = True
    ) -> Iterator[Record]:
        found = sorted_by(matching(self.documents.values(), query), sort or [("_id", 1)])
        return (self._record(d) for d in found)

    def _document(self, record: Record) -> dict[str, Any]:
        document = to_document(record)
        document["_id"] = document.pop(self.id_field)
        return document

    def _record(self, document: dict[str, Any]) -> Record:
        return from_document(self.model, {**document, self.id_field: document["_id"]})

    def _line(self, change: str, before: Record | None, after: Record) -> dict[str, Any]:
        if self.in_history is not None:
            before = None if before is None else self.in_history(before)
            after = self.in_history(after)
        return change_line(self.clock.now(), change, before, after)


class MemoryProjection(Generic[Model]):
    """`shared.projection.Projection` in memory: a version never goes back."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        names = [f.name for f in dataclasses.fields(model)]  # type: ignore[arg-type]
        self.id_field = names[0]
        self.fields = tuple(n for n in names[1:] if n != "version")
        self.documents: dict[str, dict[str, Any]] = {}
        self._ahead: set[tuple[str, int, str]] = set()

    def insert_ahead(self, events: Sequence[Ahead]) -> None:
        self._ahead = set()
        for doc_id, version, event_id, data in events:
            if doc_id not in self.documents:
                self.apply(doc_id, version, event_id, data)
                self._ahead.add((doc_id, version, event_id))

    def apply(self, doc_id: str, version: int, event_id: str, data: dict[str, Any]) -> bool:
        if (doc_id, version, event_id) in self._ahead:
            self._ahead.discard((doc_id, version, event_id))
            return True
        held = self.documents.get(doc_id)
        if held is not None and held["version"] >= version:
            return False
        facts = {name: to_document(data[name]) for name in self.fields if name in data}
        kept = held or {"_id": doc_id}
        self.documents[doc_id] = {**kept, **facts, "version": version, "last_event_id": event_id}
        return True

    def stored(self, doc_id: str, version: int, data: dict[str, Any]) -> Model:
        facts = {name: to_document(data[name]) for name in self.fields if name in data}
        return self._model({**facts, "_id": doc_id, "version": version})

    def get(self, doc_id: str) -> Model | None:
        document = self.documents.get(doc_id)
        return None if document is None else self._model(document)

    def list(self, query: dict[str, Any], skip: int, limit: int) -> tuple[list[Model], int]:
        found = sorted_by(matching(self.documents.values(), query), [("_id", 1)])
        return [self._model(d) for d in found[skip : skip + limit]], len(found)

    def each(self, query: dict[str, Any], ordered: bool = True) -> Iterator[Model]:
        found = sorted_by(matching(self.documents.values(), query), [("_id", 1)])
        return (self._model(d) for d in found)

    def _model(self, document: dict[str, Any]) -> Model:
        return from_document(self.model, {**document, self.id_field: document["_id"]})


class MemoryConfiguration(Generic[Config]):
    """`shared.configuration.Configuration` in memory: changed by compare-and-set."""

    def __init__(self, model: type[Config], what: str, clock: Clock) -> None:
        self.model = model
        self.what = what
        self.clock = clock
        self.current: Config = model()
        self.lines: list[dict[str, Any]] = []

    def get(self) -> Config:
        return self.current

    def history(self) -> list[dict[str, Any]]:
        return list(reversed(self.lines))

    def save(self, before: Config, after: Config, change: str) -> None:
        version = getattr(self.current, "version")  # noqa: B009 - Config is any versioned model
        if getattr(before, "version") != version:  # noqa: B009
            raise Conflict(
                f"the {self.what} was changed meanwhile; reload it and retry",
                current_version=version,
            )
        self.lines.append(change_line(self.clock.now(), change, before, after))
        self.current = after


def _first(events: tuple[Event, ...], otherwise: str) -> str:
    return events[0].type if events else otherwise
