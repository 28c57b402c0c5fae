"""The topic catalogue: every event type of the product, from each producer's module.

`python -m shared.events` prints the human-readable catalogue (docs/events.md).
"""

from marshmallow import fields

from shared.events import allowances, inbound, intake, visits
from shared.events.envelope import InvalidEvent
from shared.events.types import EventType, Topics

CATALOGUE: dict[str, EventType] = {
    kind.name: kind for module in (inbound, intake, visits, allowances) for kind in module.EVENTS
}


# The topics each service of the product alone publishes to (inbound has no one owner).
PRODUCERS = ("intake", "visits", "allowances")
OWNERS: dict[str, str] = {
    kind.topic: kind.producer for kind in CATALOGUE.values() if kind.producer in PRODUCERS
}


def topic_owner(topic: str) -> str | None:
    """The service whose events alone travel on `topic`; None for a topic anyone allowed to
    may write (inbound) or one the product does not know."""
    return OWNERS.get(topic)


def event_type(name: str) -> EventType:
    try:
        return CATALOGUE[name]
    except KeyError:
        raise InvalidEvent(f"unknown event type {name!r}") from None


def markdown() -> str:
    lines = [
        "# Event catalogue",
        "",
        "Generated from the marshmallow schemas by `python -m shared.events`; do not edit by hand.",
        "",
        "Every event travels in a CloudEvents 1.0 envelope (structured JSON): `id`, `source`,",
        "`type`, `specversion` (`1.0`), `time`, `subject` (the id the message is keyed by),",
        "`datacontenttype` (`application/json`), and the extensions `district` and",
        "`schemaversion`. The event's facts are in `data`. Consumers read older schema",
        "versions; unknown fields are ignored.",
        "",
        "Dead letters go to `" + Topics.dead_letter("<service>") + "` with headers `dlq.reason`,",
        "`dlq.original.topic`, `dlq.original.partition`, `dlq.original.offset`,",
        "`dlq.consumer.group` and `dlq.time`; the value and key are the original bytes.",
        "",
        "| type | topic | producer | schema version | meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for kind in CATALOGUE.values():
        lines.append(
            f"| [`{kind.name}`](#{kind.name.replace('.', '')}) | `{kind.topic}` | "
            f"{kind.producer} | {kind.version} | {kind.description} |"
        )
    for kind in CATALOGUE.values():
        lines += [
            "",
            f"## {kind.name}",
            "",
            kind.description,
            "",
            "| field | type | required | notes |",
            "| --- | --- | --- | --- |",
        ]
        for name, field in kind.schema().fields.items():
            notes = field.metadata.get("description", "")
            required = "yes" if field.required else "no"
            nullable = " or null" if field.allow_none else ""
            lines.append(f"| `{name}` | {_type_name(field)}{nullable} | {required} | {notes} |")
    return "\n".join(lines) + "\n"


def _type_name(field: fields.Field) -> str:
    if isinstance(field, fields.List):
        return f"list of {_type_name(field.inner)}"
    if isinstance(field, fields.Nested):
        return f"object ({', '.join(f'`{name}`' for name in field.schema.fields)})"
    return {
        fields.String: "string",
        fields.Integer: "integer",
        fields.Boolean: "boolean",
        fields.Date: "date (YYYY-MM-DD)",
        fields.AwareDateTime: "date-time with offset",
        fields.Dict: "object",
    }.get(type(field), type(field).__name__)
