"""Kafka consumption as small steps: decode, route, handle with retries, dead-letter, commit.

Commit policy: after a poll, each partition's offset is committed only once every message of
that partition in the batch has either had its effect stored, been ignored (a type this
service does not handle), or been confirmed on the dead-letter topic. A crash before the commit
means redelivery, which handlers absorb because their effects are idempotent.

Failure policy: an error of the store or broker (the dependency is down) is retried with
backoff for as long as it lasts, because dead-lettering healthy events during an outage would
lose their order; any other error is retried a bounded number of times and then dead-lettered.
"""

import logging
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kafka import KafkaConsumer, KafkaProducer
from kafka.errors import KafkaError
from kafka.structs import OffsetAndMetadata, TopicPartition
from pymongo.errors import ConnectionFailure

from shared import metrics
from shared.audit import Actor, acting_as
from shared.config import Settings
from shared.consumer_stall import CHECK_SECONDS, STALL_SECONDS, StallWatch
from shared.events import Event, InvalidEvent, Topics, decode, event_type, topic_owner
from shared.personal import mask_numbers_in

log = logging.getLogger(__name__)

# handler(event, data) -> True if it changed something, False for an already-applied event
Handler = Callable[[Event, dict[str, Any]], bool]
OUTAGES = (ConnectionFailure, KafkaError)
MAX_MESSAGE_BYTES = 64 * 1024  # no event of the catalogue comes near it


@dataclass(frozen=True)
class Received:
    """A message as the pipeline sees it, whatever client delivered it."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


class DeadLetters:
    """Sends a message that cannot be processed, with its reason, to the service's DLQ topic."""

    def __init__(self, producer: KafkaProducer, service: str, group: str) -> None:
        self.producer = producer
        self.service = service
        self.group = group
        self.topic = Topics.dead_letter(service)

    def send(self, message: Received, reason: str) -> None:
        reason = mask_numbers_in(reason)  # an operator reads it; the value keeps the original
        headers = [
            ("dlq.reason", reason[:2000].encode()),
            ("dlq.original.topic", message.topic.encode()),
            ("dlq.original.partition", str(message.partition).encode()),
            ("dlq.original.offset", str(message.offset).encode()),
            ("dlq.consumer.group", self.group.encode()),
            ("dlq.time", datetime.now(UTC).isoformat().encode()),
        ]
        future = self.producer.send(
            self.topic, key=message.key, value=message.value, headers=headers
        )
        future.get(timeout=30)  # the offset is committed only after this is confirmed
        metrics.EVENTS_DEAD_LETTERED.labels(self.service, message.topic).inc()
        log.warning(
            "dead-lettered message",
            extra={
                "topic": message.topic,
                "partition": message.partition,
                "offset": message.offset,
                "reason": reason,
            },
        )


def check_sender(topic: str, event: Event, district: str) -> None:
    """Only this district's events, and on a service's topic only that service's: the broker
    lets no one else write there, and this refuses whatever got past it (e.g. a replay)."""
    if event.district != district:
        raise InvalidEvent(f"event for district {event.district!r}, this is {district!r}")
    owner = topic_owner(topic)
    if owner is None:
        return
    expected = Settings(service=owner, district=district).event_source
    if event.source != expected:
        raise InvalidEvent(
            f"event from {event.source!r} on {topic}, which carries only {expected!r}"
        )


class EventPipeline:
    """Turns one message into an outcome: applied, duplicate, ignored or dead-lettered."""

    def __init__(
        self,
        service: str,
        district: str,
        handlers: Mapping[str, Handler],
        dead_letters: DeadLetters,
        stop: threading.Event,
        retries: int = 3,
        backoff_seconds: float = 0.2,
    ) -> None:
        self.service = service
        self.district = district
        self.handlers = handlers
        self.dead_letters = dead_letters
        self.stop = stop
        self.retries = retries
        self.backoff_seconds = backoff_seconds

    def process(self, message: Received) -> str:
        started = time.monotonic()
        try:
            outcome, event_kind = self._route(message)
        except InvalidEvent as invalid:
            self.dead_letters.send(message, invalid.reason)
            outcome, event_kind = "dead-lettered", "invalid"
        metrics.EVENT_PROCESSING_SECONDS.labels(self.service, message.topic).observe(
            time.monotonic() - started
        )
        metrics.EVENTS_CONSUMED.labels(self.service, message.topic, event_kind, outcome).inc()
        return outcome

    def _route(self, message: Received) -> tuple[str, str]:
        if message.value is not None and len(message.value) > MAX_MESSAGE_BYTES:
            raise InvalidEvent(
                f"message of {len(message.value)} bytes; the limit is {MAX_MESSAGE_BYTES}"
            )
        event = decode(message.value)
        kind = event_type(event.type)
        check_sender(message.topic, event, self.district)
        handler = self.handlers.get(event.type)
        if handler is None:
            return "ignored", event.type
        data = kind.load(event)
        return self._handle(message, handler, event, data), event.type

    def _handle(self, message: Received, handler: Handler, event: Event, data: dict) -> str:
        with acting_as(Actor(event.source, f"kafka:{message.topic}")):
            return self._retry(message, handler, event, data)

    def _retry(self, message: Received, handler: Handler, event: Event, data: dict) -> str:
        attempt = 0
        while True:
            try:
                return "applied" if handler(event, data) else "duplicate"
            except InvalidEvent:
                raise
            except OUTAGES as outage:
                self._wait_out(message, outage)
            except Exception as error:
                attempt += 1
                metrics.EVENTS_FAILED.labels(
                    self.service, message.topic, type(error).__name__
                ).inc()
                if attempt > self.retries:
                    reason = f"{type(error).__name__}: {error} (after {self.retries} retries)"
                    raise InvalidEvent(reason) from error
                self.stop.wait(self.backoff_seconds * 2 ** (attempt - 1))

    def _wait_out(self, message: Received, outage: Exception) -> None:
        metrics.EVENTS_FAILED.labels(self.service, message.topic, type(outage).__name__).inc()
        log.warning("dependency unavailable; retrying", extra={"error": str(outage)})
        if self.stop.wait(1.0):
            raise Interrupted


