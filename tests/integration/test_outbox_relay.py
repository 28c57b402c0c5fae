"""The outbox relay against the real broker and store, including a broker outage."""

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

import pytest
from factories import registered_event
from prometheus_client import REGISTRY

from devstack.processes import stop
from devstack.stack import start_broker
from shared.events import Topics
from shared.kafka import ensure_topics, make_producer
from shared.mongo import connect
from shared.outbox import FLAG, OUTBOX, PENDING, OutboxRelay, hint, push_events, with_events


@pytest.fixture
def relay(settings):
    ensure_topics(settings, [Topics.ELDERS])
    db = connect(settings)
    relay = OutboxRelay(
        settings.service,
        db,
        ["things"],
        make_producer(settings),
        send_timeout=5,
        connect=partial(make_producer, settings),
    )
    yield relay
    relay.producer.close(timeout=5)
    db.client.drop_database(db.name)


def test_events_stored_with_a_change_are_published_in_order_then_cleared(
    settings, relay, topic_reader
):
    first, second = registered_event(settings, "e-a", 1), registered_event(settings, "e-a", 2)
    things = relay.db["things"]
    things.insert_one(with_events({"_id": "e-a", "name": "x"}, first))
    things.update_one({"_id": "e-a"}, push_events({"$set": {"name": "y"}}, second))

    assert relay.run_once() == 2
    assert things.count_documents(PENDING) == 0
    assert things.find_one({"_id": "e-a"})["name"] == "y"

    mine = [r for r in topic_reader(Topics.ELDERS) if r.key == b"e-a"]
    ids = [json.loads(r.value)["id"] for r in mine]
    assert ids[-2:] == [first.id, second.id]
    assert len({r.partition for r in mine}) == 1  # one elder, one partition, in order
    assert relay.run_once() == 0


def test_events_written_while_the_broker_is_down_are_published_when_it_returns(
    settings, relay, topic_reader, run_dir, ports
):
    things = relay.db["things"]
    stop("kafka", run_dir)
    event = registered_event(settings, "e-outage")
    things.insert_one(with_events({"_id": "e-outage"}, event))

    with relaying(relay):
        time.sleep(3)
        assert things.count_documents(PENDING) == 1, "nothing can be sent while it is down"
        start_broker(run_dir, ports)
        until_published(things, seconds=60)

    assert things.count_documents(PENDING) == 0
    assert published(topic_reader, "e-outage") == [event.id]


def test_a_producer_that_keeps_failing_is_replaced_and_the_events_go_out(
    settings, relay, topic_reader
):
    """A closed producer fails every send, as a client stuck after a broker restart does."""
    things = relay.db["things"]
    event = registered_event(settings, "e-stuck")
    things.insert_one(with_events({"_id": "e-stuck"}, event))
    stuck = relay.producer
    stuck.close(timeout=5)
    relay.replace_after_seconds = 0.5
    before = restarts(settings.service)

    with relaying(relay):
        until_published(things, seconds=30)

    assert relay.producer is not stuck
    assert restarts(settings.service) == before + 1
    assert things.count_documents(PENDING) == 0
    assert published(topic_reader, "e-stuck") == [event.id]


@contextmanager
def relaying(relay: OutboxRelay, idle_seconds: float = 0.05) -> Iterator[None]:
    """The relay running in a thread of its own while the block runs."""
    halt = threading.Event()
    worker = threading.Thread(target=relay.run, args=(halt, idle_seconds))
    worker.start()
    try:
        yield
    finally:
        halt.set()
        worker.join()


def until_published(collection, seconds: float) -> None:
    """Wait until no document of the collection is pending, or `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while collection.count_documents(PENDING) and time.monotonic() < deadline:
        time.sleep(0.2)


def published(topic_reader, key: str) -> list[str]:
    """The ids of the events on the elders' topic under this key, in order."""
    mine = [r for r in topic_reader(Topics.ELDERS) if r.key == key.encode()]
    return [json.loads(r.value)["id"] for r in mine]


def restarts(service: str) -> float:
    return REGISTRY.get_sample_value("eldercare_producer_restarts_total", {"service": service}) or 0


def test_an_event_added_while_the_relay_publishes_keeps_its_document_pending(settings, relay):
    """The sweep finds pending documents by a flag: the relay unsets it only when the outbox
    is empty, so an event a writer adds between the relay's read and its clearing is kept."""
    things = relay.db["things"]
    first, second = registered_event(settings, "e-b", 1), registered_event(settings, "e-b", 2)
    things.insert_one(with_events({"_id": "e-b"}, first))
    read = things.find_one({"_id": "e-b"})
    things.update_one({"_id": "e-b"}, push_events({"$set": {"name": "z"}}, second))
    assert relay._publish([("things", read)]) == 1
    left = things.find_one({"_id": "e-b"})
    assert [e["id"] for e in left[OUTBOX]] == [second.id]
    assert things.count_documents(PENDING) == 1
    assert relay.sweep() == 1
    assert things.count_documents(PENDING) == 0


