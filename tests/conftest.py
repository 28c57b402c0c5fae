"""Real servers for the tests, started by the project's own devstack on free loopback ports.

Unit tests use none of this; a test that asks for `infra` gets Apache Kafka (KRaft) and a
FerretDB store, started once per session and stopped by PID at the end.
"""

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from staff import TEST_SECRET_KEY

from devstack.ferretdb import store_kind
from devstack.kafka_security import SUPER_USER
from devstack.postgres import forget_postgres
from devstack.stack import Infrastructure, Ports, start_broker, start_store, stop_all
from shared.config import Settings

USED: dict[str, str] = {}


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    directory = tmp_path_factory.mktemp("run")
    yield directory
    stop_all(directory)
    forget_postgres(directory)


@pytest.fixture(scope="session")
def ports() -> Ports:
    return Ports.free()


@pytest.fixture(scope="session")
def infra(run_dir: Path, ports: Ports) -> Iterator[Infrastructure]:
    """One broker, and one store per service, as in a deployment. At the end, every event the
    product published in the test run must match the published AsyncAPI document."""
    broker = start_broker(run_dir, ports)
    stores = {name: start_store(run_dir, name, port) for name, port in ports.stores.items()}
    USED["broker"] = f"{broker.kind} at {broker.bootstrap}"
    USED["store"] = f"{store_kind()}, one per service"
    yield Infrastructure(broker, stores)
    check_published_events(broker.client_options(SUPER_USER))


def check_published_events(options: dict[str, Any]) -> None:
    from event_contract import PRODUCT_TOPICS, EventContract, violations_in

    from ops.adapters.kafka import Kafka

    records = Kafka(options, timeout_seconds=300).read_all(PRODUCT_TOPICS)
    checked, found = violations_in(records, EventContract.published())
    USED["events"] = f"{checked} published events checked against docs/asyncapi.json"
    assert not found, f"{len(found)} published events break docs/asyncapi.json:\n" + "\n".join(
        found[:200]
    )


@pytest.fixture
def settings(infra: Infrastructure) -> Settings:
    """Settings of a throwaway service: its own database and consumer group, real servers. It
    signs in to the broker as the super user, being no service the ACLs know."""
    name = f"t{uuid.uuid4().hex[:10]}"
    return Settings(
        service=name,
        **infra.broker.client_settings(SUPER_USER),
        mongo_url=infra.stores["intake"],
        mongo_db=f"test_{name}",
        secret_key=TEST_SECRET_KEY,
        session_timeout_ms=6000,
        retry_backoff_seconds=0.01,
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if USED:
        terminalreporter.write_sep("-", "servers used")
        for role, what in USED.items():
            terminalreporter.write_line(f"{role}: {what}")


def read_topic(options: dict[str, Any], topic: str, timeout: float = 20.0) -> list:
    """Every record now in `topic`, read without a consumer group; `options` as
    Broker.client_options gives them."""
    import time

    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(**options, enable_auto_commit=False)
    try:
        deadline = time.monotonic() + timeout
        partitions = consumer.partitions_for_topic(topic)
        while partitions is None and time.monotonic() < deadline:
            time.sleep(0.2)
            partitions = consumer.partitions_for_topic(topic)
        assigned = [TopicPartition(topic, p) for p in sorted(partitions or [])]
        consumer.assign(assigned)
        consumer.seek_to_beginning(*assigned)
        ends = consumer.end_offsets(assigned)
        records = []
        while time.monotonic() < deadline and any(
            consumer.position(tp) < ends[tp] for tp in assigned
        ):
            for batch in consumer.poll(timeout_ms=500).values():
                records.extend(batch)
        return records
    finally:
        consumer.close()


@pytest.fixture
def topic_reader(infra: Infrastructure):
    return lambda topic: read_topic(infra.broker.client_options(SUPER_USER), topic)


@pytest.fixture
def kafka_as(infra: Infrastructure):
    """kafka-python's options for a client signing in as a principal of the broker (e.g. an
    outside system publishing inbound events is "outside")."""
    return infra.broker.client_options
