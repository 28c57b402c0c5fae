"""The health of each component, outbox backlogs, and the recent errors worth a look."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ops.domain.dead_letters import DeadLetter

READY, NOT_READY, UNREACHABLE = "ready", "not ready", "unreachable"
RUNNING, REACHABLE = "running", "reachable"
HEALTHY = frozenset({READY, RUNNING, REACHABLE})


@dataclass(frozen=True)
class ComponentHealth:
    service: str  # a service's name, or "kafka" for the broker
    component: str  # "api", "worker" or "broker"
    target: str  # the URL or bootstrap servers that were checked
    state: str  # ready / not ready / unreachable; running (worker); reachable (broker)
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.state in HEALTHY


@dataclass(frozen=True)
class OutboxBacklog:
    """Documents whose events a service's relay has not yet published, per collection."""

    service: str
    collection: str
    documents: int


@dataclass(frozen=True)
class FailureCount:
    """How often a worker failed at something since it started, from its counters."""

    service: str
    what: str  # e.g. "handling eldercare.intake.elders" or "publishing the outbox"
    error: str  # the exception's name, when known
    count: int


@dataclass(frozen=True)
class RecentError:
    at: datetime | None
    service: str
    source: str  # "dead letter" or the failing component
    message: str


def recent_errors(
    health: list[ComponentHealth],
    letters: list[DeadLetter],
    failures: Sequence[FailureCount] = (),
    limit: int = 10,
) -> list[RecentError]:
    """What is failing now (components), what the workers count as failed, then the newest
    dead letters, newest first."""
    failing = [
        RecentError(None, c.service, c.component, f"{c.state}: {c.detail}".rstrip(": "))
        for c in health
        if not c.ok
    ]
    counted = [
        RecentError(
            None,
            f.service,
            "worker",
            f"{f.count} × {f.error or 'failure'} {f.what} since the worker started",
        )
        for f in sorted(failures, key=lambda f: -f.count)
        if f.count > 0
    ]
    newest = sorted(
        (letter for letter in letters if letter.dead_lettered_at is not None),
        key=lambda letter: letter.dead_lettered_at,  # type: ignore[arg-type, return-value]
        reverse=True,
    )
    dead = [
        RecentError(
            letter.dead_lettered_at,
            letter.service,
            "dead letter",
            f"{letter.reason} ({letter.origin}, {letter.state.value})",
        )
        for letter in newest
    ]
    return (failing + counted + dead)[:limit]
