"""Consumer lag while the consumer is paused: as the console computes it from Kafka, as the
consumer itself exports it, and as `python -m ops lag` prints it."""

import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

from factories import registered_event
from kafka import KafkaProducer
from prometheus_client import REGISTRY

from ops.config import ConsoleSettings
from ops.service_layer.console import Console
from shared.clock import SystemClock
from shared.consumer import consumer_loop
from shared.events import Topics
from shared.kafka import client_options, ensure_topics, make_producer

REPO = Path(__file__).resolve().parents[2]


def produce(settings, topic, per_partition):
    producer = KafkaProducer(**client_options(settings), acks="all")
    for partition, count in enumerate(per_partition):
        for n in range(count):
            event = registered_event(settings, f"e-{partition}-{n}-{time.monotonic_ns()}")
            producer.send(topic, value=event.to_json(), partition=partition)
    producer.flush()
    producer.close()


def exported_lag(settings, topic, partition):
    labels = {"service": settings.service, "topic": topic, "partition": str(partition)}
    return REGISTRY.get_sample_value("eldercare_consumer_lag_messages", labels)


def gauge_after_polls(loop, settings, topic, expected, timeout=20.0):
    """The consumer's exported lag per partition once it shows `expected`, polling meanwhile
    (the gauge is updated after every poll)."""
    deadline = time.monotonic() + timeout
    while True:
        seen = [exported_lag(settings, topic, p) for p in range(3)]
        if seen == expected or time.monotonic() > deadline:
            return seen
        assert loop.run_once(timeout_ms=100) == []


def test_lag_is_reported_per_partition_while_the_consumer_is_paused(settings, tmp_path, infra):
    # A long session, so that a slow machine does not rebalance the group (which would resume
    # the paused partitions) in the middle of the test.
    settings = replace(settings, session_timeout_ms=30_000)
    topic = f"eldercare.test.{settings.service}"
    ensure_topics(settings, [topic, Topics.dead_letter(settings.service)])
    produce(settings, topic, [4, 2, 3])

    producer = make_producer(settings)
    loop = consumer_loop(
        settings,
        {},  # no handlers: every event is "ignored", and committed
        producer,
        threading.Event(),
        [topic],
        lag_refresh_seconds=0,
    )
    consumed = []
    deadline = time.monotonic() + 60
    while len(consumed) < 9 and time.monotonic() < deadline:
        consumed += loop.run_once(timeout_ms=200)
    assert [outcome for _, outcome in consumed] == ["ignored"] * 9
    assert gauge_after_polls(loop, settings, topic, [0, 0, 0]) == [0, 0, 0]

    # Paused, the consumer stays in its group but fetches nothing; the topic moves on.
    assigned = loop.consumer.assignment()
    loop.consumer.pause(*assigned)
    produce(settings, topic, [5, 0, 1])
    # The consumer's own gauge sees it, although no fetch brings new highwater marks.
    assert gauge_after_polls(loop, settings, topic, [5, 0, 1]) == [5, 0, 1]
    assert loop.consumer.paused() == assigned

    console = Console(
        ConsoleSettings(
            settings.kafka_bootstrap, kafka=settings, groups=(settings.consumer_group,)
        ),
        SystemClock(),
    )
    [group] = console.lag()
    assert group.error is None
    assert [(p.topic, p.partition, p.committed, p.end, p.lag) for p in group.partitions] == [
        (topic, 0, 4, 9, 5),
        (topic, 1, 2, 2, 0),
        (topic, 2, 3, 4, 1),
    ]
    assert group.total == 6

    printed = subprocess.run(
        [sys.executable, "-m", "ops", "lag", "--group", settings.consumer_group],
        env={
            **os.environ,
            **infra.broker.client_env("operator"),  # as the console signs in
            "ELDERCARE_RUN_DIR": str(tmp_path),
        },
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert printed.returncode == 0, printed.stderr
    rows = [line.split() for line in printed.stdout.splitlines()]
    assert rows[0] == ["GROUP", "TOPIC", "PARTITION", "COMMITTED", "END", "LAG"]
    assert [settings.consumer_group, topic, "0", "4", "9", "5"] in rows
    assert [settings.consumer_group, topic, "2", "3", "4", "1"] in rows
    assert f"total lag: {settings.consumer_group} 6" in printed.stdout

    loop.consumer.close()
    producer.close()
