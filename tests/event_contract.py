"""The events the product published, checked from a consumer's side: every one against its
message in docs/asyncapi.json with a standard JSON Schema validator, and its envelope against
the CloudEvents 1.0 rules. Used when the test run's broker is torn down (tests/conftest.py)."""

import json
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from shared.events.envelope import STRUCTURED
from shared.events.types import Topics

DOCUMENT = Path(__file__).resolve().parents[1] / "docs" / "asyncapi.json"
BASE = "urn:eldercare:asyncapi"
# What the product writes, and nothing that others send to it (inbound, dead letters).
PRODUCT_TOPICS = [
    Topics.ELDERS,
    Topics.CONTACTS,
    Topics.STAFF,
    Topics.VOLUNTEERS,
    Topics.HOUSEHOLDS,
    Topics.INCIDENTS,
    Topics.VISITS,
    Topics.ALLOWANCES,
]
PRODUCT_SOURCE = re.compile(r"^urn:eldercare:[^:]+:(intake|visits|allowances)$")
# CloudEvents 1.0: attribute names are lower-case ASCII letters and digits
ATTRIBUTE_NAME = re.compile(r"^[a-z0-9]+$")
RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", re.ASCII
)
REQUIRED = ("id", "source", "type", "specversion")


def is_rfc3339(value: object) -> bool:
    if not isinstance(value, str) or not RFC3339.match(value):
        return False
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def cloudevents_violations(envelope: dict[str, Any]) -> list[str]:
    """What breaks the CloudEvents 1.0 specification (structured JSON mode)."""
    found = [f"no {name}" for name in REQUIRED if name not in envelope]
    found += [
        f"{name} is not a non-empty string"
        for name in REQUIRED
        if name in envelope and not (isinstance(envelope[name], str) and envelope[name])
    ]
    if envelope.get("specversion") not in (None, "1.0"):
        found.append(f"specversion {envelope['specversion']!r} is not '1.0'")
    found += [
        f"attribute name {name!r} is not lower-case letters and digits"
        for name in envelope
        if name not in ("data", "data_base64") and not ATTRIBUTE_NAME.match(name)
    ]
    if "time" in envelope and not is_rfc3339(envelope["time"]):
        found.append(f"time {envelope['time']!r} is not RFC 3339")
    return found


class EventContract:
    """docs/asyncapi.json, as an outside consumer reads it."""

    def __init__(self, document: dict[str, Any]) -> None:
        registry = Registry().with_resource(
            BASE, Resource(contents=document, specification=DRAFT202012)
        )
        formats = FormatChecker()
        # jsonschema skips date-time without an extra package; a format constrains strings only
        formats.checks("date-time")(lambda value: not isinstance(value, str) or is_rfc3339(value))
        self.validators: dict[str, Draft202012Validator] = {}
        self.topics: dict[str, str] = {}
        for channel in document["channels"].values():
            for reference in channel["messages"].values():
                key = reference["$ref"].rsplit("/", 1)[-1]
                message = document["components"]["messages"][key]
                self.topics[message["name"]] = channel["address"]
                self.validators[message["name"]] = Draft202012Validator(
                    {"$ref": f"{BASE}#/components/messages/{key}/payload"},
                    registry=registry,
                    format_checker=formats,
                )

    @classmethod
    def published(cls) -> "EventContract":
        return cls(json.loads(DOCUMENT.read_text(encoding="utf-8")))

    def violations(self, topic: str, envelope: dict[str, Any]) -> list[str]:
        found = cloudevents_violations(envelope)
        kind = envelope.get("type")
        validator = self.validators.get(kind) if isinstance(kind, str) else None
        if validator is None:
            return [*found, f"type {kind!r} is in no channel of the document"]
        if self.topics[kind] != topic:
            found.append(f"{kind} belongs on {self.topics[kind]}, not {topic}")
        found += [
            f"{'/'.join(map(str, error.absolute_path)) or 'envelope'}: {error.message}"
            for error in validator.iter_errors(envelope)
        ]
        return found


def produced_by_the_product(headers: Iterable[tuple[str, bytes]], envelope: object) -> bool:
    """Published by a service's outbox relay (it marks its messages as structured CloudEvents),
    or naming one of the product's services as its source. Tests also write their own events,
    some broken on purpose, under other sources and without the mark."""
    if STRUCTURED in list(headers or []):
        return True
    source = envelope.get("source") if isinstance(envelope, dict) else None
    return isinstance(source, str) and bool(PRODUCT_SOURCE.match(source))


def violations_in(records: Iterable[Any], contract: EventContract) -> tuple[int, list[str]]:
    """(how many product events were checked, what was wrong with them)."""
    checked, found = 0, []
    for record in records:
        try:
            envelope = json.loads(record.value)
        except (TypeError, ValueError):
            envelope = None
        if not produced_by_the_product(record.headers, envelope):
            continue
        checked += 1
        where = f"{record.topic}[{record.partition}]@{record.offset}"
        if not isinstance(envelope, dict):
            found.append(f"{where}: not a JSON object")
            continue
        found += [
            f"{where} {envelope.get('type')}: {problem}"
            for problem in contract.violations(record.topic, envelope)
        ]
    return checked, found
