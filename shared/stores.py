"""What a use case may ask of a store, whatever keeps it: MongoDB (`shared.records`,
`shared.projection`, `shared.configuration`) or memory (`shared.memory_stores`, for unit tests
of the service layer without a server).

A container types its stores by these protocols, so that a use case reads the same against the
real store and against the fake. Counting and grouping across a collection (a report's figures)
is an adapter's own query on the database, not part of these.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

from shared.errors import Conflict
from shared.events import Event

Record = TypeVar("Record")
Model = TypeVar("Model")
Config = TypeVar("Config")
Sort = list[tuple[str, int]]
# an event whose document a projection inserts ahead: the id, version, event id and data
Ahead = tuple[str, int, str, dict[str, Any]]


def filtered(filters: Mapping[str, Any], names: Sequence[str], **fixed: Any) -> dict[str, Any]:
    """A list's store query: the `fixed` conditions, and each filter of `names` the caller
    gave, matched as given."""
    return {**fixed, **{name: filters[name] for name in names if name in filters}}


def any_of(values: Iterable[str]) -> Any:
    """A condition on a field matching any of `values`: a plain equality when there is one,
    which the development store narrows through the field's index where it decodes every
    document for an `$in` (an elder's page asks for one elder's work among a district's)."""
    distinct = sorted(set(values))
    return distinct[0] if len(distinct) == 1 else {"$in": distinct}


class RecordStore(Protocol[Record]):
    """A service's own records (`shared.records.Records`): created once, changed by
    compare-and-set on their version, each write with its events and its history line."""

    @property
    def name(self) -> str: ...

    @property
    def what(self) -> str: ...

    def add(self, record: Record, *events: Event, change: str | None = None) -> bool: ...

    def add_many(self, new: Sequence[tuple[Record, Sequence[Event], Any]]) -> set[int]:
        """Many new records in one batch; the positions of those already there."""
        ...

    def save(
        self, before: Record, after: Record, *events: Event, change: str | None = None
    ) -> bool: ...

    def note(self, record_id: str, line: dict[str, Any]) -> None:
        """A history line that is no change of the record (no version, no events)."""
        ...

    def set_unversioned(self, record_id: str, fields: dict[str, Any]) -> None:
        """Fields that hold the same thing in another form (no version, history or events)."""
        ...

    def get(self, record_id: str) -> Record | None: ...

    def require(self, record_id: str) -> Record: ...

    def history(self, record_id: str) -> list[dict[str, Any]]: ...

    def changed_by(self, change: str) -> int:
        """How many records have this change in their history."""
        ...

    def as_of(self, query: dict[str, Any], moment: datetime) -> Iterator[Record]:
        """The records as they stood at `moment`, whose state then matches `query`."""
        ...

    def find(
        self, query: dict[str, Any], sort: Sort, skip: int, limit: int
    ) -> tuple[list[Record], int]: ...

    def each(
        self, query: dict[str, Any], sort: Sort | None = None, ordered: bool = True
    ) -> Iterator[Record]: ...


class ProjectionStore(Protocol[Model]):
    """Facts another service owns, kept at the owner's version (`shared.projection`)."""

    def apply(self, doc_id: str, version: int, event_id: str, data: dict[str, Any]) -> bool: ...

    def insert_ahead(self, events: Sequence[Ahead]) -> None: ...

    def stored(self, doc_id: str, version: int, data: dict[str, Any]) -> Model: ...

    def get(self, doc_id: str) -> Model | None: ...

    def list(self, query: dict[str, Any], skip: int, limit: int) -> tuple[list[Model], int]: ...

    def each(self, query: dict[str, Any], ordered: bool = True) -> Iterator[Model]: ...


class ConfigStore(Protocol[Config]):
    """A service's one configuration document (`shared.configuration`)."""

    def get(self) -> Config: ...

    def history(self) -> list[dict[str, Any]]: ...

    def save(self, before: Config, after: Config, change: str) -> None: ...


def at_version(store: RecordStore[Record], record_id: str, version: int) -> Record:
    """The record, as long as it is still at the version the caller saw: else Conflict, naming
    the version it is at now, for the caller to reload."""
    record = store.require(record_id)
    current = getattr(record, "version", None)
    if current != version:
        raise Conflict(
            f"the {store.what} changed meanwhile (now version {current}); reload it",
            record_id=record_id,
            version=current,
        )
    return record
