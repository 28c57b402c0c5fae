"""A service's stores, declared once in its `bootstrap.py`: from the list follow the indexes
created at start, the collections the outbox relay watches and those `/audit` reads."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pymongo import ASCENDING
from pymongo.database import Database

from shared import access_log_store, leases
from shared.clock import Clock
from shared.projection import Projection
from shared.records import Audited, Records


@dataclass(frozen=True)
class StoreSpec:
    name: str  # the collection
    indexes: Sequence[Sequence[str]] = ()  # each an ascending compound index
    unique: Sequence[Sequence[str]] = ()  # the same, refusing a second document with its values
    outbox: bool = False  # its writes carry events for the relay
    audited: bool = False  # its records keep a history that /audit reads
    elder_field: str = "elder_id"  # the field of a record that names its elder, for /audit
    # the dataclass its documents hold, and what one is called in messages to users; a
    # collection an adapter of the service keeps in its own way names neither
    model: type[Any] | None = None
    what: str = ""

    def records(
        self, db: Database, clock: Clock, in_history: Callable[[Any], Any] | None = None
    ) -> Records[Any]:
        """The store of a service's own records in this collection."""
        return Records(db, self.name, self._model(), self.what or self.name, clock, in_history)

    def projection(self, db: Database) -> Projection[Any]:
        """The store of facts another service owns, kept in this collection."""
        return Projection(db, self.name, self._model())

    def _model(self) -> type[Any]:
        if self.model is None:
            raise TypeError(f"the store spec of {self.name!r} names no model")
        return self.model


# The kit's own collections, in every service: the scheduled duties' leases (the worker's) and
# the access log (the API's, which makes its indexes itself as it starts).
KIT_STORES = [
    StoreSpec(leases.COLLECTION),
    StoreSpec(access_log_store.COLLECTION, indexes=access_log_store.INDEXES),
]


def create_indexes(db: Database, specs: Iterable[StoreSpec]) -> None:
    for spec in specs:
        for key in spec.indexes:
            db[spec.name].create_index([(field, ASCENDING) for field in key])
        for key in spec.unique:
            keys = [(field, ASCENDING) for field in key]
            db[spec.name].create_index(keys, unique=True, name="_".join(key))


def outbox_collections(specs: Iterable[StoreSpec]) -> list[str]:
    return [spec.name for spec in specs if spec.outbox]


def audited(db: Database, specs: Iterable[StoreSpec]) -> list[Audited]:
    return [Audited(db[spec.name], spec.elder_field) for spec in specs if spec.audited]
