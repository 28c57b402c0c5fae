"""What every rule that changes a record returns: the record after, and the events to announce."""

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

Record = TypeVar("Record")


@dataclass(frozen=True)
class Change(Generic[Record]):
    after: Record
    # (event type, details beyond the record's own state)
    events: tuple[tuple[str, dict[str, Any]], ...] = field(default_factory=tuple)
