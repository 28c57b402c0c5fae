"""Workload 3: hospital admissions published by "a hospital" at a steady rate, each followed
until the visit obligation it causes answers on the visits API.

The latency of an admission is the obligation's `created_at`, which visits stamps as it stores
the obligation (from then on the API answers with it), minus the moment the admission was sent.
Every obligation is read back through the API, which confirms it is visible and gives its
`created_at`. The API is not polled for each obligation while the admissions flow: polling
every few milliseconds per pending obligation, as a first version of this workload did, sent
the visits API several hundred requests a second, more work than the workload it measured.
"""

import json
import random
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from kafka import KafkaProducer

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
    sent, achieved = send(stack, national_ids, rate, seconds)
    visits = Client(stack.api("visits"), stack.tokens["admin"], timeout=30)  # district-wide
    latencies, lost = read_back(visits, sent, give_up)
    return {
        "events": len(sent),
        "rate_per_s": rate,
        "achieved_rate_per_s": achieved,
        "seconds": seconds,
        "visible": len(latencies),
        "lost": len(lost),
        "measured_as": "obligation created_at (read through the API) minus send time",
        **summary_ms(latencies),
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
) -> tuple[list[float], list[str]]:
    """Each obligation's latency, once the API answers with it; those never seen are lost."""
    latencies: list[float] = []
    pending = dict(sent)
    deadline = time.monotonic() + give_up
    while pending and time.monotonic() < deadline:
        for obligation_id, sent_at in list(pending.items()):
            status, body = visits.get(f"/obligations/{obligation_id}")
            if status == 200:
                created = datetime.fromisoformat(json.loads(body)["created_at"]).timestamp()
                latencies.append(created - sent_at)
                del pending[obligation_id]
        if pending:
            time.sleep(RECHECK_SECONDS)
    return latencies, sorted(pending)
