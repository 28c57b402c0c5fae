"""Kafka consumption as a chain of small steps, each a named piece of this module:

1. decode (`decode_message`): the size limit, the CloudEvents envelope, a type of the catalogue;
2. check (`check_sender`): this district's events only, and on a service's topic only its own;
3. route (`route`): the handler of the event's type with its checked data, or none ("ignored");
4. retry (`Retry`): the handler again after an error, a bounded number of times; an outage of
   the store or broker waited out for as long as it lasts;
5. dead-letter (`DeadLetters`, held back by `FloodLimit`): what can never be processed, and what
   kept failing, goes to the service's dead-letter topic with its reason;
6. finish (`ConsumerLoop.finish_batch`): once a partition's messages of a poll are handled, the
   work their handlers left for the whole batch (visits looks once for the work kept for the
   elders the batch brought, instead of once per event);
7. commit (`ConsumerLoop.consume_partition`): per partition, as stated below.

`EventPipeline` chains steps 1-5 for one message and says its outcome (applied, duplicate,
ignored, dead-lettered); `ConsumerLoop` polls, hands it every message in order and commits.
Before that, it reads a partition's messages of a poll through steps 1-3 (`EventPipeline.read`)
and gives the events it may handle to a service's preparing step, if it has one: a batch's
writes that can be made at once (visits and allowances insert ahead the elders a batch brings,
`shared.projection.InsertAhead`). Preparing only spares round trips: a failure of it is logged,
and every event is then handled as it would be without.
`consumer_loop` builds both from a service's settings: the worker and the tests build them so.

Commit policy: after a poll, each partition's offset is committed only once every message of
that partition in the batch has either had its effect stored, been ignored (a type this
service does not handle), or been confirmed on the dead-letter topic, and the batch's finishing
step has run. A crash before the commit means redelivery, which handlers absorb because their
effects are idempotent. A finishing step that fails other than by an outage sends the whole
batch round again, as a crash would.

Failure policy: an error of the store or broker (the dependency is down) is retried with
backoff for as long as it lasts, because dead-lettering healthy events during an outage would
lose their order; any other error is retried a bounded number of times and then dead-lettered.
A message that is not a valid event for this service (not an envelope, another district, a
sender that may not write on its topic, data against its schema, or `InvalidEvent` raised by a
handler) is dead-lettered at once.

Dead-letter flood limit: once `Settings.dead_letter_flood_limit` messages in a row have been
dead-lettered because their handler kept failing, with no handler succeeding in between, the
next message whose handler keeps failing is not dead-lettered but held, as an outage is: it is
retried every `HOLD_SECONDS` and nothing after it is processed or committed, with a warning in
the log and `eldercare_consumer_halted` at 1, until it succeeds, which resets the count. A bug
that makes every event fail thus stops the consumer, with order kept and nothing lost, instead
of draining the topic into the dead-letter topic. Invalid messages still go to the dead-letter
topic and neither count nor reset: outside systems legitimately send garbage, and one garbled
message must not hold up everything behind it. A limit of 0 turns the hold off.
"""

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypedDict, Unpack

from kafka import KafkaConsumer, KafkaProducer
from kafka.errors import KafkaError
from kafka.structs import OffsetAndMetadata, TopicPartition
from pymongo.errors import ConnectionFailure, PyMongoError

from shared import metrics
from shared.audit import Actor, acting_as
from shared.config import Settings
from shared.consumer_stall import CHECK_SECONDS, STALL_SECONDS, StallWatch
from shared.events import Event, EventType, InvalidEvent, Topics, decode, event_type, topic_owner
from shared.kafka import make_consumer, make_offsets_client
from shared.personal import mask_numbers_in

log = logging.getLogger(__name__)

# handler(event, data) -> True if it changed something, False for an already-applied event
Handler = Callable[[Event, dict[str, Any]], bool]
# the events of a batch that a service handles, with their data: what its preparing step gets
HandledBatch = list[tuple[Event, dict[str, Any]]]
OUTAGES = (ConnectionFailure, KafkaError)
MAX_MESSAGE_BYTES = 64 * 1024  # no event of the catalogue comes near it
OUTAGE_WAIT_SECONDS = 1.0  # between two tries while the store or broker is away
HOLD_SECONDS = 5.0  # between two rounds of retries of a message held by the flood limit
LAG_REFRESH_SECONDS = 5.0

# The outcomes of a message: each one lets its offset be committed.
APPLIED = "applied"
DUPLICATE = "duplicate"
IGNORED = "ignored"
DEAD_LETTERED = "dead-lettered"


