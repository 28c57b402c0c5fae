"""The consumer against the real broker and store: duplicates, poison messages, commits."""

import json
import threading
import time
from dataclasses import dataclass, replace
from datetime import date
from functools import partial

import pytest
from factories import registered_event
from kafka import KafkaProducer, TopicPartition
from kafka.errors import KafkaTimeoutError
from pymongo import MongoClient, monitoring
from pymongo.errors import AutoReconnect

from devstack.processes import free_port
from shared import consumer, metrics
from shared.consumer import consumer_loop
from shared.events import Topics
from shared.kafka import client_options, ensure_topics, make_offsets_client, make_producer
from shared.mongo import connect, credentials
from shared.projection import REPLAY_PAUSE, InsertAhead, Projection


@pytest.fixture
def projection(settings):
    db = connect(settings)
    yield Projection(db, "elders", ProjectedElder)
    db.client.drop_database(db.name)


@dataclass(frozen=True)
class ProjectedElder:
    elder_id: str
    name: str
    birth_date: date
    version: int
    last_event_id: str | None = None


def handlers_for(projection):
    def on_registered(event, data):
        if data["name"] == "BOOM":
            raise ValueError("the handler cannot cope with this elder")
        return projection.apply(data["elder_id"], data["version"], event.id, data)

    return {"elder.registered": on_registered}


def elders_topic(settings):
    """The elders topic as this test's own: the shared one holds every other test's events,
    which a new consumer group would read first."""
    return f"{Topics.ELDERS}.{settings.service}"


def make_loop(settings, projection, producer, handlers=None, **options):
    """A consumer of this test's elders topic: `projection`'s handlers unless `handlers`."""
    return consumer_loop(
        settings,
        handlers or handlers_for(projection),
        producer,
        threading.Event(),
        [elders_topic(settings)],
        **{"retries": 2, "backoff_seconds": 0.01, **options},
    )


def consume(loop, key, count, timeout=60):
    """Outcomes of the messages with `key`, once `count` of them have been processed."""
    outcomes = []
    deadline = time.monotonic() + timeout
    while len(outcomes) < count and time.monotonic() < deadline:
        outcomes += [o for m, o in loop.run_once(timeout_ms=200) if m.key == key]
    return outcomes


def test_duplicates_apply_once_and_poison_goes_to_the_dead_letter_topic(
    settings, projection, topic_reader
):
    topic = elders_topic(settings)
    ensure_topics(settings, [topic, Topics.dead_letter(settings.service)])
    key = f"elder-{settings.service}".encode()
    good = registered_event(settings, key.decode())
    boom = registered_event(settings, key.decode(), version=2, name="BOOM")
    after = registered_event(settings, key.decode(), version=3)
    wrong_district = json.loads(good.to_json())
    wrong_district.update(id="other", district="elsewhere")
    invalid_data = json.loads(good.to_json())
    invalid_data.update(id="bad-data")
    invalid_data["data"]["birth_date"] = "not a date"
    messages = [
        good.to_json(),
        good.to_json(),  # the same event delivered twice
        b"\x00garbage",
        json.dumps(wrong_district).encode(),
        json.dumps(invalid_data).encode(),
        boom.to_json(),
        after.to_json(),  # still processed after all of the above
    ]
    producer = KafkaProducer(**client_options(settings), acks="all")
    sent = [producer.send(topic, key=key, value=m).get(10) for m in messages]
    producer.close()

    own_producer = make_producer(settings)
    loop = make_loop(settings, projection, own_producer)
    outcomes = consume(loop, key, len(messages))
    loop.consumer.close()

    assert outcomes == [
        "applied",
        "duplicate",
        "dead-lettered",
        "dead-lettered",
        "dead-lettered",
        "dead-lettered",
        "applied",
    ]
    stored = projection.get(key.decode())
    assert stored.version == 3 and stored.birth_date == date(1944, 3, 7)
    assert stored.last_event_id == after.id

    dead = {
        int(dict(r.headers)["dlq.original.offset"]): r
        for r in topic_reader(Topics.dead_letter(settings.service))
    }
    reasons = {offset: dict(r.headers)["dlq.reason"].decode() for offset, r in dead.items()}
    offsets = [s.offset for s in sent]
    assert "not JSON" in reasons[offsets[2]]
    assert "district 'elsewhere'" in reasons[offsets[3]]
    assert "birth_date" in reasons[offsets[4]]
    assert "ValueError: the handler cannot cope" in reasons[offsets[5]]
    assert "after 2 retries" in reasons[offsets[5]]
    assert dead[offsets[2]].value == b"\x00garbage"  # the original bytes, untouched
    headers = dict(dead[offsets[5]].headers)
    assert headers["dlq.original.topic"] == topic.encode()
    assert int(headers["dlq.original.partition"]) == sent[5].partition
    assert headers["dlq.consumer.group"] == settings.consumer_group.encode()

    # Everything was committed: a restarted consumer of the group finds nothing to redo.
    restarted = make_loop(settings, projection, own_producer)
    partition = TopicPartition(topic, sent[0].partition)
    deadline = time.monotonic() + 30
    while not restarted.consumer.assignment() and time.monotonic() < deadline:
        restarted.run_once(timeout_ms=200)
    assert restarted.consumer.committed(partition) == sent[-1].offset + 1
    assert consume(restarted, key, 1, timeout=2) == []
    restarted.consumer.close()
    own_producer.close()


