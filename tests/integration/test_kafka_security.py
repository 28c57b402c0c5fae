"""The broker accepts no strangers, and each principal only what it needs; a consumer refuses an
event whose source may not send on the topic it came by."""

import threading
import uuid
from dataclasses import replace

import pytest
from factories import registered_event
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError, TopicAuthorizationFailedError

from devstack.kafka_security import SUPER_USER
from services.visits.bootstrap import bootstrap, worker
from shared.clock import FixedClock
from shared.config import Settings
from shared.consumer import Received, event_pipeline
from shared.events import Topics
from shared.kafka import ensure_topics, make_producer

QUICK = {"request_timeout_ms": 5000, "bootstrap_timeout_ms": 8000}


def test_the_broker_is_secured(infra):
    assert infra.broker.secured, "these tests need Apache Kafka (Java), not the Tansu fallback"


def test_a_client_that_does_not_sign_in_is_refused(infra):
    with pytest.raises(KafkaError, match="Unable to bootstrap"):
        KafkaAdminClient(bootstrap_servers=infra.broker.bootstrap, **QUICK)


def test_a_client_with_a_wrong_password_is_refused(infra):
    """The same client as test_the_right_password_is_let_in's, but for the password."""
    options = {**infra.broker.client_options("outside"), "sasl_plain_password": "guessed"}
    with pytest.raises(KafkaError, match="Unable to bootstrap"):
        KafkaAdminClient(**options, **QUICK)


def test_the_right_password_is_let_in(infra):
    admin = KafkaAdminClient(**infra.broker.client_options("outside"), **QUICK)
    try:
        assert Topics.INBOUND in admin.list_topics()
        assert Topics.ELDERS not in admin.list_topics()  # what it may not touch, it cannot see
    finally:
        admin.close()


def send(options: dict, topic: str, value: bytes = b"{}") -> None:
    producer = KafkaProducer(**options, acks="all", max_block_ms=10_000)
    try:
        producer.send(topic, key=b"k", value=value).get(timeout=10)
    finally:
        producer.close(timeout=5)


def test_an_outside_system_may_write_inbound_events_only(infra):
    outside = infra.broker.client_options("outside")
    send(outside, Topics.INBOUND, b"not an event: intake dead-letters it")
    with pytest.raises(TopicAuthorizationFailedError):
        send(outside, Topics.ELDERS)  # a fake registration: a fake payee in the payment file


def test_a_service_may_not_write_another_services_topic(infra):
    with pytest.raises(TopicAuthorizationFailedError):
        send(infra.broker.client_options("visits"), Topics.ELDERS)  # a false death, say
    with pytest.raises(TopicAuthorizationFailedError):
        send(infra.broker.client_options("allowances"), Topics.VISITS)


def test_a_service_may_not_read_another_services_dead_letters(infra):
    consumer = KafkaConsumer(**infra.broker.client_options("visits"), enable_auto_commit=False)
    try:
        partition = TopicPartition(Topics.dead_letter("intake"), 0)
        consumer.assign([partition])
        with pytest.raises(TopicAuthorizationFailedError):
            consumer.poll(timeout_ms=5000)
            consumer.end_offsets([partition], timeout_ms=5000)
    finally:
        consumer.close()


def test_a_service_may_not_create_topics(infra):
    visits = Settings(service="visits", **infra.broker.client_settings("visits"))
    ensure_topics(visits, [Topics.ELDERS, Topics.dead_letter("visits")])  # there: nothing asked
    with pytest.raises(KafkaError, match="may not create"):
        ensure_topics(visits, [f"eldercare.visits.made-up-{uuid.uuid4().hex[:6]}"])


def test_an_event_with_a_forged_source_on_intakes_topic_is_dead_lettered_by_visits(
    infra, settings, topic_reader
):
    """Whoever got an event onto intake's topic (intake's credentials, a replay), visits takes
    from it only what intake itself sent."""
    forged = replace(
        registered_event(settings, f"forged-{uuid.uuid4().hex[:8]}"),
        source=f"urn:eldercare:{settings.district}:portal",
    )
    producer = KafkaProducer(**infra.broker.client_options("intake"), acks="all")
    sent = producer.send(Topics.ELDERS, key=forged.subject.encode(), value=forged.to_json())
    landed = sent.get(timeout=10)
    producer.close()

    visits_settings = replace(settings, mongo_url=infra.stores["visits"])
    duties = worker(bootstrap(visits_settings, FixedClock(forged.time)))
    ensure_topics(settings, [Topics.dead_letter(settings.service)])
    dead_letters = make_producer(settings)
    pipeline = event_pipeline(settings, duties.handlers, dead_letters, threading.Event())
    record = read_one(infra, TopicPartition(landed.topic, landed.partition), landed.offset)
    message = Received(record.topic, record.partition, record.offset, record.key, record.value)
    assert pipeline.process(message) == "dead-lettered"
    dead_letters.close()

    [letter] = [
        r for r in topic_reader(Topics.dead_letter(settings.service)) if r.key == record.key
    ]
    reason = dict(letter.headers)["dlq.reason"].decode()
    assert reason == (
        f"event from 'urn:eldercare:{settings.district}:portal' on {Topics.ELDERS}, "
        f"which carries only 'urn:eldercare:{settings.district}:intake'"
    )
    assert duties.handlers  # visits' own handlers were there to apply it, had it been intake's


def read_one(infra, partition: TopicPartition, offset: int):
    consumer = KafkaConsumer(**infra.broker.client_options(SUPER_USER), enable_auto_commit=False)
    try:
        consumer.assign([partition])
        consumer.seek(partition, offset)
        for _ in range(20):
            for record in consumer.poll(timeout_ms=500, max_records=1).get(partition, []):
                return record
        raise AssertionError("the forged event was not read back")
    finally:
        consumer.close()
