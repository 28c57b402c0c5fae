"""Reading the system's state from Kafka, and the console's one write: resolutions.

Only what both Apache Kafka and the Tansu broker answer is used: committed offsets come from
OffsetFetch (`KafkaAdminClient.list_group_offsets`), end offsets from ListOffsets; group
membership (`describe_groups`) is never asked for. Clients are opened per operation and
closed after it; they are cheap, and nothing stale survives a broker restart.
"""

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord
from kafka.errors import KafkaError, TopicAlreadyExistsError

from ops.domain.dead_letters import DeadLetter, Resolution, dead_letter_id
from ops.domain.lag import GroupLag, PartitionLag

RESOLUTIONS_TOPIC = "eldercare.ops.deadletter-resolutions"
REPLAY_HEADER = "ops.replay.of"  # on a republished message: the dead letter it replays


class Kafka:
    def __init__(self, options: dict[str, Any], timeout_seconds: float = 10.0) -> None:
        self.options = options  # shared.kafka.client_options: the broker and who we are to it
        self.timeout_ms = int(timeout_seconds * 1000)

    @contextmanager
    def admin(self) -> Iterator[KafkaAdminClient]:
        client = KafkaAdminClient(
            **self.options,
            client_id="eldercare-ops",
            request_timeout_ms=self.timeout_ms,
        )
        try:
            yield client
        finally:
            client.close()

    @contextmanager
    def reader(self) -> Iterator[KafkaConsumer]:
        """A consumer of no group: it reads by assignment and commits nothing."""
        consumer = KafkaConsumer(
            **self.options,
            client_id="eldercare-ops-reader",
            group_id=None,
            enable_auto_commit=False,
            request_timeout_ms=max(self.timeout_ms, 5000) + 1000,
        )
        try:
            yield consumer
        finally:
            consumer.close()

    def topics(self) -> set[str]:
        """Every topic; asking for metadata of all topics never creates one."""
        with self.admin() as admin:
            return set(admin.list_topics())

    def partitions(self, topics: list[str]) -> list[TopicPartition]:
        if not topics:
            return []
        with self.admin() as admin:
            described = admin.describe_topics(topics)
        return sorted(
            TopicPartition(topic["name"], partition["partition_index"])
            for topic in described
            if topic["error_code"] == 0
            for partition in topic["partitions"]
        )

    def read_all(self, topics: list[str]) -> list[ConsumerRecord]:
        """Every record now in the existing ones of `topics`, oldest first per partition."""
        present = sorted(set(topics) & self.topics())
        assigned = self.partitions(present)
        if not assigned:
            return []
        records: list[ConsumerRecord] = []
        with self.reader() as consumer:
            consumer.assign(assigned)
            consumer.seek_to_beginning(*assigned)
            ends = consumer.end_offsets(assigned, timeout_ms=self.timeout_ms)
            deadline = time.monotonic() + self.timeout_ms / 1000
            while any(consumer.position(tp) < ends[tp] for tp in assigned):
                if time.monotonic() > deadline:
                    raise KafkaError(f"reading {', '.join(present)} took too long")
                for partition, batch in consumer.poll(timeout_ms=200).items():
                    records.extend(r for r in batch if r.offset < ends[partition])
        return records

    def read_one(self, partition: TopicPartition, offset: int) -> ConsumerRecord | None:
        """The record at `offset`, if the partition exists and still holds it."""
        if partition not in self.partitions([partition.topic]):
            return None
        with self.reader() as consumer:
            consumer.assign([partition])
            start = consumer.beginning_offsets([partition], timeout_ms=self.timeout_ms)[partition]
            end = consumer.end_offsets([partition], timeout_ms=self.timeout_ms)[partition]
            if not start <= offset < end:
                return None
            consumer.seek(partition, offset)
            deadline = time.monotonic() + self.timeout_ms / 1000
            while time.monotonic() < deadline:
                for record in consumer.poll(timeout_ms=200, max_records=1).get(partition, []):
                    return record if record.offset == offset else None
        raise KafkaError(f"reading {partition.topic}:{partition.partition} took too long")

    # -- consumer lag --

    def group_lag(self, groups: list[str]) -> list[GroupLag]:
        committed: dict[str, dict[TopicPartition, int]] = {}
        errors: dict[str, str] = {}
        with self.admin() as admin:
            for group in groups:  # one at a time: older brokers fetch one group per request
                try:
                    offsets = admin.list_group_offsets({group: None}).get(group, {})
                except KafkaError as error:
                    errors[group] = f"{type(error).__name__}: {error}"
                    continue
                committed[group] = {
                    tp: meta.offset for tp, meta in offsets.items() if meta.offset >= 0
                }
        topics = sorted({tp.topic for offsets in committed.values() for tp in offsets})
        partitions = self.partitions(topics)
        starts: dict[TopicPartition, int] = {}
        ends: dict[TopicPartition, int] = {}
        if partitions:
            with self.reader() as consumer:
                starts = consumer.beginning_offsets(partitions, timeout_ms=self.timeout_ms)
                ends = consumer.end_offsets(partitions, timeout_ms=self.timeout_ms)
        result = []
        for group in groups:
            if group in errors:
                result.append(GroupLag(group, error=errors[group]))
                continue
            offsets = committed[group]
            read_topics = {tp.topic for tp in offsets}
            result.append(
                GroupLag(
                    group,
                    tuple(
                        PartitionLag(
                            group, tp.topic, tp.partition, offsets.get(tp), starts[tp], ends[tp]
                        )
                        for tp in partitions
                        if tp.topic in read_topics
                    ),
                )
            )
        return result

    def reachable(self) -> int:
        """How many topics the broker has; raises when it cannot be reached."""
        return len(self.topics())


