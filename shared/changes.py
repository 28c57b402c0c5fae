"""What every rule that changes a record returns, in all three services: the record after the
change, the events that announce it, and a line for its history.

Plain Python: domain rules build it without a store, a broker or a schema library; the service
layer turns each (event type, details) into an event carrying the record's own state.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

Record = TypeVar("Record")


@dataclass(frozen=True)
class Change(Generic[Record]):
    after: Record
    # (event type, details beyond the record's own state), in the order they are announced
    events: Sequence[tuple[str, dict[str, Any]]] = ()
    # what a reader of the record's history is told happened
    summary: str = ""