@dataclass(frozen=True)
class Received:
    """A message as the pipeline sees it, whatever client delivered it."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None

    @classmethod
    def of(cls, record: Any) -> "Received":
        """From a kafka-python ConsumerRecord."""
        return cls(record.topic, record.partition, record.offset, record.key, record.value)


class Interrupted(Exception):
    """Shutdown was asked for while a message waited (an outage, a hold); it stays uncommitted."""


class HandlerFailed(Exception):
    """The handler kept raising through its bounded retries: a bug, or data it cannot cope with
    yet. Unlike an InvalidEvent, it counts towards the dead-letter flood limit."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# -- 1. decode -----------------------------------------------------------------------------


def decode_message(message: Received) -> tuple[Event, EventType]:
    """The event and its type, or InvalidEvent. The size is checked before anything is parsed,
    so that an outsider's huge message costs nothing."""
    if message.value is not None and len(message.value) > MAX_MESSAGE_BYTES:
        raise InvalidEvent(
            f"message of {len(message.value)} bytes; the limit is {MAX_MESSAGE_BYTES}"
        )
    event = decode(message.value)
    return event, event_type(event.type)


# -- 2. check ------------------------------------------------------------------------------


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


# -- 3. route ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """What handling an event takes: its handler, and its data checked against the schema."""

    handler: Handler
    data: dict[str, Any]


def route(handlers: Mapping[str, Handler], event: Event, kind: EventType) -> Route | None:
    """The handler of the event's type, or None for a type this service does not handle. The
    data is loaded (upcast, validated) only for a handled type: data a service never reads
    must not send it to the dead-letter topic."""
    handler = handlers.get(event.type)
    if handler is None:
        return None
    return Route(handler, kind.load(event))


@dataclass(frozen=True)
class Reading:
    """A message read through steps 1-3: its event and route (none for a type this service does
    not handle), or why it can never be processed."""

    event: Event | None = None
    routed: Route | None = None
    refused: str | None = None


# -- 4. retry ------------------------------------------------------------------------------


class Retry:
    """Runs a handler until it gives an answer. An outage is waited out however long it lasts,
    because dead-lettering healthy events meanwhile would lose their order; any other error is
    retried `retries` times with doubling backoff (a conflict, a race) and then HandlerFailed.
    InvalidEvent passes through at once: trying again cannot make it valid."""

    def __init__(
        self, service: str, stop: threading.Event, retries: int, backoff_seconds: float
    ) -> None:
        self.service = service
        self.stop = stop
        self.retries = retries
        self.backoff_seconds = backoff_seconds

    def run(self, message: Received, attempt: Callable[[], bool]) -> str:
        """APPLIED or DUPLICATE; raises HandlerFailed, InvalidEvent or Interrupted."""
        failures = 0
        while True:
            try:
                return APPLIED if attempt() else DUPLICATE
            except InvalidEvent:
                raise
            except OUTAGES as outage:
                self._wait_out(message, outage)
            except Exception as error:
                failures += 1
                self._count(message, error)
                if failures > self.retries:
                    reason = f"{type(error).__name__}: {error} (after {self.retries} retries)"
                    raise HandlerFailed(reason) from error
                self.stop.wait(self.backoff_seconds * 2 ** (failures - 1))

    def _wait_out(self, message: Received, outage: Exception) -> None:
        self._count(message, outage)
        log.warning("dependency unavailable; retrying", extra={"error": str(outage)})
        if self.stop.wait(OUTAGE_WAIT_SECONDS):
            raise Interrupted

    def _count(self, message: Received, error: Exception) -> None:
        metrics.EVENTS_FAILED.labels(self.service, message.topic, type(error).__name__).inc()


# -- 5. dead-letter ------------------------------------------------------------------------


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


