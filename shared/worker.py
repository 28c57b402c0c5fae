"""The worker process of a service: its event consumer and its outbox relay, side by side, and
its scheduled duties. Several copies of a worker may run: they share the consumer group, and
each duty (and the relay's sweep) is run by the copy that holds its lease (`shared.leases`)."""

import logging
import signal
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from types import FrameType
from typing import Unpack

from kafka import KafkaProducer
from pymongo.database import Database
from pymongo.errors import PyMongoError

from shared import metrics
from shared.audit import Actor, acting_as
from shared.config import Settings
from shared.consumer import ConsumerLoop, HandledBatch, Handler, LoopOptions, consumer_loop
from shared.events import Topics, event_type
from shared.kafka import ensure_topics, make_producer
from shared.leases import DutyLeases, holder_name
from shared.logs import configure_logging
from shared.mongo import ping, prepare_store
from shared.outbox import SWEEP_SECONDS, OutboxRelay, Settling, prepare_outbox
from shared.worker_probes import probes_app, serve_probes

log = logging.getLogger(__name__)

SWEEP_DUTY = "outbox-sweep"
STANDBY_LOOK_SECONDS = 15.0  # how often a copy without a duty's lease looks whether it ran out
LEASE_MARGIN_SECONDS = 60.0


@dataclass
class Worker:
    settings: Settings
    db: Database
    outbox_collections: list[str] = field(default_factory=list)
    handlers: Mapping[str, Handler] = field(default_factory=dict)
    # run before anything else, until the store answers (e.g. creating indexes)
    prepare: Callable[[], None] | None = None
    # figures derived from the documents of an outbox collection (shared.outbox.Settling)
    settling: Settling | None = None
    # after each batch of events is applied, before its offsets are committed: moves the
    # stamps that note writes instead of moving at each (shared.stamps.BatchedStamp)
    move_stamps: Callable[[], None] | None = None
    # after each batch of events is handled, before its offsets are committed: the work the
    # handlers left for the whole batch (shared.consumer, step 6)
    finish_batch: Callable[[], object] | None = None
    # before each batch of events is handled, given the events it handles with their data:
    # writes the batch can make at once (shared.projection.InsertAhead)
    prepare_batch: Callable[[HandledBatch], object] | None = None
    # (name, every_seconds, job): scheduled duties, e.g. detecting overdue visits
    periodic: list[tuple[str, float, Callable[[], object]]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    failed: bool = False  # a thread ended with an error: the process exits non-zero
    # who runs the scheduled duties among the worker's copies; None: this process, always
    leases: DutyLeases | None = None
    started: bool = False  # its store prepared and its threads started

    def consumed_topics(self) -> list[str]:
        return sorted({event_type(name).topic for name in self.handlers})

    def consumer(
        self,
        producer: KafkaProducer,
        topics: Sequence[str] | None = None,
        **options: Unpack[LoopOptions],
    ) -> ConsumerLoop:
        """The worker's consumer: its settings, handlers and stop event, dead letters sent with
        `producer`. It reads the topics of its handlers unless `topics` names others (a test's
        own copies of them); `options` as `shared.consumer.consumer_loop` takes them."""
        topics = self.consumed_topics() if topics is None else topics
        if self.move_stamps is not None:
            options.setdefault("move_stamps", self.move_stamps)
        if self.finish_batch is not None:
            options.setdefault("finish_batch", self.finish_batch)
        if self.prepare_batch is not None:
            options.setdefault("prepare_batch", self.prepare_batch)
        return consumer_loop(self.settings, self.handlers, producer, self.stop, topics, **options)

    def run(self) -> None:
        """Run until SIGTERM or SIGINT; in-flight work finishes and offsets are committed."""
        settings = self.settings
        if self.prepare:
            prepare_store(self.prepare, wait=True)
        ensure_topics(settings, [*self.consumed_topics(), Topics.dead_letter(settings.service)])
        producer = make_producer(settings)
        self.leases = DutyLeases(self.db, holder_name(settings))
        threads = []
        relay = None
        if self.outbox_collections:
            for name in self.outbox_collections:
                prepare_outbox(self.db[name])
            relay = OutboxRelay(
                settings.service,
                self.db,
                self.outbox_collections,
                make_producer(settings),
                settling=self.settling,
                connect=partial(make_producer, settings),
                may_sweep=partial(self._holds, SWEEP_DUTY, lease_term(SWEEP_SECONDS)),
            )
            threads.append(self._thread("relay", relay.run, self.stop))
        if self.handlers:
            options = LoopOptions(rejoin=True)
            if relay is not None:  # partitions gained: another copy may have left events
                options["on_partitions_gained"] = relay.sweep_now
            loop = self.consumer(producer, **options)
            threads.append(self._thread("consumer", loop.run, self.stop))
        for name, every, job in self.periodic:
            threads.append(self._thread(name, self._repeat, name, every, job))
        for thread in threads:
            thread.start()
        self.started = True
        log.info("worker running", extra={"threads": [t.name for t in threads]})
        for thread in threads:
            thread.join()
        if self.outbox_collections:
            self._give_up(SWEEP_DUTY)
        producer.flush(timeout=10)
        producer.close(timeout=10)
        log.info("worker stopped")

    def not_running(self) -> str | None:
        """Why the worker is not (or no longer) doing its work, for its readiness probe."""
        if self.stop.is_set():
            return "stopping" if not self.failed else "a thread failed; stopping"
        if not self.started:
            return "starting: preparing its store and topics"
        return None

    def _thread(self, name: str, target: Callable[..., object], *args: object) -> threading.Thread:
        """A thread of the worker. If it fails, the whole worker stops (and exits non-zero, to
        be restarted), rather than run on without its consumer or its relay."""

        def guarded() -> None:
            try:
                target(*args)
            except Exception:
                log.exception(
                    "worker thread failed; stopping the worker", extra={"worker_thread": name}
                )
                self.failed = True
                self.stop.set()

        return threading.Thread(target=guarded, name=name)

    def _repeat(self, name: str, every: float, job: Callable[[], object]) -> None:
        """Run `job` now and then every `every` seconds, while this copy of the worker holds
        the duty's lease; a copy that does not looks again every STANDBY_LOOK_SECONDS at most,
        to take over from a holder that stopped. A failure is logged and retried."""
        term = lease_term(every)
        try:
            while not self.stop.is_set():
                held = self._holds(name, term)
                if held:
                    try:
                        with acting_as(Actor(f"system:{name}", "schedule")):
                            job()
                    except Exception:
                        log.exception("scheduled job failed", extra={"job": name})
                self.stop.wait(every if held else min(every, STANDBY_LOOK_SECONDS))
        finally:
            self._give_up(name)

    def _holds(self, duty: str, term: timedelta) -> bool:
        """Whether this copy holds the duty's lease (taken or renewed now); a store that does
        not answer holds it for nobody, until it does."""
        if self.leases is None:
            return True
        try:
            held = self.leases.take(duty, term) is not None
        except PyMongoError as error:
            log.warning("duty lease not taken", extra={"duty": duty, "error": str(error)})
            held = False
        metrics.DUTY_HELD.labels(self.settings.service, duty).set(int(held))
        return held

    def _give_up(self, duty: str) -> None:
        """On stopping, another copy may take the duty over at once."""
        if self.leases is None:
            return
        with suppress(PyMongoError):
            self.leases.give_up(duty)
        metrics.DUTY_HELD.labels(self.settings.service, duty).set(0)


def lease_term(every: float) -> timedelta:
    """How long a duty's lease holds: through a pass, the wait after it, and a pass more."""
    return timedelta(seconds=2 * every + LEASE_MARGIN_SECONDS)


def serve(worker: Worker) -> None:
    """Entry point of a worker process: logs, its metrics and probes, signals, run."""
    configure_logging(worker.settings.service)

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        log.info("stop requested", extra={"signal": signum})
        worker.stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    settings = worker.settings
    if settings.metrics_port:
        probes = probes_app(
            settings.service, lambda: ping(worker.db), settings.kafka_bootstrap, worker.not_running
        )
        serve_probes(probes, settings.metrics_port)
    worker.run()
    if worker.failed:
        sys.exit(1)
