"""The event contract: one envelope, one schema per event type, one topic catalogue."""

from shared.events.catalogue import CATALOGUE, EventType, Topics, event_type
from shared.events.envelope import Event, InvalidEvent, decode, new_event

__all__ = [
    "CATALOGUE",
    "Event",
    "EventType",
    "InvalidEvent",
    "Topics",
    "decode",
    "event_type",
    "new_event",
]
