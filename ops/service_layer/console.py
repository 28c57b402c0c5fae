"""The operator's use cases: look at lag, dead letters, outbox backlogs and health; replay or
discard dead letters.

A replay first republishes the message, then records the resolution. A crash between the two
leaves the dead letter open, and replaying it again only sends a duplicate, which the
idempotent consumers ignore; the other order could mark as replayed a message never sent.
"""

import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from kafka.errors import KafkaError

from ops.adapters.endpoints import Endpoints
from ops.adapters.kafka import DeadLetterTopics, Kafka, ResolutionLog
from ops.config import ConsoleSettings
from ops.domain.dead_letters import (
    DeadLetter,
    DeadLetterCounts,
    Resolution,
    State,
    count_by_service,
    parse_dead_letter_id,
)
from ops.domain.health import (
    REACHABLE,
    UNREACHABLE,
    ComponentHealth,
    OutboxBacklog,
    RecentError,
    recent_errors,
)
from ops.domain.lag import GroupLag
from shared.clock import Clock
from shared.errors import DomainError, NotFound
from shared.events import Topics


@dataclass(frozen=True)
class Overview:
    """Everything the console page shows, read at one moment."""

    at: datetime
    health: list[ComponentHealth]
    lag: list[GroupLag]
    dead_letter_counts: list[DeadLetterCounts]
    open_dead_letters: list[DeadLetter]
    outbox: list[OutboxBacklog]
    recent_errors: list[RecentError]


@dataclass(frozen=True)
class ReplayOutcome:
    dead_letter: str
    outcome: str  # "replayed", or why not


class Console:
    def __init__(self, settings: ConsoleSettings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self.kafka = Kafka(settings.kafka_options(), max(settings.timeout_seconds, 5.0))
        self.dead_letter_topics = DeadLetterTopics(self.kafka)
        self.resolutions = ResolutionLog(self.kafka)
        self.endpoints = Endpoints(settings.services, settings.timeout_seconds)
        self._resolving = threading.Lock()  # one resolution at a time from this process

    # -- reading --

    def lag(self, groups: list[str] | None = None) -> list[GroupLag]:
        return self.kafka.group_lag(list(groups or self.settings.groups))

    def dead_letters(
        self, service: str | None = None, state: State | None = State.OPEN
    ) -> list[DeadLetter]:
        """Dead letters of one service or all, in one state or any (None), oldest first."""
        services = [service] if service else self.settings.service_names
        topics = [Topics.dead_letter(name) for name in services]
        resolutions = self.resolutions.all()
        letters = [
            letter.resolved(resolutions.get(letter.id))
            for letter in self.dead_letter_topics.read(topics)
        ]
        chosen = [letter for letter in letters if state is None or letter.state == state]
        return sorted(chosen, key=_oldest_first)

    def dead_letter(self, dead_letter_id: str) -> DeadLetter:
        topic, partition, offset = parse_dead_letter_id(dead_letter_id)
        letter = self.dead_letter_topics.read_one(topic, partition, offset)
        if letter is None:
            raise NotFound(f"No dead letter {dead_letter_id}.", dead_letter=dead_letter_id)
        return letter.resolved(self.resolutions.all().get(letter.id))

    def health(self) -> list[ComponentHealth]:
        return [self._broker(), *self._service_health()[0]]

    def outbox(self) -> list[OutboxBacklog]:
        return self._service_health()[1]

    def overview(self, open_limit: int = 100) -> Overview:
        """The page's one read: with the broker unreachable, what it alone can tell is left
        out (lag, dead letters) and the broker shows as failing."""
        reports = self.endpoints.reports()
        services = [c for report in reports for c in (report.api, report.worker)]
        outbox = [backlog for report in reports for backlog in report.outbox]
        failures = [failure for report in reports for failure in report.failures]
        broker = self._broker()
        health = [broker, *services]
        letters = self.dead_letters(state=None) if broker.ok else []
        open_letters = [letter for letter in letters if letter.state == State.OPEN]
        return Overview(
            at=self.clock.now(),
            health=health,
            lag=self.lag() if broker.ok else [],
            dead_letter_counts=count_by_service(self.settings.service_names, letters),
            open_dead_letters=open_letters[-open_limit:][::-1],
            outbox=outbox,
            recent_errors=recent_errors(health, letters, failures),
        )

    # -- resolving --

    def replay(self, dead_letter_id: str, by: str) -> DeadLetter:
        with self._resolving:
            letter = self.dead_letter(dead_letter_id)
            letter.check_replayable()
            landed = self.dead_letter_topics.republish(letter)
            resolution = Resolution(State.REPLAYED, self.clock.now(), by, replayed_to=landed)
            self.resolutions.record(letter.id, resolution)
            return letter.resolved(resolution)

    def replay_all(
        self, by: str, service: str | None = None, reason_contains: str = ""
    ) -> list[ReplayOutcome]:
        """Replay every open dead letter (of a service, with a reason containing some text),
        oldest first, so that one elder's events go back in their order."""
        chosen = [
            letter
            for letter in self.dead_letters(service, State.OPEN)
            if reason_contains.lower() in letter.reason.lower()
        ]
        return [self.try_replay(letter.id, by) for letter in chosen]

    def discard(self, dead_letter_id: str, by: str, note: str = "") -> DeadLetter:
        with self._resolving:
            letter = self.dead_letter(dead_letter_id)
            letter.check_discardable()
            resolution = Resolution(State.DISCARDED, self.clock.now(), by, note=note)
            self.resolutions.record(letter.id, resolution)
            return letter.resolved(resolution)

    def try_replay(self, dead_letter_id: str, by: str) -> ReplayOutcome:
        """Replay, or say why not (already resolved, unknown, no origin) instead of raising."""
        try:
            replayed = self.replay(dead_letter_id, by)
        except DomainError as refused:
            return ReplayOutcome(dead_letter_id, refused.detail)
        assert replayed.resolution is not None
        return ReplayOutcome(dead_letter_id, f"replayed to {replayed.resolution.replayed_to}")

    # -- health --

    def _broker(self) -> ComponentHealth:
        target = self.settings.kafka_bootstrap
        try:
            topics = self.kafka.reachable()
        except (KafkaError, OSError) as error:
            return ComponentHealth("kafka", "broker", target, UNREACHABLE, str(error))
        return ComponentHealth("kafka", "broker", target, REACHABLE, f"{topics} topics")

    def _service_health(self) -> tuple[list[ComponentHealth], list[OutboxBacklog]]:
        reports = self.endpoints.reports()
        health = [c for report in reports for c in (report.api, report.worker)]
        outbox = [backlog for report in reports for backlog in report.outbox]
        return health, outbox


def _oldest_first(letter: DeadLetter) -> tuple[datetime, str, int, int]:
    at = letter.dead_lettered_at or datetime.min.replace(tzinfo=UTC)
    return (at, letter.topic, letter.partition, letter.offset)
