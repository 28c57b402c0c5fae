"""The CloudEvents 1.0 envelope every event travels in (structured JSON mode).

Extension attributes: `district` (which deployment produced it) and `schemaversion` (the version
of the data schema, so that consumers can read older events).
"""

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

SPEC_VERSION = "1.0"


@cache
def schema_of(schema: type[Schema]) -> Schema:
    """One instance per schema class: building one copies every field, which costs more than
    using it, and an instance that is only used to dump, load and validate can be shared."""
    return schema()


class InvalidEvent(Exception):
    """A message that is not a valid event; the reason goes to the dead-letter topic."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    source: str
    subject: str
    time: datetime
    district: str
    schemaversion: int
    data: dict[str, Any] = field(default_factory=dict)
    specversion: str = SPEC_VERSION
    datacontenttype: str = "application/json"

    def to_dict(self) -> dict[str, Any]:
        return schema_of(EnvelopeSchema).dump(self)

    def to_json(self) -> bytes:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True).encode()


class EnvelopeSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # other CloudEvents extensions are allowed and ignored

    id = fields.String(required=True, validate=validate.Length(min=1, max=200))
    source = fields.String(required=True, validate=validate.Length(min=1, max=500))
    type = fields.String(required=True, validate=validate.Length(min=1, max=200))
    specversion = fields.String(required=True, validate=validate.Equal(SPEC_VERSION))
    time = fields.AwareDateTime(required=True)
    subject = fields.String(required=True, validate=validate.Length(min=1, max=200))
    datacontenttype = fields.String(validate=validate.Equal("application/json"))
    district = fields.String(required=True, validate=validate.Length(min=1, max=100))
    schemaversion = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    data = fields.Dict(keys=fields.String(), required=True)


def decode(raw: bytes | None) -> Event:
    """Parse and check the envelope; the data is checked against its schema by the catalogue."""
    if raw is None:
        raise InvalidEvent("empty message (no value)")
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InvalidEvent(
            f"not JSON: not UTF-8 text ({error.reason} at byte {error.start})"
        ) from error
    except json.JSONDecodeError as error:
        raise InvalidEvent(f"not JSON: {error}") from error
    if not isinstance(document, dict):
        raise InvalidEvent("envelope must be a JSON object")
    try:
        loaded = schema_of(EnvelopeSchema).load(document)
    except ValidationError as error:
        raise InvalidEvent(f"invalid envelope: {error.messages}") from error
    return Event(**loaded)


def new_event(
    type_: str, subject: str, data: dict[str, Any], *, source: str, district: str, at: datetime
) -> Event:
    """Build an event of a catalogued type; its data is checked and serialised by its schema."""
    from shared.events.catalogue import event_type

    kind = event_type(type_)
    schema = schema_of(kind.schema)
    serialised = schema.dump(data)
    errors = schema.validate(serialised)
    if errors:
        raise ValueError(f"{type_} data does not match its schema: {errors}")
    return Event(
        id=str(uuid.uuid4()),
        type=type_,
        source=source,
        subject=subject,
        time=at,
        district=district,
        schemaversion=kind.version,
        data=serialised,
    )
