"""The topic catalogue: every event type, the topic it travels on and its data schema.

Keys are always the elder's id (the envelope's `subject`), so one elder's events stay in order
within a partition. `python -m shared.events.catalogue` writes the human-readable catalogue.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema, ValidationError

from shared.events import schemas
from shared.events.envelope import Event, InvalidEvent

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class Topics:
    ELDERS = "eldercare.intake.elders"

    @staticmethod
    def dead_letter(service: str) -> str:
        """Each consuming service has its own dead-letter topic."""
        return f"eldercare.deadletter.{service}"


@dataclass(frozen=True)
class EventType:
    name: str
    topic: str
    schema: type[Schema]
    description: str
    producer: str
    version: int = 1
    # upcasters[v] turns data of version v into version v + 1
    upcasters: dict[int, Upcaster] = field(default_factory=dict)

    def load(self, event: Event) -> dict[str, Any]:
        """The event's data, brought up to the current version and validated."""
        if event.schemaversion > self.version:
            raise InvalidEvent(
                f"{self.name} schema version {event.schemaversion} is newer than the "
                f"{self.version} this service knows"
            )
        data = dict(event.data)
        for version in range(event.schemaversion, self.version):
            data = self.upcasters[version](data)
        try:
            return self.schema().load(data)
        except ValidationError as error:
            raise InvalidEvent(f"invalid {self.name} data: {error.messages}") from error


CATALOGUE: dict[str, EventType] = {
    kind.name: kind
    for kind in [
        EventType(
            name="elder.registered",
            topic=Topics.ELDERS,
            schema=schemas.ElderRegistered,
            description="An elder was entered in the district's register.",
            producer="intake",
        ),
    ]
}


def event_type(name: str) -> EventType:
    try:
        return CATALOGUE[name]
    except KeyError:
        raise InvalidEvent(f"unknown event type {name!r}") from None


def all_topics(service: str | None = None) -> list[str]:
    topics = {kind.topic for kind in CATALOGUE.values()}
    if service:
        topics.add(Topics.dead_letter(service))
    return sorted(topics)
