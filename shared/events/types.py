"""What an event type is: its name, topic, data schema and the versions consumers can read."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError

from shared.events.envelope import Event, InvalidEvent, schema_of

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class Topics:
    """Every topic of the product. Messages are keyed by the subject's id (usually the elder)."""

    ELDERS = "eldercare.intake.elders"
    CONTACTS = "eldercare.intake.contacts"  # address and phone, for the services that visit
    VOLUNTEERS = "eldercare.intake.volunteers"
    # households (户), the grid cells they are in, and the reorganisations of communities
    HOUSEHOLDS = "eldercare.intake.households"
    INCIDENTS = "eldercare.intake.incidents"  # life events that oblige a visit, by elder id
    STAFF = "eldercare.intake.staff"  # staff accounts' access, by username (token revocation)
    INBOUND = "eldercare.inbound"  # events from other systems, keyed by their own reference
    VISITS = "eldercare.visits.events"
    ALLOWANCES = "eldercare.allowances.events"

    @staticmethod
    def dead_letter(service: str) -> str:
        """Each consuming service has its own dead-letter topic."""
        return f"eldercare.deadletter.{service}"


class EventData(Schema):
    """Base of every event's data schema."""

    class Meta:
        unknown = EXCLUDE  # newer producers may add fields; older consumers ignore them


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
            return schema_of(self.schema).load(data)
        except ValidationError as error:
            raise InvalidEvent(f"invalid {self.name} data: {error.messages}") from error
