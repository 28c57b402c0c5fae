"""Raw limits: what plain kafka-python and plain pymongo achieve on the same servers, in the
same run, with messages and documents of the size the product uses."""

import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from pymongo import MongoClient

from bench.stats import summary_ms

PARTITIONS = 3


# `kafka` below: kafka-python's client options (the broker, and who the bench is to it).


def _topic(kafka: dict[str, Any]) -> str:
    name = f"bench.raw.{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(**kafka)
    try:
        admin.create_topics([NewTopic(name, num_partitions=PARTITIONS, replication_factor=1)])
    finally:
        admin.close()
    return name


def _producer(kafka: dict[str, Any]) -> KafkaProducer:
    return KafkaProducer(**kafka, acks="all", linger_ms=5)


def _consumer(
    kafka: dict[str, Any], topic: str, partitions_of_topic: int = PARTITIONS
) -> tuple[KafkaConsumer, list[TopicPartition]]:
    consumer = KafkaConsumer(**kafka, enable_auto_commit=False)
    partitions = [TopicPartition(topic, p) for p in range(partitions_of_topic)]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    return consumer, partitions


def kafka_throughput(kafka: dict[str, Any], messages: int, size: int) -> dict[str, Any]:
    """Produce `messages` of `size` bytes (acks=all), then consume them all: messages/s of
    each step and of the two together."""
    topic = _topic(kafka)
    value = b"x" * size
    producer = _producer(kafka)
    started = time.perf_counter()
    for i in range(messages):
        producer.send(topic, key=str(i).encode(), value=value)
    producer.flush()
    produced = time.perf_counter() - started
    producer.close()
    consumer, _ = _consumer(kafka, topic)
    started, seen = time.perf_counter(), 0
    deadline = time.monotonic() + 120
    while seen < messages and time.monotonic() < deadline:
        for batch in consumer.poll(timeout_ms=500, max_records=5000).values():
            seen += len(batch)
    consumed = time.perf_counter() - started
    consumer.close()
    return {
        "messages": messages,
        "message_bytes": size,
        "produce_per_s": round(messages / produced),
        "consume_per_s": round(seen / consumed),
        "produce_and_consume_per_s": round(messages / (produced + consumed)),
    }


def kafka_latency(kafka: dict[str, Any], rate: float, seconds: float, size: int) -> dict[str, Any]:
    """One hop, producer to consumer, at a steady rate: p50/p95/p99."""
    topic = _topic(kafka)
    consumer, partitions = _consumer(kafka, topic)
    consumer.poll(timeout_ms=100)
    for partition in partitions:
        consumer.position(partition)
    latencies: list[float] = []
    total = int(rate * seconds)
    done = threading.Event()

    def consume() -> None:
        deadline = time.monotonic() + seconds + 30
        while len(latencies) < total and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=100).values():
                now = time.time()
                latencies.extend(now - float(r.value[:20].decode()) for r in batch)
        done.set()

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    producer = _producer(kafka)
    padding = b"x" * max(0, size - 20)
    started = time.monotonic()
    for i in range(total):
        time.sleep(max(0.0, started + i / rate - time.monotonic()))
        producer.send(topic, key=str(i).encode(), value=f"{time.time():20.6f}".encode() + padding)
    producer.flush()
    done.wait(seconds + 30)
    producer.close()
    consumer.close()
    return {"rate_per_s": rate, "message_bytes": size, **summary_ms(latencies)}


def _scratch(url: str) -> tuple[MongoClient, Any]:
    client: MongoClient = MongoClient(url, tz_aware=True)
    return client, client["bench_raw"][f"raw_{uuid.uuid4().hex[:8]}"]


def mongo_writes(url: str, documents: int, size: int, updates: int) -> dict[str, Any]:
    """insert_many of `documents` of about `size` bytes (batches of 1000), then `updates`
    update_one($set) by _id one after another, then as many documents again by update_many
    in batches of 500 by `_id` `$in` (as the outbox relay clears what it published), then
    `updates` find_one by _id."""
    client, collection = _scratch(url)
    try:
        padding = "x" * max(0, size - 60)
        ids = [uuid.uuid4().hex for _ in range(documents)]
        started = time.perf_counter()
        for start in range(0, documents, 1000):
            collection.insert_many(
                [{"_id": i, "n": 0, "padding": padding} for i in ids[start : start + 1000]]
            )
        inserted = time.perf_counter() - started
        started = time.perf_counter()
        for i in range(updates):
            collection.update_one({"_id": ids[i % documents]}, {"$set": {"n": i}})
        updated = time.perf_counter() - started
        started = time.perf_counter()
        batched = [ids[i % documents] for i in range(updates)]
        for start in range(0, updates, 500):
            batch = {"_id": {"$in": batched[start : start + 500]}}
            collection.update_many(batch, {"$inc": {"n": 1}})
        updated_in_batches = time.perf_counter() - started
        started = time.perf_counter()
        for i in range(updates):
            collection.find_one({"_id": ids[i % documents]})
        found = time.perf_counter() - started
        collection.drop()
        return {
            "document_bytes": size,
            "insert_many_per_s": round(documents / inserted),
            "update_one_per_s": round(updates / updated),
            "update_many_per_s": round(updates / updated_in_batches),
            "find_one_by_id_per_s": round(updates / found),
        }
    finally:
        client.close()


def concurrent_rate(
    operation: Callable[[int], None], clients: int, seconds: float
) -> dict[str, Any]:
    """Run `operation(i)` from `clients` threads for `seconds`: operations/s and latencies of
    those that succeeded, and how many failed (an exception, e.g. a time-out)."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[str] = []
    stop_at = time.monotonic() + seconds

    def client(n: int) -> None:
        i = n
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                operation(i)
                latencies[n].append(time.perf_counter() - started)
            except Exception as error:  # noqa: BLE001 - counted and reported, the load goes on
                errors.append(f"{type(error).__name__}: {error}")
            i += clients

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    elapsed = time.perf_counter() - started
    flat = [x for per_client in latencies for x in per_client]
    return {
        "per_s": round(len(flat) / elapsed, 1),
        **summary_ms(flat),
        "errors": len(errors),
        "first_errors": errors[:3],
    }


def sample_message(kafka: dict[str, Any], topic: str) -> int | None:
    """The size of the first message of `topic`, if it has one."""
    consumer, _ = _consumer(kafka, topic, 3)
    try:
        for _ in range(10):
            for batch in consumer.poll(timeout_ms=500, max_records=1).values():
                return len(batch[0].value)
        return None
    finally:
        consumer.close()