def registrations_published(settings, topic: str, prefix: str, count: int) -> list[str]:
    """`count` elders registered on `topic`, as another system would publish them."""
    elders = [f"{prefix}-{settings.service}-{n}" for n in range(count)]
    producer = KafkaProducer(**client_options(settings), acks="all")
    for elder in elders:
        event = registered_event(settings, elder)
        producer.send(topic, key=elder.encode(), value=event.to_json()).get(10)
    producer.close()
    return elders


def outcomes_within(loop, count: int, seconds: float) -> list[str]:
    """The loop run until `count` messages have an outcome, or `seconds` have passed."""
    outcomes: list[str] = []
    deadline = time.monotonic() + seconds
    while len(outcomes) < count and time.monotonic() < deadline:
        outcomes += [o for _, o in loop.run_once(timeout_ms=200)]
    return outcomes


def test_a_consumer_that_stops_consuming_is_replaced_and_nothing_is_lost(settings, projection):
    """A consumer that polls but fetches nothing (here: its partitions paused, as the client
    leaves them after some broker restarts) is closed and replaced once the group's offsets
    stop moving while events wait; an idle consumer with nothing waiting is left alone."""
    topic = elders_topic(settings)
    ensure_topics(settings, [topic, Topics.dead_letter(settings.service)])
    own_producer = make_producer(settings)
    loop = make_loop(
        settings,
        projection,
        own_producer,
        rejoin=True,
        stall_seconds=2.0,
        stall_check_seconds=0.5,
    )
    restarts = metrics.CONSUMER_RESTARTS.labels(settings.service)

    deadline = time.monotonic() + 30
    while not loop.consumer.assignment() and time.monotonic() < deadline:
        loop.run_once(timeout_ms=200)
    idle_until = time.monotonic() + 4  # twice the stall time, with nothing to consume
    while time.monotonic() < idle_until:
        loop.run_once(timeout_ms=200)
    assert restarts._value.get() == 0, "an idle consumer is not stalled"

    stuck = loop.consumer
    stuck.pause(*stuck.assignment())
    elders = registrations_published(settings, topic, "stalled", 5)
    outcomes = outcomes_within(loop, len(elders), 60)
    loop.consumer.close()
    own_producer.close()

    assert loop.consumer is not stuck
    assert restarts._value.get() == 1
    assert outcomes == ["applied"] * len(elders)
    assert all(projection.get(elder) is not None for elder in elders)


def broken_client(loop) -> None:
    """The loop's consumer as a client that never learned a partition's new leader: it asks
    the dead broker, gets no answer, and fetches nothing."""
    stuck = loop.consumer
    stuck.pause(*stuck.assignment())

    def unanswered(*_args, **_kwargs):
        raise KafkaTimeoutError("Failed to get offsets by timestamps in 3000 ms")

    stuck.end_offsets = unanswered
    stuck.beginning_offsets = unanswered


