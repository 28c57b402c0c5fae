"""Events the allowances service publishes."""

from shared.events.types import EventType

EVENTS: list[EventType] = []
