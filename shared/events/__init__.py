"""The event contract: one envelope, one schema per event type, one topic catalogue."""

from shared.events.announce import Announcing, announce, announce_change
from shared.events.catalogue import CATALOGUE, event_type, topic_owner
from shared.events.envelope import (
    Event,
    InvalidEvent,
    decode,
    is_binary_http,
    new_event,
    structured_from_binary,
)
from shared.events.types import EventType, Topics

__all__ = [
    "CATALOGUE",
    "Announcing",
    "Event",
    "EventType",
    "InvalidEvent",
    "Topics",
    "announce",
    "announce_change",
    "decode",
    "event_type",
    "is_binary_http",
    "new_event",
    "structured_from_binary",
    "topic_owner",
]