def test_events_added_after_another_relay_emptied_the_outbox_are_kept(settings, relay):
    """Two copies' relays may read the same document. When the first has emptied it and a
    writer has added as many new events, the second's clearing must not take them."""
    things = relay.db["things"]
    first, second = registered_event(settings, "e-c", 1), registered_event(settings, "e-c", 2)
    things.insert_one(with_events({"_id": "e-c"}, first))
    read_by_both = things.find_one({"_id": "e-c"})
    assert relay._publish([("things", read_by_both)]) == 1  # the first copy's relay
    assert things.find_one({"_id": "e-c"})[OUTBOX] == []
    things.update_one({"_id": "e-c"}, push_events({"$set": {"name": "w"}}, second))
    assert relay._publish([("things", read_by_both)]) == 1  # the second: `first` again
    left = things.find_one({"_id": "e-c"})
    assert [e["id"] for e in left[OUTBOX]] == [second.id]
    assert left[FLAG] == "yes"
    assert relay.sweep() == 1
    assert things.find_one({"_id": "e-c"})[OUTBOX] == []
    assert things.count_documents(PENDING) == 0


def test_the_sweep_clears_the_flag_of_an_emptied_outbox(relay):
    things = relay.db["things"]
    things.insert_one({"_id": "stale", OUTBOX: [], FLAG: "yes"})  # stopped before unsetting
    assert relay.sweep() == 0
    assert things.count_documents(PENDING) == 0


def test_a_sweep_waits_until_the_hinted_documents_are_published(settings, relay):
    """Reading every flagged document while hints wait would mostly read the hinted ones again;
    an event whose hint was lost is found once they are published."""
    things = relay.db["things"]
    relay.batch_size = 1
    for elder_id in ("e-h1", "e-h2", "e-lost"):
        things.insert_one(with_events({"_id": elder_id}, registered_event(settings, elder_id)))
    hint(things, ["e-h1", "e-h2"])  # the writer of e-lost stopped before its hint

    assert relay.run_once() == 1, "the first hinted document; a full batch: hints may wait"
    assert relay.run_once() == 1, "the second; still a full batch"
    assert things.count_documents(PENDING) == 1, "e-lost's sweep is put off"
    assert relay.run_once() == 1, "no hint left: the sweep finds e-lost"
    assert things.count_documents(PENDING) == 0


def backlog(service: str) -> float | None:
    labels = {"service": service, "collection": "things"}
    return REGISTRY.get_sample_value("eldercare_outbox_backlog_documents", labels)


def test_the_backlog_is_the_hints_waiting_counted_at_most_every_few_seconds(settings, relay):
    """The gauge operators watch: the documents waiting after a full batch, counted again only
    once COUNT_EVERY_SECONDS have passed (counting reads every hint), and 0 once none wait."""
    things = relay.db["things"]
    relay.batch_size = 2
    ids = [f"e-w{n}" for n in range(5)]
    for elder_id in ids:
        things.insert_one(with_events({"_id": elder_id}, registered_event(settings, elder_id)))
    hint(things, ids)

    assert relay.publish_hinted() == 2
    assert backlog(settings.service) == 3, "a full batch: the hints left are counted"
    assert relay.publish_hinted() == 2
    assert backlog(settings.service) == 3, "counted a moment ago: not counted again yet"
    relay.count_backlog()
    assert backlog(settings.service) == 1
    assert relay.publish_hinted() == 1
    assert backlog(settings.service) == 0, "a batch short of full: none wait"
    assert things.count_documents(PENDING) == 0


def test_a_hint_in_the_relays_own_process_wakes_it_at_once(settings, relay):
    """A worker's own writes (an inbound event stored with its event) are published without
    waiting for the relay's next look: here it would look again only after 60 s."""
    things = relay.db["things"]
    with relaying(relay, idle_seconds=60.0):
        time.sleep(1)  # its first pass has found nothing: it waits
        things.insert_one(with_events({"_id": "e-woken"}, registered_event(settings, "e-woken")))
        hint(things, ["e-woken"])
        until_published(things, seconds=20)
        assert things.count_documents(PENDING) == 0


def test_a_copy_without_the_sweeps_lease_sweeps_once_when_asked(settings, relay):
    """A copy that does not hold the sweep's lease leaves unhinted events to the holder; when
    its consumer is given another copy's partitions (that copy may have died between a write
    and its hint, holding the lease), it sweeps once, at its next pass."""
    things = relay.db["things"]
    relay.may_sweep = lambda: False
    things.insert_one(with_events({"_id": "e-stranded"}, registered_event(settings, "e-stranded")))

    assert relay.run_once() == 0, "not its lease: the unhinted event waits"
    relay.sweep_now()
    assert relay.run_once() == 1
    assert things.count_documents(PENDING) == 0
    things.insert_one(with_events({"_id": "e-next"}, registered_event(settings, "e-next")))
    assert relay.run_once() == 0, "one sweep was asked, not every pass"
