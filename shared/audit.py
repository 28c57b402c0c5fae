"""Who did something, and from where: carried from the door to the record of every change.

Each door sets who is acting, once: an API view behind `requires` acts as the signed-in user
from the client's address, an event handler as the event's source, a scheduled duty as the
system. A store writing a change reads it with `current_actor()` for the change's history line.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.documents import to_document


@dataclass(frozen=True)
class Actor:
    user: str  # a staff member's username, or the system that reported
    origin: str | None = None  # the client's address, or the channel (e.g. the inbound topic)


SYSTEM = Actor("system")
_acting: ContextVar[Actor] = ContextVar("acting", default=SYSTEM)


def current_actor() -> Actor:
    """Who is acting now (the system, outside every door)."""
    return _acting.get()


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    """Everything done inside is done by `actor`."""
    token = _acting.set(actor)
    try:
        yield actor
    finally:
        _acting.reset(token)


def difference(
    before: Any, after: Any, ignore: tuple[str, ...] = ("version",)
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields that changed between two states of a dataclass, before and after."""
    old, new = to_document(before), to_document(after)
    changed = sorted(k for k in new if k not in ignore and old.get(k) != new[k])
    return {k: old.get(k) for k in changed}, {k: new[k] for k in changed}


def history_line(
    at: datetime,
    by: Actor,
    summary: str,
    version: int,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One line of a record's history: who, from where, what, and the values before and after.
    Lines are only ever appended, in the same write as the change."""
    return {
        "at": at,
        "by": by.user,
        "from": by.origin,
        "change": summary,
        "version": version,
        "before": before or {},
        "after": after or {},
    }


def as_it_stood(
    current: dict[str, Any], history: list[dict[str, Any]], moment: datetime
) -> dict[str, Any] | None:
    """A record (as a document) as it stood at `moment`: its state now, with every change of
    its history made after that moment undone, newest first; None if it was created after."""
    if history and history[0]["at"] > moment:
        return None
    state = dict(current)
    for line in reversed(history[1:]):
        if line["at"] <= moment:
            break
        state.update(line.get("before") or {})
    return state


def change_line(at: datetime, summary: str, before: Any | None, after: Any) -> dict[str, Any]:
    """The history line of a record's change from `before` to `after` (dataclasses), by
    whoever is acting; a creation (`before` None) shows every field after. A record written
    once and never changed has no `version`: its one line is version 1."""
    if before is None:
        created = {k: v for k, v in to_document(after).items() if k != "version"}
        old: dict[str, Any] = {}
        new = created
    else:
        old, new = difference(before, after)
    return history_line(at, current_actor(), summary, getattr(after, "version", 1), old, new)
