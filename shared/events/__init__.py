"""The event contract: one envelope, one schema per event type, one topic catalogue."""

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
    "Event",
    "EventType",
    "InvalidEvent",
    "Topics",
    "decode",
    "event_type",
    "is_binary_http",
    "new_event",
    "structured_from_binary",
    "topic_owner",
]
