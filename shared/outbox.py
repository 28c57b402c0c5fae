"""Transactional outbox: events are stored in the same single-document write as the change
they announce, and a relay publishes them to Kafka and then removes them from the document.

A stored outbox entry holds the exact bytes to publish. Once Kafka confirms a batch, the relay
empties each outbox that is still as it was read (its length and its first entry) in one
update for the batch; from one that gained events meanwhile it pulls the published entries
by exact match (`$pullAll`), which every supported store gets right.

A writer also leaves a hint, a small document keyed by the collection and the document's id
(`hint`), right after its write. The relay takes hints, removes them, then reads each hinted
document by `_id` and publishes what it holds. Hints only make the relay quick: it also sweeps
every collection when it starts and then every `sweep_seconds`, which finds events whose hint
was lost (the writer stopped between its two writes, or the store failed then). While hints
wait, a sweep is put off (see `_sweep_due`): it would mostly find the hinted documents again.
Among copies of a worker, only the one holding the sweep's lease sweeps (`shared.leases`);
every copy publishes what is hinted. A copy whose consumer is given more partitions sweeps once
at its next pass, lease or not (`sweep_now`): another copy may have been killed between a write
and its hint, or with hints taken and not yet published, and its lease, if it held the sweep's,
would keep those events waiting until it ran out.

The sweep finds the documents holding events by a flag, `_outbox_pending`, set in the same
write that adds events and unset by the relay once the outbox is empty, through an index. A
query on the outbox array itself would read and decode every document of the collection on
FerretDB, seconds for a district's elders, during which nothing else is published.

A service may keep figures derived from its documents (intake counts its elders per
community, `Settling`): the relay reads the fields they derive from with the outbox and calls
`settle` with those documents before it clears their flag, so a figure is brought up to date
before the mark that it may not be is gone, without a second read of the documents.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from kafka import KafkaProducer
from kafka.errors import KafkaError
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import BulkWriteError, PyMongoError

from shared import metrics
from shared.batches import batches
from shared.events import Event, event_type
from shared.events.envelope import STRUCTURED

log = logging.getLogger(__name__)

OUTBOX = "_outbox"
FLAG = "_outbox_pending"  # set while the outbox holds events; a plain value, for the index
PENDING = {FLAG: "yes"}
HINTS = "outbox_hints"
DUPLICATE_KEY = 11000
REPLACE_AFTER_SECONDS = 20.0  # a producer failing this long is replaced
COUNT_EVERY_SECONDS = 5.0  # how often a relay with hints waiting counts them (the backlog gauge)
# a count of the hints waits at least this many times as long as the last one took: counting
# reads every hint, and must not take more than a small share of the store while many wait
COUNT_COST_RATIO = 50
SWEEP_SECONDS = 30.0  # how often the relay reads every collection for events left unhinted
SWEEP_PUT_OFF = 10  # while hints wait, a due sweep is put off, up to this many sweep periods
# set by `hint` in this process: a relay waiting in this process goes at once; it finds other
# processes' hints at its next look (every `idle_seconds`)
HINTED = threading.Event()


@dataclass(frozen=True)
class Settling:
    """Figures derived from the documents of one collection (see the module's docstring)."""

    collection: str
    fields: Mapping[str, int]  # the fields the figures derive from, as a projection
    settle: Callable[[list[dict[str, Any]]], None]  # brings them up to date from documents


def entry(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "topic": event_type(event.type).topic,
        "key": event.key,
        "value": event.to_json().decode(),
    }


def with_events(document: dict[str, Any], *events: Event) -> dict[str, Any]:
    """A new document carrying the events that announce its creation."""
    flag = {FLAG: "yes"} if events else {}
    return {**document, OUTBOX: [entry(event) for event in events], **flag}


def push_events(update: dict[str, Any], *events: Event) -> dict[str, Any]:
    """An update that also appends events to the document's outbox, in one write."""
    if not events:
        return update
    pushes = {**update.get("$push", {}), OUTBOX: {"$each": [entry(e) for e in events]}}
    return {**update, "$set": {**update.get("$set", {}), FLAG: "yes"}, "$push": pushes}


def prepare_outbox(collection: Collection) -> None:
    """The index the relay's sweep finds pending documents through."""
    collection.create_index(FLAG)


def hint(collection: Collection, document_ids: Iterable[Any]) -> None:
    """Tell the relay that these documents of `collection` now hold events: call it after the
    write that stored them. A hint that cannot be written is only logged (the relay's sweep
    finds the events), because the change itself is stored."""
    hints = [
        {"_id": f"{collection.name}/{doc_id}", "collection": collection.name, "id": doc_id}
        for doc_id in document_ids
    ]
    if not hints:
        return
    try:
        collection.database[HINTS].insert_many(hints, ordered=False)
    except BulkWriteError as error:  # already hinted, and not yet taken: nothing to add
        if any(e.get("code") != DUPLICATE_KEY for e in error.details["writeErrors"]):
            log.warning("outbox hint not written", extra={"error": str(error)})
    except PyMongoError as error:
        log.warning("outbox hint not written", extra={"error": str(error)})
    HINTED.set()


class OutboxRelay:
    """Publishes pending events of the given collections: the hinted documents as soon as
    they are hinted, and every collection read whole at start and then every
    `sweep_seconds`. Sends are batched: one flush per batch of documents."""

    def __init__(
        self,
        service: str,
        db: Database,
        collections: list[str],
        producer: KafkaProducer,
        batch_size: int = 500,
        send_timeout: float = 15.0,
        sweep_seconds: float = SWEEP_SECONDS,
        settling: Settling | None = None,
        connect: Callable[[], KafkaProducer] | None = None,
        replace_after_seconds: float = REPLACE_AFTER_SECONDS,
        may_sweep: Callable[[], bool] = lambda: True,
    ) -> None:
        self.service = service
        self.db = db
        self.collections = collections
        self.producer = producer
        self.batch_size = batch_size
        self.send_timeout = send_timeout
        self.sweep_seconds = sweep_seconds
        self.settling = settling
        # makes a new producer when this one has failed for `replace_after_seconds`
        self.connect = connect
        self.replace_after_seconds = replace_after_seconds
        # whether this relay sweeps: among copies of a worker, the one holding the lease
        self.may_sweep = may_sweep
        self.hints = db[HINTS]
        self._swept_at = time.monotonic() - sweep_seconds  # a sweep is due at once
        self._count_due_at = 0.0  # when the hints waiting may be counted again
        self._asked_at: float | None = None  # when `may_sweep` was last asked
        self._sweeping = False
        self._hints_waiting = False  # the last pass took a full batch of hints
        self._sweep_asked = threading.Event()  # set by `sweep_now`, from the consumer's thread

    def sweep_now(self) -> None:
        """Sweep at the next pass, whoever holds the lease (the worker's consumer asks, on
        being given partitions another copy held)."""
        self._sweep_asked.set()

    def run_once(self) -> int:
        """Publish what is hinted, and sweep when due; returns how many events were published."""
        published = self.publish_hinted()
        now = time.monotonic()
        asked = self._sweep_asked.is_set()
        if asked or (self._sweeps(now) and self._sweep_due(now)):
            self._sweep_asked.clear()
            published += self.sweep()
            self._swept_at = now
        return published

    def _sweeps(self, now: float) -> bool:
        """Whether this relay is the one that sweeps, asked of `may_sweep` once a sweep period
        (also while sweeps are put off: the lease is kept, or seen to lapse, on time)."""
        if self._asked_at is None or now - self._asked_at >= self.sweep_seconds:
            self._asked_at = now
            self._sweeping = self.may_sweep()
        return self._sweeping

    def _sweep_due(self, now: float) -> bool:
        """A sweep is due at start and then every `sweep_seconds`, but put off while hints
        wait, up to SWEEP_PUT_OFF periods: the documents it would find are then mostly the
        hinted ones, and reading every flagged document is the heaviest read the relay makes
        (a quarter of its time during a district import, whose thousands of elders wait)."""
        waited = now - self._swept_at
        if waited < self.sweep_seconds:
            return False
        return not self._hints_waiting or waited >= self.sweep_seconds * SWEEP_PUT_OFF

    def publish_hinted(self) -> int:
        """One batch of hinted documents. A hint is removed before its document is read, so a
        write after that read leaves a new hint; what could not be sent is hinted again."""
        taken = list(
            self.hints.find({"collection": {"$in": self.collections}}).limit(self.batch_size)
        )
        self._hints_waiting = len(taken) >= self.batch_size
        if not taken:
            return 0
        self.hints.delete_many({"_id": {"$in": [h["_id"] for h in taken]}})
        documents = []
        for name in self.collections:
            ids = [h["id"] for h in taken if h["collection"] == name]
            if ids:
                found = self.db[name].find({"_id": {"$in": ids}}, self._read(name)).sort("_id", 1)
                documents += [(name, d) for d in found if d.get(OUTBOX)]
        published = self._publish(documents)
        if len(taken) < self.batch_size:  # none left
            for name in self.collections:
                metrics.OUTBOX_BACKLOG.labels(self.service, name).set(0)
        elif time.monotonic() >= self._count_due_at:
            self.count_backlog()
        return published

    def count_backlog(self) -> None:
        """Set the backlog gauge to the hints waiting in each collection. Counting reads every
        hint (FerretDB decodes each one: 0.4 s for a district's import waiting, every 5 s a
        seventh of intake's store during it), so the next count waits COUNT_COST_RATIO times
        as long as this one took, and at least COUNT_EVERY_SECONDS."""
        started = time.monotonic()
        for name in self.collections:
            waiting = self.hints.count_documents({"collection": name})
            metrics.OUTBOX_BACKLOG.labels(self.service, name).set(waiting)
        took = time.monotonic() - started
        self._count_due_at = started + max(COUNT_EVERY_SECONDS, took * COUNT_COST_RATIO)

    def sweep(self) -> int:
        """Find the documents flagged as holding events, in every collection, and publish
        what they hold."""
        published = 0
        for name in self.collections:
            # read to the end before writing: FerretDB's SQLite backend holds the collection
            # while a cursor on it is open
            flagged = list(self.db[name].find(PENDING, self._read(name)).sort("_id", 1))
            pending = [d for d in flagged if d.get(OUTBOX)]
            if len(pending) < len(flagged):  # a change without events, for `settle` to count
                self._remove_published(name, [d for d in flagged if not d.get(OUTBOX)])
            for batch in batches(((name, d) for d in pending), self.batch_size):
                published += self._publish(batch)
            metrics.OUTBOX_BACKLOG.labels(self.service, name).set(0)
            if pending:
                log.info("outbox sweep", extra={"collection": name, "documents": len(pending)})
        return published

    def _read(self, name: str) -> dict[str, Any]:
        """What the relay reads of a document: its outbox, and what figures derive from."""
        settling = self.settling
        fields = settling.fields if settling and settling.collection == name else {}
        return {OUTBOX: 1, **fields}

    def _publish(self, documents: list[tuple[str, dict[str, Any]]]) -> int:
        """Send every entry of the documents in order, flush once, and remove from each
        document what Kafka confirmed. A failure hints the unconfirmed documents again."""
        if not documents:
            return 0
        sent = [
            (
                name,
                document,
                [
                    self.producer.send(
                        e["topic"],
                        key=e["key"].encode(),
                        value=e["value"].encode(),
                        headers=[STRUCTURED],
                    )
                    for e in document[OUTBOX]
                ],
            )
            for name, document in documents
        ]
        self.producer.flush(timeout=self.send_timeout)
        confirmed: dict[str, list[dict[str, Any]]] = {}
        published = 0
        try:
            for name, document, futures in sent:
                for future in futures:
                    future.get(timeout=self.send_timeout)  # raises unless confirmed (acks=all)
                for e in document[OUTBOX]:
                    metrics.EVENTS_PUBLISHED.labels(self.service, e["topic"]).inc()
                confirmed.setdefault(name, []).append(document)
                published += len(futures)
        except KafkaError:
            for name, document, _ in sent[sum(len(c) for c in confirmed.values()) :]:
                hint(self.db[name], [document["_id"]])
            raise
        finally:
            for name, done in confirmed.items():
                self._remove_published(name, done)
        return published

    def _remove_published(self, name: str, documents: list[dict[str, Any]]) -> None:
        """Empty the outbox and unset the flag in one update (each is a rewrite of the whole
        document on FerretDB), of the documents whose outbox is still as it was read: of the
        same length, and with the same first entry. Entries are only ever appended, and each
        removal takes the entries a relay read, the first among them, so such an outbox holds
        nothing but what was published (another copy's relay may have emptied it meanwhile,
        and a writer then added as many new events: their first entry differs). Emptying is
        an array set, not a `$pullAll` of the batch's entries, which FerretDB compares with
        every entry of every document (a tenth of intake's store during an import). A
        document that gained events keeps its flag and has only what was published pulled.
        A flagged document with an empty outbox (nothing to publish) only has its flag unset.
        `settle` comes first: see the module's docstring."""
        if self.settling and self.settling.collection == name:
            self.settling.settle(documents)
        collection = self.db[name]
        by_length: dict[int, list[dict[str, Any]]] = {}
        for document in documents:
            by_length.setdefault(len(document.get(OUTBOX) or []), []).append(document)
        for length, group in by_length.items():
            unchanged: dict[str, Any] = {"_id": {"$in": [d["_id"] for d in group]}}
            unchanged[OUTBOX] = {"$size": length}
            if length:
                unchanged[f"{OUTBOX}.0.id"] = {"$in": [d[OUTBOX][0]["id"] for d in group]}
            emptied = collection.update_many(
                unchanged, {"$set": {OUTBOX: []}, "$unset": {FLAG: ""}}
            )
            if length and emptied.matched_count < len(group):
                self._pull_from_grown(collection, group)

    def _pull_from_grown(self, collection: Collection, group: list[dict[str, Any]]) -> None:
        """Pull from each document still holding events its published entries, leaving the
        events it gained since it was read (rare: a document written to while its events were
        sent). Pulling exact entries is harmless where they are gone already."""
        holding = {f"{OUTBOX}.0": {"$exists": True}}
        ids = [d["_id"] for d in group]
        grown = {d["_id"] for d in collection.find({"_id": {"$in": ids}, **holding}, {"_id": 1})}
        for document in group:
            if document["_id"] in grown:
                collection.update_one(
                    {"_id": document["_id"]}, {"$pullAll": {OUTBOX: document[OUTBOX]}}
                )

    def run(self, stop: threading.Event, idle_seconds: float = 0.05) -> None:
        """Relay until stopped; a broker or store outage only delays publication."""
        backoff = idle_seconds
        failing_since: float | None = None
        while not stop.is_set():
            HINTED.clear()  # a hint from now on wakes the wait below
            try:
                published = self.run_once()
                backoff = idle_seconds
                failing_since = None
            except (KafkaError, PyMongoError) as error:
                metrics.OUTBOX_PUBLISH_FAILURES.labels(self.service).inc()
                log.warning("outbox relay pass failed; will retry", extra={"error": str(error)})
                published = 0
                backoff = min(max(backoff, 0.2) * 2, 5.0)
                now = time.monotonic()
                failing_since = failing_since or now
                too_long = now - failing_since >= self.replace_after_seconds
                if isinstance(error, KafkaError) and too_long:
                    self._replace_producer()
                    failing_since = now
            if not published and failing_since is None:
                self._idle(stop, backoff)
            elif not published:
                stop.wait(backoff)

    @staticmethod
    def _idle(stop: threading.Event, seconds: float) -> None:
        """Wait `seconds`, or until this process hints a write, or until stopped."""
        deadline = time.monotonic() + seconds
        while not stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0 or HINTED.wait(min(left, 0.25)):
                return

    def _replace_producer(self) -> None:
        """The Kafka client can keep failing to refresh its metadata after the broker has come
        back (seen after a broker restart): a new producer connects afresh. Unconfirmed
        documents are still in their outboxes, so nothing is lost."""
        if self.connect is None:
            return
        try:
            fresh = self.connect()
        except KafkaError as error:  # the broker is still away: try again later
            log.warning("outbox producer not replaced", extra={"error": str(error)})
            return
        log.warning("outbox producer kept failing; replaced with a new one")
        metrics.PRODUCER_RESTARTS.labels(self.service).inc()
        with suppress(Exception):
            self.producer.close(timeout=0)
        self.producer = fresh
