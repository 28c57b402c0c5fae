"""The worker process of a service: its event consumer and its outbox relay, side by side."""

import logging
import signal
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from types import FrameType
from typing import Any, Unpack

from kafka import KafkaProducer
from prometheus_client import start_http_server
from pymongo.database import Database

from shared.audit import Actor, acting_as
from shared.config import Settings
from shared.consumer import ConsumerLoop, Handler, LoopOptions, consumer_loop
from shared.events import Topics, event_type
from shared.kafka import ensure_topics, make_producer
from shared.logs import configure_logging
from shared.mongo import prepare_store
from shared.outbox import OutboxRelay, prepare_outbox

log = logging.getLogger(__name__)


@dataclass
class Worker:
    settings: Settings
    db: Database
    outbox_collections: list[str] = field(default_factory=list)
    handlers: Mapping[str, Handler] = field(default_factory=dict)
    # run before anything else, until the store answers (e.g. creating indexes)
    prepare: Callable[[], None] | None = None
    # (collection, ids): brings figures derived from those outbox documents up to date
    settle: Callable[[str, list[Any]], None] | None = None
    # (name, every_seconds, job): scheduled duties, e.g. detecting overdue visits
    periodic: list[tuple[str, float, Callable[[], object]]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    failed: bool = False  # a thread ended with an error: the process exits non-zero

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
        return consumer_loop(self.settings, self.handlers, producer, self.stop, topics, **options)

    def run(self) -> None:
        """Run until SIGTERM or SIGINT; in-flight work finishes and offsets are committed."""
        settings = self.settings
        if self.prepare:
            prepare_store(self.prepare, wait=True)
        ensure_topics(settings, [*self.consumed_topics(), Topics.dead_letter(settings.service)])
        producer = make_producer(settings)
        threads = []
        if self.outbox_collections:
            for name in self.outbox_collections:
                prepare_outbox(self.db[name])
            relay = OutboxRelay(
                settings.service,
                self.db,
                self.outbox_collections,
                make_producer(settings),
                settle=self.settle,
                connect=partial(make_producer, settings),
            )
            threads.append(self._thread("relay", relay.run, self.stop))
        if self.handlers:
            loop = self.consumer(producer, rejoin=True)
            threads.append(self._thread("consumer", loop.run, self.stop))
        for name, every, job in self.periodic:
            threads.append(self._thread(name, self._repeat, name, every, job))
        for thread in threads:
            thread.start()
        log.info("worker running", extra={"threads": [t.name for t in threads]})
        for thread in threads:
            thread.join()
        producer.flush(timeout=10)
        producer.close(timeout=10)
        log.info("worker stopped")

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
        """Run `job` now and then every `every` seconds; a failure is logged and retried."""
        while not self.stop.is_set():
            try:
                with acting_as(Actor(f"system:{name}", "schedule")):
                    job()
            except Exception:
                log.exception("scheduled job failed", extra={"job": name})
            self.stop.wait(every)


def serve(worker: Worker) -> None:
    """Entry point of a worker process: logs, metrics endpoint, signals, run."""
    configure_logging(worker.settings.service)

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        log.info("stop requested", extra={"signal": signum})
        worker.stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    if worker.settings.metrics_port:
        start_http_server(worker.settings.metrics_port, addr="0.0.0.0")
    worker.run()
    if worker.failed:
        sys.exit(1)
