"""Who did something, and from where: carried from the door to the record of every change."""

from dataclasses import dataclass
from typing import Any

from shared.documents import to_document


@dataclass(frozen=True)
class Actor:
    user: str  # a staff member's username, or the system that reported
    origin: str | None = None  # the client's address, or the channel (e.g. the inbound topic)


def difference(
    before: Any, after: Any, ignore: tuple[str, ...] = ("version",)
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields that changed between two states of a dataclass, before and after."""
    old, new = to_document(before), to_document(after)
    changed = sorted(k for k in new if k not in ignore and old.get(k) != new[k])
    return {k: old.get(k) for k in changed}, {k: new[k] for k in changed}
