"""Workload 3: hospital admissions published by "a hospital" at a steady rate, each followed
until the visit obligation it causes answers on the visits API."""

import random
import threading
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
POLLERS = 4


class Follower(threading.Thread):
    """Polls the visits API for its share of the obligations until each answers 200."""

    def __init__(self, base_url: str, every: float, give_up: float) -> None:
        super().__init__(daemon=True)
        self.client = Client(base_url, "dev-visitor", timeout=30)
        self.every = every
        self.give_up = give_up
        self.pending: dict[str, tuple[float, float]] = {}  # id -> (sent, next poll)
        self.latencies: list[float] = []
        self.lost: list[str] = []
        self.lock = threading.Lock()
        self.done_sending = threading.Event()
        self.polls = 0

    def follow(self, obligation_id: str, sent: float) -> None:
        with self.lock:
            self.pending[obligation_id] = (sent, sent + self.every)

    def run(self) -> None:
        while True:
            now = time.monotonic()
            with self.lock:
                due = [(o, s) for o, (s, at) in self.pending.items() if at <= now]
                empty = not self.pending
            if empty and self.done_sending.is_set():
                return
            for obligation_id, sent in due:
                status, _ = self.client.get(f"/obligations/{obligation_id}")
                self.polls += 1
                seen = time.monotonic()
                with self.lock:
                    if status == 200:
                        self.latencies.append(seen - sent)
                        del self.pending[obligation_id]
                    elif seen - sent > self.give_up:
                        self.lost.append(obligation_id)
                        del self.pending[obligation_id]
                    else:
                        self.pending[obligation_id] = (sent, seen + self.every)
            time.sleep(self.every / 4)


def run(
    stack: Stack, national_ids: list[str], rate: float, seconds: float, poll_every: float = 0.02
) -> dict[str, Any]:
    producer = KafkaProducer(bootstrap_servers=stack.bootstrap, acks="all", linger_ms=0)
    followers = [Follower(stack.api("visits"), poll_every, 60.0) for _ in range(POLLERS)]
    for follower in followers:
        follower.start()
    rng = random.Random(7)
    total = int(rate * seconds)
    run_id = uuid.uuid4().hex[:8]
    behind = 0.0
    started = time.monotonic()
    for i in range(total):
        lag = time.monotonic() - (started + i / rate)
        if lag < 0:
            time.sleep(-lag)
        behind = max(behind, lag)
        data = {
            "national_id": rng.choice(national_ids),
            "reference": f"bench-{run_id}-{i}",
            "occurred_at": datetime.now(UTC),
            "hospital": "宁波市第二医院",
            "ward": "老年科",
            "note": None,
        }
        event = new_event(
            "hospital.admitted",
            data["reference"],
            data,
            source=SOURCE,
            district=DISTRICT,
            at=datetime.now(UTC),
        )
        sent = time.monotonic()
        producer.send(Topics.INBOUND, key=data["reference"].encode(), value=event.to_json())
        followers[i % POLLERS].follow(f"incident:{receipt_key(event, data)}", sent)
    producer.flush()
    sending = time.monotonic() - started
    producer.close()
    for follower in followers:
        follower.done_sending.set()
    for follower in followers:
        follower.join(timeout=120)
    latencies = [x for f in followers for x in f.latencies]
    return {
        "events": total,
        "rate_per_s": rate,
        "achieved_rate_per_s": round(total / sending, 1),
        "seconds": seconds,
        "visible": len(latencies),
        "lost": sum(len(f.lost) for f in followers),
        "poll_every_ms": round(poll_every * 1000),
        "polls": sum(f.polls for f in followers),
        **summary_ms(latencies),
    }
