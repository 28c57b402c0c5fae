"""Transactional outbox: events are stored in the same single-document write as the change
they announce, and a relay publishes them to Kafka and then removes them from the document.

A stored outbox entry holds the exact bytes to publish, so removing it after a confirmed send
is an exact-match `$pullAll`, which every supported store gets right.
"""

import logging
import threading
from typing import Any

from kafka import KafkaProducer
from kafka.errors import KafkaError
from pymongo.database import Database
from pymongo.errors import PyMongoError

from shared import metrics
from shared.events import Event, event_type

log = logging.getLogger(__name__)

OUTBOX = "_outbox"
PENDING = {f"{OUTBOX}.0": {"$exists": True}}


def entry(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "topic": event_type(event.type).topic,
        "key": event.subject,
        "value": event.to_json().decode(),
    }


def with_events(document: dict[str, Any], *events: Event) -> dict[str, Any]:
    """A new document carrying the events that announce its creation."""
    return {**document, OUTBOX: [entry(event) for event in events]}


def push_events(update: dict[str, Any], *events: Event) -> dict[str, Any]:
    """An update that also appends events to the document's outbox, in one write."""
    pushes = {**update.get("$push", {}), OUTBOX: {"$each": [entry(e) for e in events]}}
    return {**update, "$push": pushes}


class OutboxRelay:
    """Publishes pending events from the given collections, oldest documents first."""

    def __init__(
        self,
        service: str,
        db: Database,
        collections: list[str],
        producer: KafkaProducer,
        batch_size: int = 200,
        send_timeout: float = 15.0,
    ) -> None:
        self.service = service
        self.db = db
        self.collections = collections
        self.producer = producer
        self.batch_size = batch_size
        self.send_timeout = send_timeout

    def run_once(self) -> int:
        """One pass over every collection; returns how many events were published."""
        published = 0
        for name in self.collections:
            collection = self.db[name]
            documents = list(
                collection.find(PENDING, {OUTBOX: 1}).sort("_id", 1).limit(self.batch_size)
            )
            for document in documents:
                published += self._publish(name, document)
            metrics.OUTBOX_BACKLOG.labels(self.service, name).set(
                collection.count_documents(PENDING)
            )
        return published

    def _publish(self, collection: str, document: dict[str, Any]) -> int:
        entries = document[OUTBOX]
        futures = [
            self.producer.send(e["topic"], key=e["key"].encode(), value=e["value"].encode())
            for e in entries
        ]
        self.producer.flush(timeout=self.send_timeout)
        for future, sent in zip(futures, entries, strict=True):
            future.get(timeout=self.send_timeout)  # raises unless Kafka confirmed (acks=all)
            metrics.EVENTS_PUBLISHED.labels(self.service, sent["topic"]).inc()
        self.db[collection].update_one({"_id": document["_id"]}, {"$pullAll": {OUTBOX: entries}})
        return len(entries)

    def run(self, stop: threading.Event, idle_seconds: float = 0.2) -> None:
        """Relay until stopped; a broker or store outage only delays publication."""
        backoff = idle_seconds
        while not stop.is_set():
            try:
                published = self.run_once()
                backoff = idle_seconds
            except (KafkaError, PyMongoError) as error:
                metrics.OUTBOX_PUBLISH_FAILURES.labels(self.service).inc()
                log.warning("outbox relay pass failed; will retry", extra={"error": str(error)})
                published = 0
                backoff = min(backoff * 2, 5.0)
            if not published:
                stop.wait(backoff)
