"""Workload 3: hospital admissions published by "a hospital" at a steady rate, each followed
until the visit obligation it causes answers on the visits API.

The latency of an admission is the obligation's `created_at`, which visits stamps as it stores
the obligation (from then on the API answers with it), minus the moment the admission was sent.
Every obligation is read back through the API, which confirms it is visible and gives its
`created_at`. The API is not polled for each obligation while the admissions flow: polling
every few milliseconds per pending obligation, as a first version of this workload did, sent
the visits API several hundred requests a second, more work than the workload it measured.

The time is then split at the incident event intake publishes for each admission, read back
from its topic: until intake made the event (the event's `time`: the admission consumed and
stored, with its outbox), until intake's relay sent it (the Kafka record's timestamp), and
until visits stored the obligation. The clocks are the same machine's.
"""

import json
import random
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from kafka import KafkaConsumer, KafkaProducer
from kafka.structs import TopicPartition

from bench.http import Client
from bench.stack import Stack
from bench.stats import summary_ms
from services.intake.service_layer.inbound import receipt_key
from shared.events import Topics, new_event

SOURCE = "urn:hospital:bench"
DISTRICT = "demo-district"
RECHECK_SECONDS = 0.5  # how often an obligation not yet visible is asked for again


def run(
    stack: Stack, national_ids: list[str], rate: float, seconds: float, give_up: float = 120.0
) -> dict[str, Any]:
    marks = ends(stack, Topics.INCIDENTS)
    sent, achieved = send(stack, national_ids, rate, seconds)
    visits = Client(stack.api("visits"), stack.tokens["admin"], timeout=30)  # district-wide
    created, lost = read_back(visits, sent, give_up)
    latencies = [created[key] - sent[key] for key in created]
    return {
        "events": len(sent),
        "rate_per_s": rate,
        "achieved_rate_per_s": achieved,
        "seconds": seconds,
        "visible": len(latencies),
        "lost": len(lost),
        "measured_as": "obligation created_at (read through the API) minus send time",
        **summary_ms(latencies),
        "steps": steps(published(stack, marks, set(created)), sent, created),
    }


def send(
    stack: Stack, national_ids: list[str], rate: float, seconds: float
) -> tuple[dict[str, float], float]:
    """Publish the admissions at `rate`; the obligation each should open, with its send time."""
    producer = KafkaProducer(**stack.kafka("outside"), acks="all", linger_ms=0)
    rng = random.Random(7)
    total = int(rate * seconds)
    run_id = uuid.uuid4().hex[:8]
    sent: dict[str, float] = {}
    started = time.monotonic()
    for i in range(total):
        time.sleep(max(0.0, started + i / rate - time.monotonic()))
        reference = f"bench-{run_id}-{i}"
        data: dict[str, Any] = {
            "national_id": rng.choice(national_ids),
            "reference": reference,
            "occurred_at": datetime.now(UTC),
            "hospital": "宁波市第二医院",
            "ward": "老年科",
            "note": None,
        }
        event = new_event(
            "hospital.admitted",
            reference,
            data,
            source=SOURCE,
            district=DISTRICT,
            at=datetime.now(UTC),
        )
        sent[f"incident:{receipt_key(event, data)}"] = time.time()
        producer.send(Topics.INBOUND, key=reference.encode(), value=event.to_json())
    producer.flush()
    achieved = round(total / (time.monotonic() - started), 1)
    producer.close()
    return sent, achieved


def read_back(
    visits: Client, sent: dict[str, float], give_up: float
) -> tuple[dict[str, float], list[str]]:
    """When each obligation was stored, once the API answers with it; those never seen are
    lost."""
    created: dict[str, float] = {}
    pending = dict(sent)
    deadline = time.monotonic() + give_up
    while pending and time.monotonic() < deadline:
        for obligation_id in list(pending):
            status, body = visits.get(f"/obligations/{obligation_id}")
            if status == 200:
                stored = json.loads(body)["created_at"]
                created[obligation_id] = datetime.fromisoformat(stored).timestamp()
                del pending[obligation_id]
        if pending:
            time.sleep(RECHECK_SECONDS)
    return created, sorted(pending)


def ends(stack: Stack, topic: str) -> dict[TopicPartition, int]:
    """Where each partition of `topic` ends: what is published after is this run's."""
    consumer = KafkaConsumer(**stack.kafka(), enable_auto_commit=False)
    partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
    marks: dict[TopicPartition, int] = consumer.end_offsets(partitions)
    consumer.close()
    return marks


def published(
    stack: Stack, marks: dict[TopicPartition, int], wanted: set[str], give_up: float = 30.0
) -> dict[str, tuple[float, float]]:
    """For each obligation in `wanted`, its incident event as intake published it: when intake
    made the event and when its relay sent it (the record's timestamp), in seconds."""
    consumer = KafkaConsumer(**stack.kafka(), enable_auto_commit=False)
    consumer.assign(list(marks))
    for partition, offset in marks.items():
        consumer.seek(partition, offset)
    found: dict[str, tuple[float, float]] = {}
    deadline = time.monotonic() + give_up
    while len(found) < len(wanted) and time.monotonic() < deadline:
        for records in consumer.poll(timeout_ms=500).values():
            for record in records:
                event = json.loads(record.value)
                key = f"incident:{event['data'].get('incident_id')}"
                if key in wanted:
                    made = datetime.fromisoformat(event["time"]).timestamp()
                    found[key] = (made, record.timestamp / 1000)
    consumer.close()
    return found


def steps(
    events: dict[str, tuple[float, float]], sent: dict[str, float], created: dict[str, float]
) -> dict[str, Any]:
    """The latency split per step, for the admissions whose incident event was read back."""
    made = [events[k][0] - sent[k] for k in events]
    relayed = [events[k][1] - events[k][0] for k in events]
    stored = [created[k] - events[k][1] for k in events]
    return {
        "admissions": len(events),
        "intake_consumed_and_stored_the_admission": summary_ms(made),
        "intake_relay_published_the_incident": summary_ms(relayed),
        "visits_consumed_and_stored_the_obligation": summary_ms(stored),
    }
