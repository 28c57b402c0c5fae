"""The one way a service builds an event about its own records: its source and district, the
time from its clock. What goes into `data` is each service's to say (a record's whole state,
an elder's snapshot); how an event is stamped and checked is said only here."""

from datetime import datetime
from typing import Any, Protocol

from shared.changes import Change
from shared.clock import Clock
from shared.config import Settings
from shared.events.envelope import Event, new_event


class Announcing(Protocol):
    """A service's container: every use case holds one, so every use case can announce."""

    @property
    def settings(self) -> Settings: ...

    @property
    def clock(self) -> Clock: ...


def announce(
    service: Announcing,
    type_: str,
    subject: str,
    data: dict[str, Any],
    at: datetime | None = None,
) -> Event:
    """An event of a catalogued type from `service`; `at` when the record it announces was
    stamped with a time of its own (a registration), which the event then repeats."""
    settings = service.settings
    return new_event(
        type_,
        subject,
        data,
        source=settings.event_source,
        district=settings.district,
        at=service.clock.now() if at is None else at,
    )


def announce_change(
    service: Announcing,
    change: Change[Any],
    subject: str,
    state: dict[str, Any],
    at: datetime | None = None,
) -> list[Event]:
    """The events of a change, in its order: each carries `state` (what the service tells of
    the record after the change) and the details the rule gave it."""
    return [
        announce(service, kind, subject, {**state, **details}, at)
        for kind, details in change.events
    ]
