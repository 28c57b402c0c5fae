"""Dead letters: messages a consumer could not process, and what an operator decided for each.

A dead letter is named by where it sits: `<dead-letter topic>:<partition>:<offset>`. It is open
until an operator replays it (its original key and value go back to its original topic, where
idempotent consumers apply it once) or discards it. Either decision is final: a replayed
message that fails again comes back as a new dead letter.
"""

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from shared.errors import Conflict, RuleViolation
from shared.events import Topics

DEAD_LETTER_PREFIX = Topics.dead_letter("")


class State(StrEnum):
    OPEN = "open"
    REPLAYED = "replayed"
    DISCARDED = "discarded"


@dataclass(frozen=True)
class Resolution:
    state: State
    at: datetime
    by: str
    note: str = ""
    replayed_to: str = ""  # `<topic>:<partition>:<offset>` of the republished message

    def to_dict(self) -> dict[str, str]:
        return {
            "state": self.state.value,
            "at": self.at.isoformat(),
            "by": self.by,
            "note": self.note,
            "replayed_to": self.replayed_to,
        }

    @classmethod
    def from_dict(cls, document: dict[str, Any]) -> "Resolution":
        return cls(
            state=State(document["state"]),
            at=datetime.fromisoformat(document["at"]),
            by=str(document.get("by", "")),
            note=str(document.get("note", "")),
            replayed_to=str(document.get("replayed_to", "")),
        )


@dataclass(frozen=True)
class DeadLetter:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    reason: str
    original_topic: str | None
    original_partition: int | None
    original_offset: int | None
    consumer_group: str
    dead_lettered_at: datetime | None
    resolution: Resolution | None = None

    @property
    def id(self) -> str:
        return dead_letter_id(self.topic, self.partition, self.offset)

    @property
    def service(self) -> str:
        return service_of(self.topic)

    @property
    def state(self) -> State:
        return self.resolution.state if self.resolution else State.OPEN

    @property
    def origin(self) -> str:
        """Where the message was consumed from: `<topic>:<partition>:<offset>`."""
        if self.original_topic is None:
            return "unknown"
        return f"{self.original_topic}:{self.original_partition}:{self.original_offset}"

    def resolved(self, resolution: Resolution | None) -> "DeadLetter":
        return replace(self, resolution=resolution)

    def check_replayable(self) -> None:
        self._check_open()
        if self.original_topic is None or self.original_partition is None:
            raise RuleViolation(
                f"Dead letter {self.id} does not say which topic it came from; it cannot be "
                "replayed. Discard it, or publish a corrected event.",
                dead_letter=self.id,
            )

    def check_discardable(self) -> None:
        self._check_open()

    def _check_open(self) -> None:
        if self.resolution is not None:
            done = self.resolution
            raise Conflict(
                f"Dead letter {self.id} was already {done.state.value} by {done.by or 'someone'} "
                f"at {done.at.isoformat(timespec='seconds')}.",
                dead_letter=self.id,
                state=done.state.value,
            )

    @classmethod
    def from_record(
        cls,
        topic: str,
        partition: int,
        offset: int,
        key: bytes | None,
        value: bytes | None,
        headers: list[tuple[str, bytes | None]],
    ) -> "DeadLetter":
        """A dead letter as `shared.consumer.DeadLetters` writes it, tolerating missing headers."""
        found = {name: (raw or b"").decode("utf-8", "replace") for name, raw in headers}
        when = found.get("dlq.time")
        return cls(
            topic=topic,
            partition=partition,
            offset=offset,
            key=key,
            value=value,
            reason=found.get("dlq.reason", "(no reason recorded)"),
            original_topic=found.get("dlq.original.topic") or None,
            original_partition=_integer(found.get("dlq.original.partition")),
            original_offset=_integer(found.get("dlq.original.offset")),
            consumer_group=found.get("dlq.consumer.group", ""),
            dead_lettered_at=_instant(when),
        )


@dataclass(frozen=True)
class DeadLetterCounts:
    service: str
    open: int = 0
    replayed: int = 0
    discarded: int = 0

    @property
    def total(self) -> int:
        return self.open + self.replayed + self.discarded


def dead_letter_id(topic: str, partition: int, offset: int) -> str:
    return f"{topic}:{partition}:{offset}"


def parse_dead_letter_id(text: str) -> tuple[str, int, int]:
    """`<topic>:<partition>:<offset>` back into its parts."""
    topic, _, rest = text.strip().partition(":")
    partition, _, offset = rest.partition(":")
    if not topic.startswith(DEAD_LETTER_PREFIX) or not partition.isdigit() or not offset.isdigit():
        raise RuleViolation(
            f"{text!r} is not a dead letter id; ids look like "
            f"'{DEAD_LETTER_PREFIX}visits:0:12' (topic:partition:offset).",
            dead_letter=text,
        )
    return topic, int(partition), int(offset)


def service_of(topic: str) -> str:
    return topic.removeprefix(DEAD_LETTER_PREFIX)


def count_by_service(services: list[str], letters: list[DeadLetter]) -> list[DeadLetterCounts]:
    counts = {service: {state: 0 for state in State} for service in services}
    for letter in letters:
        counts.setdefault(letter.service, {state: 0 for state in State})[letter.state] += 1
    return [
        DeadLetterCounts(
            service,
            open=by_state[State.OPEN],
            replayed=by_state[State.REPLAYED],
            discarded=by_state[State.DISCARDED],
        )
        for service, by_state in counts.items()
    ]


def describe_event(value: bytes | None) -> dict[str, str]:
    """The envelope's type, id and subject when the value is a readable event, else nothing."""
    try:
        document = json.loads(value or b"")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    if not isinstance(document, dict):
        return {}
    return {name: str(document[name]) for name in ("type", "id", "subject") if name in document}


def readable(raw: bytes | None) -> str:
    """Bytes for a person: JSON indented, other text as is, anything else escaped."""
    if raw is None:
        return "(none)"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return repr(raw)
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True)
    except json.JSONDecodeError:
        printable = all(c.isprintable() or c in "\n\r\t" for c in text)
        return text if printable else repr(raw)


def _integer(text: str | None) -> int | None:
    return int(text) if text is not None and text.strip().lstrip("-").isdigit() else None


def _instant(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)