class Interrupted(Exception):
    """Shutdown was asked for while a message waited out an outage; it stays uncommitted."""


class ConsumerLag:
    """Exports how far the consumer is behind in each partition assigned to it.

    The lag of a partition is its end offset minus the consumer's position. The end offset is
    the highwater mark that fetches bring back, or, at most every `refresh_seconds`, the end
    offset asked of the broker, so that a paused or idle partition is reported correctly too.
    Reporting never disturbs consumption: any failure is logged and the gauge keeps its value.
    """

    def __init__(self, consumer: KafkaConsumer, service: str, refresh_seconds: float = 5.0) -> None:
        self.consumer = consumer
        self.service = service
        self.refresh_seconds = refresh_seconds
        self._ends: dict[TopicPartition, int] = {}
        self._refreshed_at: float | None = None
        self._reported: set[TopicPartition] = set()

    def update(self) -> None:
        try:
            self._update()
        except Exception as error:  # noqa: BLE001 - a metric must never stop the consumer
            log.debug("consumer lag not updated", extra={"error": str(error)})

    def _update(self) -> None:
        assigned = set(self.consumer.assignment() or ())
        now = time.monotonic()
        due = self._refreshed_at is None or now - self._refreshed_at >= self.refresh_seconds
        if assigned and due:
            self._refreshed_at = now  # also after a failure: never ask more often than this
            self._ends = dict(self.consumer.end_offsets(sorted(assigned), timeout_ms=2000))
        for partition in sorted(assigned):
            position = self.consumer.position(partition, timeout_ms=1000)
            end = max(self.consumer.highwater(partition) or 0, self._ends.get(partition, 0))
            if position is None:
                continue
            labels = (self.service, partition.topic, str(partition.partition))
            metrics.CONSUMER_LAG.labels(*labels).set(max(0, end - position))
            self._reported.add(partition)
        for revoked in self._reported - assigned:  # another consumer of the group reports it
            metrics.CONSUMER_LAG.remove(self.service, revoked.topic, str(revoked.partition))
            self._reported.discard(revoked)


class ConsumerLoop:
    """Polls, processes in order, commits per partition; stops cleanly when asked."""

    def __init__(
        self,
        consumer: KafkaConsumer,
        pipeline: EventPipeline,
        lag_refresh_seconds: float = 5.0,
        reconnect: Callable[[], KafkaConsumer] | None = None,
        stall_seconds: float = STALL_SECONDS,
        stall_check_seconds: float = CHECK_SECONDS,
    ) -> None:
        self.pipeline = pipeline
        self.lag_refresh_seconds = lag_refresh_seconds
        self.reconnect = reconnect
        self.stall_seconds = stall_seconds
        self.stall_check_seconds = stall_check_seconds
        self._use(consumer)

    def _use(self, consumer: KafkaConsumer) -> None:
        self.consumer = consumer
        self.lag = ConsumerLag(consumer, self.pipeline.service, self.lag_refresh_seconds)
        self.stall = StallWatch(consumer, self.stall_seconds, self.stall_check_seconds)

    def run_once(self, timeout_ms: int = 500) -> list[tuple[Received, str]]:
        """One poll: process every message in order; returns each message with its outcome."""
        try:
            batches = self.consumer.poll(timeout_ms=timeout_ms)
        except KafkaError as outage:  # the broker is unreachable: wait it out, like the store
            log.warning(
                "poll failed; the broker is unreachable, retrying", extra={"error": str(outage)}
            )
            self.pipeline.stop.wait(1.0)
            return []
        outcomes = []
        for partition, records in batches.items():
            last = None
            try:
                for record in records:
                    message = Received(
                        record.topic, record.partition, record.offset, record.key, record.value
                    )
                    outcomes.append((message, self.pipeline.process(message)))
                    last = record.offset
            except Interrupted:
                raise
            except Exception:  # e.g. the dead-letter topic unreachable: try this message again
                log.exception("message not processed; it will be consumed again")
                self.consumer.seek(partition, record.offset)
                self.pipeline.stop.wait(1.0)
            finally:
                if last is not None:
                    self._commit(partition, last)
        self.lag.update()
        if self.reconnect is not None and self.stall.stalled():
            self._join_again()
        return outcomes

    def _join_again(self) -> None:
        """Replace a consumer that no longer consumes (see shared.consumer_stall)."""
        assert self.reconnect is not None
        log.warning(
            "consumer stalled: no committed offset moved while events wait; joining again",
            extra={"waiting": self.stall.waiting, "stalled_seconds": self.stall_seconds},
        )
        metrics.CONSUMER_RESTARTS.labels(self.pipeline.service).inc()
        with suppress(Exception):  # a stuck client may fail to leave; the group expires it
            self.consumer.close(autocommit=False, timeout_ms=5000)
        self._use(self.reconnect())

    def _commit(self, partition: TopicPartition, offset: int) -> None:
        try:
            self.consumer.commit({partition: OffsetAndMetadata(offset + 1, "", -1)})
        except KafkaError as error:  # e.g. a rebalance: the messages come back, harmlessly
            log.warning("offset commit failed", extra={"error": str(error)})

    def run(self, stop: threading.Event) -> None:
        try:
            while not stop.is_set():
                self.run_once()
        except Interrupted:
            log.info("consumer interrupted during an outage; uncommitted messages will return")
        finally:
            self.consumer.close(autocommit=False)
