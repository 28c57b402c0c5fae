"""Events the visits service publishes."""

from shared.events.types import EventType

EVENTS: list[EventType] = []
