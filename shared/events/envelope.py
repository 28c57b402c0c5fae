"""The CloudEvents 1.0 envelope every event travels in (structured JSON mode).

Extension attributes: `district` (which deployment produced it) and `schemaversion` (the version
of the data schema, so that consumers can read older events; absent means the first).

What the specification leaves optional stays optional for what others publish to us: `subject`,
`time` and `datacontenttype` may be absent. The product's own events always carry them.
"""

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import unquote

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_dump, validate

SPEC_VERSION = "1.0"
# The Kafka protocol binding's structured mode names itself in the message's content-type header
STRUCTURED = ("content-type", b"application/cloudevents+json; charset=UTF-8")
# application/json, or any JSON-based media type (RFC 6839 +json), with parameters if any
JSON_MEDIA_TYPE = re.compile(r"^application/([a-z0-9.!#$&^_-]+\+)?json\s*(;.*)?$", re.IGNORECASE)


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
    subject: str | None
    time: datetime | None
    district: str
    schemaversion: int = 1
    data: dict[str, Any] = field(default_factory=dict)
    specversion: str = SPEC_VERSION
    datacontenttype: str | None = "application/json"

    @property
    def key(self) -> str | None:
        """The message key: the subject, so that one elder's events stay in order. An outside
        report without a subject is keyed by the reporter's own reference."""
        if self.subject is not None:
            return self.subject
        reference = self.data.get("reference")
        return reference if isinstance(reference, str) else None

    def to_dict(self) -> dict[str, Any]:
        """The envelope as `EnvelopeSchema` dumps it (an optional attribute with no value left
        out, as CloudEvents' JSON writes it), written here attribute by attribute: the schema's
        dump, which goes through `data` key by key, took half the time of writing an event,
        and every elder an import registers writes three."""
        envelope = {
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "specversion": self.specversion,
            "time": None if self.time is None else self.time.isoformat(),
            "subject": self.subject,
            "datacontenttype": self.datacontenttype,
            "district": self.district,
            "schemaversion": self.schemaversion,
            "data": {str(key): value for key, value in self.data.items()},
        }
        return {name: value for name, value in envelope.items() if value is not None}

    def to_json(self) -> bytes:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True).encode()


class EnvelopeSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # other CloudEvents extensions are allowed and ignored

    id = fields.String(required=True, validate=validate.Length(min=1, max=200))
    source = fields.String(required=True, validate=validate.Length(min=1, max=500))
    type = fields.String(required=True, validate=validate.Length(min=1, max=200))
    specversion = fields.String(required=True, validate=validate.Equal(SPEC_VERSION))
    time = fields.AwareDateTime(load_default=None)
    subject = fields.String(load_default=None, validate=validate.Length(min=1, max=200))
    datacontenttype = fields.String(
        load_default=None,
        validate=validate.Regexp(JSON_MEDIA_TYPE, error="data must be JSON (application/json)"),
    )
    district = fields.String(required=True, validate=validate.Length(min=1, max=100))
    schemaversion = fields.Integer(
        load_default=1, strict=True, validate=validate.Range(min=1, max=1000)
    )
    data = fields.Dict(keys=fields.String(), required=True)

    @post_dump
    def _absent_not_null(self, envelope: dict[str, Any], **_: Any) -> dict[str, Any]:
        """An optional attribute with no value is left out, as CloudEvents' JSON writes it."""
        return {name: value for name, value in envelope.items() if value is not None}


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


def structured_from_binary(headers: Mapping[str, str], body: bytes) -> bytes:
    """An event sent in the HTTP binding's binary content mode (attributes in `ce-` headers,
    the data as the body), rewritten in the structured mode the product reads and stores."""
    attributes: dict[str, Any] = {
        name.lower().removeprefix("ce-"): unquote(value)
        for name, value in headers.items()
        if name.lower().startswith("ce-")
    }
    if "schemaversion" in attributes:  # headers carry text; the extension is an integer
        version = attributes["schemaversion"]
        attributes["schemaversion"] = int(version) if version.isdigit() else version
    content_type = headers.get("Content-Type")
    if content_type:
        attributes["datacontenttype"] = content_type
    try:
        attributes["data"] = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidEvent(f"data is not JSON: {error}") from error
    return json.dumps(attributes, ensure_ascii=False).encode()


def is_binary_http(headers: Mapping[str, str]) -> bool:
    return any(name.lower() == "ce-specversion" for name, _ in headers.items())


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