class FloodLimit:
    """Counts the messages dead-lettered in a row because their handler kept failing. Past
    `limit` the failures are no longer the data's but the service's (a faulty release, a
    missing configuration), and dead-lettering more would only empty the topic into the
    dead-letter topic, out of order: the pipeline holds the next one instead."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.in_a_row = 0

    def reached(self) -> bool:
        return 0 < self.limit <= self.in_a_row

    def dead_lettered(self) -> None:
        self.in_a_row += 1

    def handled(self) -> None:
        """A handler succeeded: whatever failed before was not everything failing."""
        self.in_a_row = 0


# -- the chain for one message -------------------------------------------------------------


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
        flood_limit: int = Settings.dead_letter_flood_limit,
        hold_seconds: float = HOLD_SECONDS,
    ) -> None:
        self.service = service
        self.district = district
        self.handlers = handlers
        self.dead_letters = dead_letters
        self.stop = stop
        self.retry = Retry(service, stop, retries, backoff_seconds)
        self.flood = FloodLimit(flood_limit)
        self.hold_seconds = hold_seconds

    def read(self, message: Received) -> Reading:
        """Steps 1-3: the event and its route, or why it is refused."""
        try:
            event, kind = decode_message(message)
            check_sender(message.topic, event, self.district)
            return Reading(event, route(self.handlers, event, kind))
        except InvalidEvent as invalid:
            return Reading(refused=invalid.reason)

    def process(self, message: Received, reading: Reading | None = None) -> str:
        """The message's outcome, from its `reading` if it was read already."""
        started = time.monotonic()
        outcome, event_kind = self._outcome(message, reading or self.read(message))
        metrics.EVENT_PROCESSING_SECONDS.labels(self.service, message.topic).observe(
            time.monotonic() - started
        )
        metrics.EVENTS_CONSUMED.labels(self.service, message.topic, event_kind, outcome).inc()
        return outcome

    def _outcome(self, message: Received, reading: Reading) -> tuple[str, str]:
        """The steps in order, with the outcome and the type to count it under. A message
        dead-lettered is counted as "invalid", whichever step refused it."""
        try:
            if reading.event is None:
                raise InvalidEvent(reading.refused or "unreadable")
            if reading.routed is None:
                return IGNORED, reading.event.type
            return self._handle(message, reading.event, reading.routed), reading.event.type
        except InvalidEvent as invalid:
            self.dead_letters.send(message, invalid.reason)
        except HandlerFailed as failure:
            self.dead_letters.send(message, failure.reason)
            self.flood.dead_lettered()  # only once the dead letter is confirmed
        return DEAD_LETTERED, "invalid"

    def _handle(self, message: Received, event: Event, routed: Route) -> str:
        """The handler with its retries, acting as the event's sender (for the audit trail);
        past the flood limit a message that keeps failing is held instead of dead-lettered."""
        attempt = partial(routed.handler, event, routed.data)
        with acting_as(Actor(event.source, f"kafka:{message.topic}")):
            try:
                outcome = self.retry.run(message, attempt)
            except HandlerFailed:
                if not self.flood.reached():
                    raise
                outcome = self._hold(message, attempt)
        self.flood.handled()
        return outcome

    def _hold(self, message: Received, attempt: Callable[[], bool]) -> str:
        """Retry the message, uncommitted, until it succeeds (see the module: flood limit)."""
        halted = metrics.CONSUMER_HALTED.labels(self.service)
        halted.set(1)
        log.warning(
            "dead-letter flood limit reached: the consumer holds this message and retries it "
            "instead of dead-lettering it; nothing after it is consumed until it succeeds",
            extra={
                "topic": message.topic,
                "partition": message.partition,
                "offset": message.offset,
                "failed_in_a_row": self.flood.in_a_row,
            },
        )
        try:
            while True:
                if self.stop.wait(self.hold_seconds):
                    raise Interrupted
                with suppress(HandlerFailed):
                    outcome = self.retry.run(message, attempt)
                    log.info("held message handled; consuming again")
                    return outcome
        finally:
            halted.set(0)