@pytest.mark.parametrize("cluster_answers", [True, False], ids=["cluster up", "outage"])
def test_a_consumer_whose_client_no_longer_gets_answers_is_replaced_if_a_new_client_gets_them(
    settings, projection, cluster_answers, caplog
):
    """The consumer's own client cannot tell how far the group is (a client with stale
    metadata, seen after a broker leading some partitions was killed): a new client is asked
    the same. If it answers, the cluster is up and the consumer is replaced at the next check,
    and consumes what waits; if no client answers, that is an outage, and the consumer is
    left to wait it out."""
    topic = elders_topic(settings)
    ensure_topics(settings, [topic, Topics.dead_letter(settings.service)])
    own_producer = make_producer(settings)
    loop = make_loop(
        settings, projection, own_producer, rejoin=True, stall_seconds=600, stall_check_seconds=1
    )
    restarts = metrics.CONSUMER_RESTARTS.labels(settings.service)
    before = restarts._value.get()
    deadline = time.monotonic() + 30
    while not loop.consumer.assignment() and time.monotonic() < deadline:
        loop.run_once(timeout_ms=200)
    if not cluster_answers:  # nobody listens there: a new client gets no answer either
        nowhere = replace(settings, kafka_bootstrap=f"127.0.0.1:{free_port()}")
        loop.stall.ask_another = partial(make_offsets_client, nowhere)
    stuck = loop.consumer
    broken_client(loop)
    elders = registrations_published(settings, topic, "unanswered", 3)
    outcomes = outcomes_within(loop, len(elders), 60 if cluster_answers else 12)
    loop.consumer.close()
    own_producer.close()

    if cluster_answers:
        assert loop.consumer is not stuck
        assert restarts._value.get() == before + 1
        assert [r.reason for r in caplog.records if hasattr(r, "reason")] == [
            "its client no longer reaches the cluster a new client reaches"
        ]
        assert outcomes == ["applied"] * len(elders)
        assert all(projection.get(elder) is not None for elder in elders)
    else:
        assert loop.consumer is stuck
        assert restarts._value.get() == before
        assert outcomes == []


def test_a_consumer_given_the_partitions_of_a_copy_that_left_says_so(settings, projection):
    """Two copies share the group's partitions; when one leaves, the other is given its
    partitions and calls `on_partitions_gained` (the worker's relay then sweeps for events the
    copy that left may have stranded). Its first assignment calls nothing."""
    topic = elders_topic(settings)
    ensure_topics(settings, [topic, Topics.dead_letter(settings.service)])
    producer = make_producer(settings)
    gained: list[float] = []
    first = make_loop(
        settings, projection, producer, on_partitions_gained=lambda: gained.append(1.0)
    )
    second = make_loop(settings, projection, producer)

    def polled_until(condition, seconds=60.0):
        deadline = time.monotonic() + seconds
        while not condition() and time.monotonic() < deadline:
            first.run_once(timeout_ms=100)
            second.run_once(timeout_ms=100)
        return condition()

    held = [first.consumer.assignment, second.consumer.assignment]

    def shared_out() -> bool:  # each holds its own share: the first gave some away
        first_share, second_share = held[0](), held[1]()
        return bool(first_share and second_share and not first_share & second_share)

    assert polled_until(shared_out), "both copies hold partitions of their own"
    everything = held[0]() | held[1]()
    assert len(held[0]()) < len(everything)
    assert gained == [], "a first assignment, and a share given away, gain nothing"

    second.consumer.close()
    deadline = time.monotonic() + 60
    while not gained and time.monotonic() < deadline:
        first.run_once(timeout_ms=200)
    holds = set(first.consumer.assignment())
    first.consumer.close()
    producer.close()

    assert gained == [1.0]
    assert holds == everything


def test_a_batch_is_committed_only_once_its_finishing_step_has_run(
    settings, projection, monkeypatch
):
    """The work handlers leave for a whole batch (visits' kept work) runs after the batch's
    messages are handled and before their commit: a failure sends the batch round again (its
    handlers see duplicates), an outage is waited out, and only a step that ran commits."""
    monkeypatch.setattr(consumer, "HOLD_SECONDS", 0.1)
    monkeypatch.setattr(consumer, "OUTAGE_WAIT_SECONDS", 0.1)
    topic = elders_topic(settings)
    ensure_topics(settings, [topic, Topics.dead_letter(settings.service)])
    key = f"batch-{settings.service}"
    events = [registered_event(settings, key, version=v) for v in (1, 2, 3)]
    producer = make_producer(settings)
    sent = [producer.send(topic, key=key.encode(), value=e.to_json()).get(10) for e in events]
    partition = TopicPartition(topic, sent[0].partition)

    handled: list[str] = []  # events handled since the step last ran
    steps: list[tuple[str, list[str]]] = []
    failures = [ValueError("a bug in the step"), AutoReconnect("the store is away")]
    noting = handlers_for(projection)["elder.registered"]

    def on_registered(event, data):
        handled.append(event.id)
        return noting(event, data)

    def finish() -> None:
        if failures:
            steps.append((type(failures[0]).__name__, list(handled)))
            raise failures.pop(0)
        steps.append(("ran", list(handled)))
        handled.clear()

    handlers = {"elder.registered": on_registered}
    loop = make_loop(settings, projection, producer, handlers, retries=0, finish_batch=finish)
    outcomes = consume(loop, key.encode(), 3)
    assert outcomes == ["applied"] * 3
    assert steps == [("ValueError", [e.id for e in events])]
    assert loop.consumer.committed(partition) is None, "the step failed: nothing committed"

    again = consume(loop, key.encode(), 3)
    committed = loop.consumer.committed(partition)
    loop.consumer.close()
    producer.close()
    assert again == ["duplicate"] * 3, "the whole batch came again"
    twice = [e.id for e in events] * 2
    assert steps[1:] == [("AutoReconnect", twice), ("ran", twice)], "the outage waited out"
    assert committed == sent[-1].offset + 1


