"""The console's state as JSON-ready dictionaries, the same for the web API and `--json`."""

from datetime import datetime
from typing import Any

from ops.domain.dead_letters import DeadLetter, DeadLetterCounts, describe_event, readable
from ops.domain.health import ComponentHealth, OutboxBacklog, RecentError
from ops.domain.lag import GroupLag
from ops.service_layer.console import Overview, ReplayOutcome
from shared.personal import mask_numbers_in


def instant(at: datetime | None) -> str | None:
    return at.isoformat(timespec="seconds") if at else None


def group_lag(group: GroupLag) -> dict[str, Any]:
    return {
        "group": group.group,
        "total": None if group.error else group.total,
        "error": group.error,
        "topics": group.by_topic(),
        "partitions": [
            {
                "topic": p.topic,
                "partition": p.partition,
                "committed": p.committed,
                "start": p.start,
                "end": p.end,
                "lag": p.lag,
            }
            for p in group.partitions
        ],
    }


def dead_letter(letter: DeadLetter, full: bool = False, unmasked: bool = False) -> dict[str, Any]:
    """A dead letter for a person. ID numbers and phones in it are masked unless `unmasked`
    (for those whose role lets them read the numbers in full)."""
    shown = _as_is if unmasked else mask_numbers_in
    resolution = letter.resolution
    view: dict[str, Any] = {
        "id": letter.id,
        "service": letter.service,
        "state": letter.state.value,
        "reason": shown(letter.reason),
        "origin": {
            "topic": letter.original_topic,
            "partition": letter.original_partition,
            "offset": letter.original_offset,
        },
        "consumer_group": letter.consumer_group,
        "dead_lettered_at": instant(letter.dead_lettered_at),
        "event": {name: shown(value) for name, value in describe_event(letter.value).items()},
        "resolution": resolution.to_dict() if resolution else None,
    }
    if full:
        view["key"] = shown(readable(letter.key))
        view["value"] = shown(readable(letter.value))
    return view


def _as_is(text: str) -> str:
    return text


def counts(item: DeadLetterCounts) -> dict[str, Any]:
    return {
        "service": item.service,
        "open": item.open,
        "replayed": item.replayed,
        "discarded": item.discarded,
        "total": item.total,
    }


def component(item: ComponentHealth) -> dict[str, Any]:
    return {
        "service": item.service,
        "component": item.component,
        "target": item.target,
        "state": item.state,
        "ok": item.ok,
        "detail": item.detail,
    }


def backlog(item: OutboxBacklog) -> dict[str, Any]:
    return {"service": item.service, "collection": item.collection, "documents": item.documents}


def recent_error(item: RecentError, unmasked: bool = False) -> dict[str, Any]:
    return {
        "at": instant(item.at),
        "service": item.service,
        "source": item.source,
        "message": item.message if unmasked else mask_numbers_in(item.message),
    }


def replay_outcome(item: ReplayOutcome) -> dict[str, str]:
    return {"dead_letter": item.dead_letter, "outcome": item.outcome}


def overview(item: Overview, unmasked: bool = False) -> dict[str, Any]:
    return {
        "at": instant(item.at),
        "health": [component(c) for c in item.health],
        "lag": [group_lag(g) for g in item.lag],
        "dead_letters": {
            "counts": [counts(c) for c in item.dead_letter_counts],
            "open": [dead_letter(d, unmasked=unmasked) for d in item.open_dead_letters],
        },
        "outbox": [backlog(b) for b in item.outbox],
        "recent_errors": [recent_error(e, unmasked) for e in item.recent_errors],
    }