# -- 6. commit, and the loop around it -----------------------------------------------------


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
        lag_refresh_seconds: float = LAG_REFRESH_SECONDS,
        reconnect: Callable[[], KafkaConsumer] | None = None,
        ask_another: Callable[[], KafkaConsumer] | None = None,
        stall_seconds: float = STALL_SECONDS,
        stall_check_seconds: float = CHECK_SECONDS,
        on_partitions_gained: Callable[[], None] | None = None,
        move_stamps: Callable[[], None] | None = None,
        finish_batch: Callable[[], object] | None = None,
        prepare_batch: Callable[[HandledBatch], object] | None = None,
    ) -> None:
        self.pipeline = pipeline
        # given the events of a partition's messages of a poll that this service handles,
        # with their data, before any is handled: writes the batch can make at once
        self.prepare_batch = prepare_batch
        # run once a partition's messages of a poll are handled, before their offsets are
        # committed: the work the handlers left for the whole batch
        self.finish_batch = finish_batch
        # run after a partition's batch is applied and before its offset is committed, and
        # once per poll, so that a stamp the store refused moves with the next try
        self.move_stamps = move_stamps
        # called when the group gives this consumer partitions it did not hold (not on its
        # first assignment): another copy left or died, and may have left work behind
        self.on_partitions_gained = on_partitions_gained
        self._assigned: set[TopicPartition] | None = None
        self.lag_refresh_seconds = lag_refresh_seconds
        self.reconnect = reconnect
        self.ask_another = ask_another  # a new client, for StallWatch to ask
        self.stall_seconds = stall_seconds
        self.stall_check_seconds = stall_check_seconds
        self._use(consumer)

    def _use(self, consumer: KafkaConsumer) -> None:
        self.consumer = consumer
        self.lag = ConsumerLag(consumer, self.pipeline.service, self.lag_refresh_seconds)
        self.stall = StallWatch(
            consumer, self.stall_seconds, self.stall_check_seconds, ask_another=self.ask_another
        )

    def run_once(self, timeout_ms: int = 500) -> list[tuple[Received, str]]:
        """One poll: process every message in order; returns each message with its outcome."""
        try:
            batches = self.consumer.poll(timeout_ms=timeout_ms)
        except KafkaError as outage:  # the broker is unreachable: wait it out, like the store
            log.warning(
                "poll failed; the broker is unreachable, retrying", extra={"error": str(outage)}
            )
            self.pipeline.stop.wait(OUTAGE_WAIT_SECONDS)
            return []
        outcomes: list[tuple[Received, str]] = []
        for partition, records in batches.items():
            self.consume_partition(partition, records, outcomes)
        self._move_stamps()
        self._notice_assignment()
        self.lag.update()
        if self.reconnect is not None and self.stall.stalled():
            self._join_again()
        return outcomes

    def _notice_assignment(self) -> None:
        assigned = set(self.consumer.assignment() or ())
        if not assigned:  # between a revocation and the next assignment
            return
        gained = self._assigned is not None and bool(assigned - self._assigned)
        self._assigned = assigned
        if gained and self.on_partitions_gained is not None:
            self.on_partitions_gained()

    def consume_partition(
        self, partition: TopicPartition, records: list[Any], outcomes: list[tuple[Received, str]]
    ) -> None:
        """The commit policy, in one place: process the partition's messages in order and
        commit after the last one with an outcome, also when processing stops early. A message
        that could not be given one (e.g. the dead-letter topic unreachable) is sought back to,
        so that it and everything after it come again; on shutdown (Interrupted) the message
        waiting stays uncommitted."""
        last = None
        record = records[0]
        try:
            messages = [Received.of(r) for r in records]
            readings = [self.pipeline.read(m) for m in messages]
            self._prepare(readings)
            for record, message, reading in zip(records, messages, readings, strict=True):
                outcomes.append((message, self.pipeline.process(message, reading)))
                last = record.offset
        except Interrupted:
            raise
        except Exception:  # e.g. the dead-letter topic unreachable: try this message again
            log.exception("message not processed; it will be consumed again")
            self.consumer.seek(partition, record.offset)
            self.pipeline.stop.wait(OUTAGE_WAIT_SECONDS)
        finally:
            if last is not None and self._finished(partition, records[0].offset):
                self._move_stamps()
                self._commit(partition, last)

    def _prepare(self, readings: list[Reading]) -> None:
        """The service's preparing step, with the batch's events it handles. Preparing only
        spares round trips: if it fails, each event is handled as it would be without it."""
        if self.prepare_batch is None:
            return
        handled = [(r.event, r.routed.data) for r in readings if r.event and r.routed]
        if not handled:
            return
        try:
            self.prepare_batch(handled)
        except Exception as error:  # noqa: BLE001 - the events are still handled one by one
            log.warning("batch not prepared", extra={"error": str(error)})

    def _finished(self, partition: TopicPartition, first: int) -> bool:
        """Run the batch's finishing step; whether the batch may be committed. An outage is
        waited out, as a handler's is; any other failure sends the whole batch round again
        (from `first`: its handlers' effects are idempotent) after HOLD_SECONDS, so that a step
        that always fails holds the consumer, with nothing committed, rather than lose work."""
        if self.finish_batch is None:
            return True
        while True:
            try:
                self.finish_batch()
                return True
            except OUTAGES as outage:
                log.warning("dependency unavailable; retrying", extra={"error": str(outage)})
                if self.pipeline.stop.wait(OUTAGE_WAIT_SECONDS):
                    return False
            except Exception:
                log.exception("the batch's finishing step failed; the batch will come again")
                self.consumer.seek(partition, first)
                self.pipeline.stop.wait(HOLD_SECONDS)
                return False

    def _move_stamps(self) -> None:
        if self.move_stamps is None:
            return
        try:
            self.move_stamps()
        except PyMongoError as error:  # answers kept meanwhile are bounded by their max_age
            log.warning(
                "write stamps not moved; tried again after the next poll",
                extra={"error": str(error)},
            )

    def _commit(self, partition: TopicPartition, offset: int) -> None:
        try:
            self.consumer.commit({partition: OffsetAndMetadata(offset + 1, "", -1)})
        except KafkaError as error:  # e.g. a rebalance: the messages come back, harmlessly
            log.warning("offset commit failed", extra={"error": str(error)})

    def _join_again(self) -> None:
        """Replace a consumer that no longer consumes (see shared.consumer_stall)."""
        assert self.reconnect is not None
        log.warning(
            "consumer stalled; joining again",
            extra={
                "reason": self.stall.reason,
                "waiting": self.stall.waiting,
                "stalled_seconds": self.stall_seconds,
            },
        )
        metrics.CONSUMER_RESTARTS.labels(self.pipeline.service).inc()
        with suppress(Exception):  # a stuck client may fail to leave; the group expires it
            self.consumer.close(autocommit=False, timeout_ms=5000)
        self._use(self.reconnect())

    def run(self, stop: threading.Event) -> None:
        try:
            while not stop.is_set():
                self.run_once()
        except Interrupted:
            log.info("consumer interrupted while a message waited; it will come again")
        finally:
            self.consumer.close(autocommit=False)


