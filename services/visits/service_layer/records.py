"""The one way visits stores a change: the record after it, and its events, in one write."""

from __future__ import annotations

from typing import Any, TypeVar

from services.visits.domain.obligations import Obligation
from services.visits.service_layer.container import Visits
from shared import metrics
from shared.changes import Change
from shared.documents import plain
from shared.errors import Conflict
from shared.events import Event, announce, announce_change
from shared.stores import RecordStore

Record = TypeVar("Record")
New = TypeVar("New")  # created once and never changed, it needs no version


def record_event(visits: Visits, type_: str, record: Any, **details: Any) -> Event:
    """An event about `record`, carrying its whole state and what happened, keyed by elder."""
    return announce(visits, type_, record.elder_id, {**plain(record), **details})


def _announced(visits: Visits, change: Change[Any]) -> list[Event]:
    """A change's events, each carrying the record's whole state, keyed by its elder. A record
    that announces nothing (a team, a venue) need not be an elder's."""
    if not change.events:
        return []
    return announce_change(visits, change, change.after.elder_id, plain(change.after))


def create(visits: Visits, store: RecordStore[New], change: Change[New]) -> bool:
    """Store a new record with its events; False if its cause already created it."""
    events = _announced(visits, change)
    created = store.add(change.after, *events, change=_summary(change))
    if created:
        _count(change)
    return created


def commit(
    visits: Visits, store: RecordStore[Record], before: Record, change: Change[Record]
) -> Record:
    """Store a change made from `before`; Conflict if someone else changed it meanwhile."""
    if change.after == before:
        return before
    events = _announced(visits, change)
    if not store.save(before, change.after, *events, change=_summary(change)):
        raise Conflict(f"the {store.what} was changed by someone else meanwhile; retry")
    _count(change)
    return change.after


def _summary(change: Change[Any]) -> str | None:
    """What the history line says happened: the first event's type where the change announces
    one, else the rule's own summary (who joined a team, who was ticked as come)."""
    return None if change.events else (change.summary or None)


def _count(change: Change) -> None:
    if isinstance(change.after, Obligation):
        for kind, _ in change.events:
            metrics.VISIT_OBLIGATIONS.labels(change.after.kind, kind.split(".")[-1]).inc()
