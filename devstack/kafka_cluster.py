"""A cluster of Apache Kafka brokers on loopback: no single broker to lose.

Each node is a KRaft broker and controller of one controller quorum (a majority of the nodes
must be up to change the cluster's metadata). Every topic has a copy on three brokers
(replication factor 3), a write is acknowledged once two copies hold it
(`min.insync.replicas=2`, with the product's `acks=all`), and the product's event topics have
12 partitions, so that up to 12 copies of a worker can share one topic's work. The nodes share
one certificate (for 127.0.0.1 and localhost) and the principals' credentials, as the single
broker has them (devstack.kafka_security).
"""

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from kafka import KafkaAdminClient, KafkaConsumer

from devstack import kafka_security
from devstack.kafka import (
    KIND,
    Broker,
    Node,
    grant_topics_and_acls,
    launch_node,
    new_cluster_id,
    prepare_node,
    serves,
)
from devstack.processes import Spawned, is_alive, stop, wait_until
from shared.events import Topics

CLUSTER_PARTITIONS = 12
CLUSTER_COPIES = 3
HEAP = "512m"  # three brokers share the machine


@dataclass
class KafkaCluster:
    run_dir: Path
    nodes: list[Node]
    spawned: list[Spawned]
    broker: Broker  # what clients are given: every node's address, the CA, the credentials

    def name(self, index: int) -> str:
        return f"kafka-{self.nodes[index].node_id}"

    def data_dir(self, index: int) -> Path:
        return cluster_dir(self.run_dir) / self.name(index)

    def kill(self, index: int) -> None:
        """SIGKILL one broker: nothing is flushed, its leaderships move to the others."""
        pid = self.spawned[index].pid
        os.kill(pid, signal.SIGKILL)
        while is_alive(pid):
            time.sleep(0.05)
        stop(self.name(index), self.run_dir)  # forgets the PID file

    def stop(self, index: int) -> str:
        """SIGTERM one broker: it hands its leaderships over first."""
        return stop(self.name(index), self.run_dir)

    def start(self, index: int, timeout: float = 120.0) -> None:
        """Start a stopped broker again, with its data, and wait until it serves."""
        self.spawned[index] = launch_node(
            self.name(index), self.run_dir, self.data_dir(index), HEAP
        )
        self.wait_serving(index, timeout)

    def wait_serving(self, index: int, timeout: float) -> None:
        options = self._options(index)
        wait_until(self.spawned[index], lambda: serves(options), timeout, "serving")

    def wait_granted(self, index: int, timeout: float) -> None:
        """Until the broker answers a service as the ACLs granted allow: they are made through
        the controller and reach each broker a moment later, and a client served before that
        is refused ("not authorized")."""
        service = self.broker.client_options("intake")
        options = {**service, "bootstrap_servers": self._address(index)}

        def allowed() -> bool:
            consumer = KafkaConsumer(**options)
            try:
                return bool(consumer.partitions_for_topic(Topics.ELDERS))
            finally:
                consumer.close()

        wait_until(self.spawned[index], allowed, timeout, "allowing the services their topics")

    def stop_all(self) -> None:
        stop_cluster(self.run_dir)

    def leader_of(self, topic: str, partition: int) -> int:
        """The index of the broker leading the partition now."""
        [described] = self._describe([topic])
        leader = next(
            p["leader_id"] for p in described["partitions"] if p["partition_index"] == partition
        )
        return [node.node_id for node in self.nodes].index(leader)

    def wait_in_sync(self, topics: list[str], timeout: float = 120.0) -> float:
        """Seconds until every copy of every partition of `topics` is in sync again (a broker
        started again has caught up with what was written while it was away)."""
        started = time.monotonic()
        while True:
            lagging = [
                (t["name"], p["partition_index"])
                for t in self._describe(topics)
                for p in t["partitions"]
                if len(p["isr_nodes"]) < len(p["replica_nodes"])
            ]
            if not lagging:
                return time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"copies not in sync within {timeout:.0f} s: {lagging[:10]}")
            time.sleep(1)

    def _describe(self, topics: list[str]) -> list[dict]:
        admin = KafkaAdminClient(**self.broker.client_options(kafka_security.SUPER_USER))
        try:
            return list(admin.describe_topics(topics))
        finally:
            admin.close()

    def _options(self, index: int) -> dict[str, object]:
        """The super user's client options for this one broker."""
        options = self.broker.client_options(kafka_security.SUPER_USER)
        return {**options, "bootstrap_servers": self._address(index)}

    def _address(self, index: int) -> str:
        return f"127.0.0.1:{self.nodes[index].port}"


def stop_cluster(run_dir: Path) -> dict[str, str]:
    """Stop every broker of the cluster started in `run_dir`, all at once: one by one, the
    last would wait out its grace period for a controller quorum that has gone."""
    names = sorted(p.stem for p in (run_dir / "pids").glob("kafka-*.pid"))
    with ThreadPoolExecutor(max_workers=max(1, len(names))) as pool:
        return dict(zip(names, pool.map(lambda name: stop(name, run_dir), names), strict=True))


def cluster_dir(run_dir: Path) -> Path:
    return run_dir / "data" / "kafka-cluster"


def start_kafka_cluster(
    run_dir: Path, ports: list[tuple[int, int]], timeout: float = 180.0
) -> KafkaCluster:
    """Start (or restart, keeping their data) one node per (broker port, controller port), wait
    until each serves, then create the product's topics and ACLs."""
    base = cluster_dir(run_dir)
    base.mkdir(parents=True, exist_ok=True)
    passwords = kafka_security.passwords(run_dir)
    keys = kafka_security.broker_keys(base)
    voters = ",".join(f"{i}@127.0.0.1:{c}" for i, (_, c) in enumerate(ports, start=1))
    copies = min(CLUSTER_COPIES, len(ports))
    nodes = [Node(i, p, c, voters, copies) for i, (p, c) in enumerate(ports, start=1)]
    cluster_id = _kept_cluster_id(base)
    for node in nodes:
        data_dir = base / f"kafka-{node.node_id}"
        prepare_node(data_dir, node, CLUSTER_PARTITIONS, keys, passwords, cluster_id)
    # every node first: the controller quorum elects a leader only once a majority is up
    spawned = [
        launch_node(f"kafka-{n.node_id}", run_dir, base / f"kafka-{n.node_id}", HEAP) for n in nodes
    ]
    bootstrap = ",".join(f"127.0.0.1:{n.port}" for n in nodes)
    kind = f"{KIND}, a cluster of {len(nodes)} brokers"
    broker = Broker(
        kind, bootstrap, spawned[0], keys.ca_file, passwords, CLUSTER_PARTITIONS, copies
    )
    cluster = KafkaCluster(run_dir, nodes, spawned, broker)
    for index in range(len(nodes)):
        cluster.wait_serving(index, timeout)
    grant_topics_and_acls(
        broker.client_options(kafka_security.SUPER_USER), CLUSTER_PARTITIONS, copies
    )
    for index in range(len(nodes)):
        cluster.wait_granted(index, timeout)
    return cluster


def _kept_cluster_id(base: Path) -> str:
    """The cluster's id, the same for every node's storage, kept for restarts."""
    kept = base / "cluster-id"
    if not kept.exists():
        kept.write_text(new_cluster_id())
    return kept.read_text().strip()