# -- building it from a service's settings -------------------------------------------------


class LoopOptions(TypedDict, total=False):
    """What a caller may set besides the settings: the worker asks to `rejoin`; tests shorten
    retries and waits."""

    rejoin: bool  # replace a consumer that stalls (shared.consumer_stall) with a new one
    retries: int  # instead of settings.consumer_retries
    backoff_seconds: float  # instead of settings.retry_backoff_seconds
    lag_refresh_seconds: float
    stall_seconds: float
    stall_check_seconds: float
    on_partitions_gained: Callable[[], None]  # the worker's relay sweeps (OutboxRelay.sweep_now)
    move_stamps: Callable[[], None]  # after a batch is applied (shared.stamps.BatchedStamp)
    finish_batch: Callable[[], object]  # after a batch is handled, before its commit
    prepare_batch: Callable[[HandledBatch], object]  # before a batch is handled


def event_pipeline(
    settings: Settings,
    handlers: Mapping[str, Handler],
    producer: KafkaProducer,
    stop: threading.Event,
    retries: int | None = None,
    backoff_seconds: float | None = None,
) -> EventPipeline:
    """The pipeline as the service's settings configure it; dead letters are sent with
    `producer`, marked with the service's consumer group."""
    return EventPipeline(
        settings.service,
        settings.district,
        handlers,
        DeadLetters(producer, settings.service, settings.consumer_group),
        stop,
        retries=settings.consumer_retries if retries is None else retries,
        backoff_seconds=(
            settings.retry_backoff_seconds if backoff_seconds is None else backoff_seconds
        ),
        flood_limit=settings.dead_letter_flood_limit,
    )


def consumer_loop(
    settings: Settings,
    handlers: Mapping[str, Handler],
    producer: KafkaProducer,
    stop: threading.Event,
    topics: Sequence[str],
    **options: Unpack[LoopOptions],
) -> ConsumerLoop:
    """A consumer of `topics` in the service's group, with its pipeline: how `Worker` builds
    its consumer, and how tests build one like it."""
    pipeline = event_pipeline(
        settings,
        handlers,
        producer,
        stop,
        retries=options.get("retries"),
        backoff_seconds=options.get("backoff_seconds"),
    )
    connect = partial(make_consumer, settings, list(topics))
    rejoin = options.get("rejoin", False)
    return ConsumerLoop(
        connect(),
        pipeline,
        lag_refresh_seconds=options.get("lag_refresh_seconds", LAG_REFRESH_SECONDS),
        reconnect=connect if rejoin else None,
        ask_another=partial(make_offsets_client, settings) if rejoin else None,
        stall_seconds=options.get("stall_seconds", STALL_SECONDS),
        stall_check_seconds=options.get("stall_check_seconds", CHECK_SECONDS),
        on_partitions_gained=options.get("on_partitions_gained"),
        move_stamps=options.get("move_stamps"),
        finish_batch=options.get("finish_batch"),
        prepare_batch=options.get("prepare_batch"),
    )