class Writes(monitoring.CommandListener):
    """The write commands a client sends, by name."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name in ("insert", "update"):
            self.sent.append(event.command_name)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


def test_a_batchs_new_documents_are_inserted_ahead_in_one_write_with_the_same_outcomes(
    settings, projection
):
    """The preparing step inserts the document of each new elder a batch brings in one write;
    each event then has the outcome it has without it (applied, or duplicate for an elder held
    already), a later version in the batch is applied over it, and the batch sent again
    changes nothing."""
    topic = elders_topic(settings)
    ensure_topics(settings, [topic, Topics.dead_letter(settings.service)])
    run = settings.service
    held = registered_event(settings, f"held-{run}")
    projection.apply(f"held-{run}", 1, held.id, {"name": "x", "birth_date": date(1944, 3, 7)})
    batch = [
        registered_event(settings, f"a-{run}"),
        registered_event(settings, f"b-{run}"),
        held,
        registered_event(settings, f"a-{run}", version=2, name="李桂兰"),
        registered_event(settings, f"c-{run}"),
    ]
    producer = make_producer(settings)
    for event in batch:  # one key: one partition, one batch
        producer.send(topic, key=run.encode(), value=event.to_json()).get(10)

    writes = Writes()
    client: MongoClient = MongoClient(
        settings.mongo_url, event_listeners=[writes], tz_aware=True, **credentials(settings)
    )
    watched = Projection(client[settings.database], "elders", ProjectedElder)
    ahead = InsertAhead({"elder.registered": (watched, "elder_id")})
    loop = make_loop(settings, watched, producer, prepare_batch=ahead)
    outcomes = consume(loop, run.encode(), len(batch))
    assert outcomes == ["applied", "applied", "duplicate", "applied", "applied"]
    assert writes.sent == ["insert", "insert", "update", "insert", "update"], (
        "one insert ahead of a, b, held (refused) and c; then held and a's second version "
        "applied one by one, as without preparing: an insert refused, then an update"
    )
    assert projection.get(f"a-{run}").name == "李桂兰" and projection.get(f"a-{run}").version == 2
    assert {projection.get(f"{n}-{run}").version for n in "bc"} == {1}

    loop.consumer.seek_to_beginning()
    again = consume(loop, run.encode(), len(batch))
    loop.consumer.close()
    producer.close()
    client.close()
    assert again == ["duplicate"] * len(batch), "inserted ahead, then held: nothing new"


def test_a_replayed_batch_pauses_inserting_ahead(settings):
    """A batch whose documents are mostly held already (a consumer group moved back) would
    cost a refused insert each batch: the next REPLAY_PAUSE - 1 batches insert nothing ahead,
    and are applied one by one; then one tries again."""
    writes = Writes()
    client: MongoClient = MongoClient(
        settings.mongo_url, event_listeners=[writes], tz_aware=True, **credentials(settings)
    )
    elders = Projection(client[settings.database], "elders", ProjectedElder)
    facts = {"name": "王秀英", "birth_date": date(1944, 3, 7)}
    first = [(f"e-{n}", 1, f"ev-{n}", facts) for n in range(4)]
    try:
        elders.insert_ahead(first)
        assert writes.sent == ["insert"]
        elders.insert_ahead(first)  # the same batch again: every document held, refused
        for _ in range(REPLAY_PAUSE - 1):  # paused
            elders.insert_ahead(first)
        assert writes.sent == ["insert", "insert"]
        elders.insert_ahead(first)
        assert writes.sent == ["insert", "insert", "insert"], "tried again"
        assert elders.apply("e-0", 1, "ev-0", facts) is False, "held: applied as before"
    finally:
        client.drop_database(settings.database)
        client.close()
