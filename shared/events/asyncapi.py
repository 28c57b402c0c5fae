"""The AsyncAPI 3.0 description of every topic, generated from the marshmallow schemas."""

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from shared.events.catalogue import CATALOGUE
from shared.events.envelope import EnvelopeSchema
from shared.events.types import Topics

DEAD_LETTER_HEADERS = {
    "dlq.reason": "Why the message could not be processed",
    "dlq.original.topic": "Where it came from",
    "dlq.original.partition": "Partition it came from",
    "dlq.original.offset": "Offset it had there",
    "dlq.consumer.group": "The consumer group that gave up on it",
    "dlq.time": "When (ISO 8601, UTC)",
}


def _json_schemas() -> dict[str, Any]:
    spec = APISpec("events", "1", "3.1.0", plugins=[MarshmallowPlugin()])
    spec.components.schema("Envelope", schema=EnvelopeSchema)
    for schema in {kind.schema.__name__: kind.schema for kind in CATALOGUE.values()}.values():
        spec.components.schema(schema.__name__, schema=schema)
    return spec.to_dict()["components"]["schemas"]


def _name(event_type: str) -> str:
    return "".join(part.capitalize() for part in event_type.replace("_", ".").split("."))


def document() -> dict[str, Any]:
    schemas = _json_schemas()
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for kind in CATALOGUE.values():
        name = _name(kind.name)
        messages[name] = {
            "name": kind.name,
            "title": kind.name,
            "summary": kind.description,
            "contentType": "application/json",
            "headers": {"type": "object"},
            "payload": {
                "allOf": [
                    {"$ref": "#/components/schemas/Envelope"},
                    {
                        "type": "object",
                        "properties": {
                            "type": {"const": kind.name},
                            "schemaversion": {"const": kind.version},
                            "data": {"$ref": f"#/components/schemas/{kind.schema.__name__}"},
                        },
                    },
                ]
            },
            "x-producer": kind.producer,
        }
        channel = channels.setdefault(
            _channel_id(kind.topic), {"address": kind.topic, "messages": {}}
        )
        channel["messages"][name] = {"$ref": f"#/components/messages/{name}"}
    channels["deadLetters"] = {
        "address": Topics.dead_letter("{service}"),
        "description": "Messages a service could not process: the original key and value, "
        "with headers " + ", ".join(DEAD_LETTER_HEADERS) + ".",
        "parameters": {"service": {"enum": ["intake", "visits", "allowances"]}},
        "messages": {},
    }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Eldercare events",
            "version": "1",
            "description": "Every topic of the product. Messages are CloudEvents 1.0 in "
            "structured JSON mode, keyed by the subject's id. Other systems publish to "
            f"{Topics.INBOUND}; see docs/integration.md.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": {
            f"publish{_channel_id(topic)[0].upper()}{_channel_id(topic)[1:]}": {
                "action": "send",
                "channel": {"$ref": f"#/channels/{_channel_id(topic)}"},
            }
            for topic in sorted({kind.topic for kind in CATALOGUE.values()})
        },
        "components": {"schemas": schemas, "messages": messages},
    }


def _channel_id(topic: str) -> str:
    words = topic.removeprefix("eldercare.").replace("-", ".").split(".")
    return words[0] + "".join(w.capitalize() for w in words[1:])