class DeadLetterTopics:
    """The services' dead-letter topics, read whole; and replays into the original topics."""

    def __init__(self, kafka: Kafka) -> None:
        self.kafka = kafka

    def read(self, topics: list[str]) -> list[DeadLetter]:
        return [
            DeadLetter.from_record(
                r.topic, r.partition, r.offset, r.key, r.value, list(r.headers or [])
            )
            for r in self.kafka.read_all(topics)
        ]

    def read_one(self, topic: str, partition: int, offset: int) -> DeadLetter | None:
        record = self.kafka.read_one(TopicPartition(topic, partition), offset)
        if record is None:
            return None
        return DeadLetter.from_record(
            record.topic,
            record.partition,
            record.offset,
            record.key,
            record.value,
            list(record.headers or []),
        )

    def republish(self, letter: DeadLetter) -> str:
        """Send the original key and value, unchanged, to the original topic and partition;
        returns where it landed as `<topic>:<partition>:<offset>`."""
        assert letter.original_topic is not None  # checked by DeadLetter.check_replayable
        producer = _producer(self.kafka)
        try:
            metadata = producer.send(
                letter.original_topic,
                key=letter.key,
                value=letter.value,
                partition=letter.original_partition,
                headers=[(REPLAY_HEADER, letter.id.encode())],
            ).get(timeout=self.kafka.timeout_ms / 1000)
        finally:
            producer.close(timeout=5)
        return dead_letter_id(metadata.topic, metadata.partition, metadata.offset)


class ResolutionLog:
    """Resolutions in a compacted topic keyed by dead letter id: the latest one per key wins,
    and it survives restarts of the console with no database."""

    def __init__(self, kafka: Kafka, topic: str = RESOLUTIONS_TOPIC) -> None:
        self.kafka = kafka
        self.topic = topic

    def all(self) -> dict[str, Resolution]:
        resolutions: dict[str, Resolution] = {}
        for record in self.kafka.read_all([self.topic]):
            if record.key is None:
                continue
            key = record.key.decode()
            if record.value is None:  # a tombstone: the resolution was withdrawn
                resolutions.pop(key, None)
                continue
            with suppress(ValueError, KeyError, TypeError):
                resolutions[key] = Resolution.from_dict(json.loads(record.value))
        return resolutions

    def record(self, dead_letter: str, resolution: Resolution) -> None:
        self._ensure_topic()
        producer = _producer(self.kafka)
        try:
            producer.send(
                self.topic,
                key=dead_letter.encode(),
                value=json.dumps(resolution.to_dict(), ensure_ascii=False).encode(),
            ).get(timeout=self.kafka.timeout_ms / 1000)
        finally:
            producer.close(timeout=5)

    def _ensure_topic(self) -> None:
        with self.kafka.admin() as admin:
            if self.topic in admin.list_topics():
                return
            with suppress(TopicAlreadyExistsError):  # someone else created it meanwhile
                admin.create_topics(
                    {
                        self.topic: {
                            "num_partitions": 1,
                            "replication_factor": 1,
                            "configs": {"cleanup.policy": "compact"},
                        }
                    },
                    wait_for_metadata=True,
                )


def _producer(kafka: Kafka) -> KafkaProducer:
    """acks=all: a replay or a resolution counts only once the broker has it for good."""
    return KafkaProducer(
        **kafka.options,
        client_id="eldercare-ops-producer",
        acks="all",
        retries=5,
        max_in_flight_requests_per_connection=1,
        request_timeout_ms=kafka.timeout_ms,
        max_block_ms=kafka.timeout_ms,
    )
