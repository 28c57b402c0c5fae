"""A cluster of three Kafka brokers on loopback, started by devstack as `./dev up --brokers 3`
starts it, keeps the product's promises while brokers fail: the product's own producer keeps
writing keyed events while the leader of their partition is killed with -9 and restarted, and
while another broker is stopped for 30 seconds; every write Kafka acknowledged is read back
once, in order per key."""

import threading
import time
from collections import defaultdict
from collections.abc import Iterator

import pytest
from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType
from kafka.errors import KafkaError

from devstack import kafka_security
from devstack.kafka import java_available
from devstack.kafka_cluster import CLUSTER_PARTITIONS, KafkaCluster, start_kafka_cluster
from devstack.stack import Ports
from shared.config import Settings
from shared.events import Topics
from shared.kafka import make_consumer, make_producer

KEYS = [f"elder-{n}" for n in range(24)]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[KafkaCluster]:
    if not java_available():
        pytest.fail("Java and Maven are needed for the Kafka cluster: ./dev test installs them")
    run_dir = tmp_path_factory.mktemp("cluster")
    started = start_kafka_cluster(run_dir, Ports.free(brokers=3).kafka_nodes())
    yield started
    started.stop_all()


def settings_of(cluster: KafkaCluster, principal: str) -> Settings:
    return Settings(service=principal, **cluster.broker.client_settings(principal))


class Writer:
    """Sends numbered events for each key, one after another, and keeps those acknowledged."""

    def __init__(self, cluster: KafkaCluster) -> None:
        self.producer = make_producer(settings_of(cluster, "intake"))
        self.acked: dict[str, list[int]] = defaultdict(list)
        self.failed = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        sequence = 0
        while not self.stop.is_set():
            key = KEYS[sequence % len(KEYS)]
            value = f"{key}:{sequence}".encode()
            try:
                self.producer.send(Topics.ELDERS, key=key.encode(), value=value).get(timeout=30)
                self.acked[key].append(sequence)
            except KafkaError:
                self.failed += 1  # not acknowledged: the product's outbox would send it again
            sequence += 1
            time.sleep(0.01)

    def written(self) -> int:
        return sum(len(numbers) for numbers in self.acked.values())


def test_the_topics_are_copied_to_three_brokers_with_twelve_partitions(cluster):
    admin = KafkaAdminClient(**cluster.broker.client_options(kafka_security.SUPER_USER))
    try:
        [described] = admin.describe_topics([Topics.ELDERS])
        asked = ConfigResource(
            ConfigResourceType.TOPIC, Topics.ELDERS, {"min.insync.replicas": None}
        )
        configs = admin.describe_configs([asked], config_filter="all")
    finally:
        admin.close()
    assert len(described["partitions"]) == CLUSTER_PARTITIONS
    assert {len(p["replica_nodes"]) for p in described["partitions"]} == {3}
    # a write is acknowledged once two of the three copies hold it (the producer's acks=all)
    in_sync = configs["topic"][Topics.ELDERS]["min.insync.replicas"]
    assert in_sync["value"] == "2", in_sync
    producer = make_producer(settings_of(cluster, "visits"))
    try:
        assert producer.config["enable_idempotence"] is True  # not disabled by a conflict
        assert producer.config["acks"] == -1
    finally:
        producer.close(timeout=10)


def test_nothing_acknowledged_is_lost_or_doubled_when_brokers_fail(cluster):
    writer = Writer(cluster)
    writer.thread.start()
    try:
        time.sleep(3)
        leader = cluster.leader_of(Topics.ELDERS, 0)
        cluster.kill(leader)  # kill -9 the leader of partition 0
        time.sleep(5)
        cluster.start(leader)
        other = (leader + 1) % 3
        cluster.stop(other)  # a broker away for 30 s
        time.sleep(30)
        cluster.start(other)
        time.sleep(3)
    finally:
        writer.stop.set()
        writer.thread.join()
        writer.producer.close(timeout=10)
    assert writer.written() > 1000, (writer.written(), writer.failed)

    consumer = make_consumer(settings_of(cluster, "visits"), [Topics.ELDERS])
    read: dict[str, list[int]] = defaultdict(list)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and sum(map(len, read.values())) < writer.written():
            for records in consumer.poll(timeout_ms=1000).values():
                for record in records:
                    key, number = record.value.decode().split(":")
                    read[key].append(int(number))
    finally:
        consumer.close(autocommit=False)
    print(
        f"cluster faults: {writer.written()} writes acknowledged, {writer.failed} refused "
        f"(not acknowledged), {sum(map(len, read.values()))} read back"
    )
    for key in KEYS:
        numbers = read[key]
        assert len(numbers) == len(set(numbers)), f"{key}: doubled"
        assert numbers == sorted(numbers), f"{key}: out of order"
        assert set(writer.acked[key]) <= set(numbers), f"{key}: acknowledged and lost"
