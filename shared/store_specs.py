"""A service's stores, declared once in its `bootstrap.py`: from the list follow the indexes
created at start, the collections the outbox relay watches and those `/audit` reads."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from pymongo import ASCENDING
from pymongo.database import Database

from shared.clock import Clock
from shared.records import Audited, Records

Record = TypeVar("Record")


@dataclass(frozen=True)
class StoreSpec:
    name: str  # the collection
    indexes: Sequence[Sequence[str]] = ()  # each an ascending compound index
    unique: Sequence[Sequence[str]] = ()  # the same, refusing a second document with its values
    outbox: bool = False  # its writes carry events for the relay
    audited: bool = False  # its records keep a history that /audit reads
    elder_field: str = "elder_id"  # the field of a record that names its elder, for /audit

    def records(
        self,
        db: Database,
        model: type[Record],
        what: str,
        clock: Clock,
        in_history: Callable[[Record], Record] | None = None,
    ) -> Records[Record]:
        """The store of a service's own records in this collection."""
        return Records(db, self.name, model, what, clock, in_history)


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
