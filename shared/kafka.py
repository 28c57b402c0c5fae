"""Kafka clients configured the one way the product uses them."""

import logging
from contextlib import suppress
from typing import Any

from kafka import ConsumerRebalanceListener, KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import (
    AuthorizationError,
    KafkaConnectionError,
    TopicAlreadyExistsError,
    TopicAuthorizationFailedError,
)
from kafka.net.manager import KafkaConnectionManager
from kafka.structs import TopicPartition

from shared.config import Settings

log = logging.getLogger(__name__)

PARTITIONS = Settings.kafka_topic_partitions  # on one machine (devstack, docker-compose)
# The client's own default lets the wait between reconnection attempts grow to 30 s, so after
# a broker outage of that order workers would sit idle for up to half a minute more.
RECONNECT_BACKOFF_MAX_MS = 2000
ASK_AGAIN_TIMEOUT_MS = 3000


# kafka-python 3.0.12 lets one connection failure escape as a bare OSError: a broker that
# resets a TLS connection between the TCP connect and the TLS wrap (one killed while clients
# connect to it) makes `ssl.wrap_socket` raise ConnectionResetError outside the try that turns
# handshake errors into KafkaConnectionError. The client's metadata refresh loop catches only
# KafkaError, so it ends for good: the client never learns a partition's new leader again and
# fetches from the dead broker until restarted; and a commit can raise it where the consumer
# loop expects a KafkaError. Turned into the KafkaConnectionError every other connection
# failure is, the loop retries as it does for those. tests/unit/test_kafka_connection_errors.py
# shows the client still does it, so that this goes once a release stops doing it.
_build_transport = KafkaConnectionManager._build_transport


async def _build_transport_failing_as_kafka_errors(
    self: KafkaConnectionManager, node: Any, timeout_at: float | None = None
) -> Any:
    try:
        return await _build_transport(self, node, timeout_at=timeout_at)
    except OSError as error:
        raise KafkaConnectionError(f"connecting failed: {error!r}") from error


KafkaConnectionManager._build_transport = _build_transport_failing_as_kafka_errors


def client_options(settings: Settings) -> dict[str, Any]:
    """Where the broker is and how to prove who we are to it: the options every Kafka client
    of the product is built with. Without SASL the broker knows no one (PLAINTEXT)."""
    options: dict[str, Any] = {
        "bootstrap_servers": settings.kafka_bootstrap,
        "security_protocol": settings.kafka_security_protocol,
    }
    if settings.kafka_security_protocol.startswith("SASL_"):
        options |= {
            "sasl_mechanism": settings.kafka_sasl_mechanism,
            "sasl_plain_username": settings.kafka_username,
            "sasl_plain_password": settings.kafka_password,
        }
    if settings.kafka_security_protocol.endswith("SSL"):
        options |= {"ssl_cafile": settings.kafka_ca_file or None, "ssl_check_hostname": True}
    return options


def make_producer(settings: Settings) -> KafkaProducer:
    """acks=all and one request in flight: a confirmed send is durable and in key order; and
    idempotent, so that a retried send is not written twice (said outright, so that a setting
    at odds with it fails here instead of turning it off with a warning)."""
    return KafkaProducer(
        **client_options(settings),
        client_id=f"{settings.consumer_group}-producer",
        enable_idempotence=True,
        acks="all",
        retries=5,
        max_in_flight_requests_per_connection=1,
        linger_ms=5,
        request_timeout_ms=10_000,
        max_block_ms=10_000,
        reconnect_backoff_max_ms=RECONNECT_BACKOFF_MAX_MS,
    )


def make_consumer(settings: Settings, topics: list[str]) -> KafkaConsumer:
    """Offsets are committed by the consumer loop only after effects are stored."""
    consumer = KafkaConsumer(
        **client_options(settings),
        group_id=settings.consumer_group,
        client_id=f"{settings.consumer_group}-consumer",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=settings.session_timeout_ms,
        heartbeat_interval_ms=max(1000, settings.session_timeout_ms // 4),
        max_poll_records=200,
        max_poll_interval_ms=300_000,
        reconnect_backoff_max_ms=RECONNECT_BACKOFF_MAX_MS,
    )
    # Learn the topics' partitions first: a consumer that joins its group before it knows them
    # is assigned none, and kafka-python does not always join again once they are known (seen
    # on a loaded machine over TLS), which leaves the worker idle.
    for topic in topics:
        consumer.partitions_for_topic(topic)
    consumer.subscribe(topics, listener=AssignmentLog())
    return consumer


def make_offsets_client(settings: Settings) -> KafkaConsumer:
    """A client of no group that only asks the cluster for offsets: a second opinion when a
    consumer's own client stops getting answers (shared.consumer_stall). It gives up within
    seconds, so that in an outage asking it does not hold the consumer loop up."""
    return KafkaConsumer(
        **client_options(settings),
        client_id=f"{settings.consumer_group}-offsets",
        enable_auto_commit=False,
        bootstrap_timeout_ms=ASK_AGAIN_TIMEOUT_MS,
        request_timeout_ms=ASK_AGAIN_TIMEOUT_MS,
        reconnect_backoff_max_ms=RECONNECT_BACKOFF_MAX_MS,
    )


class AssignmentLog(ConsumerRebalanceListener):
    """Logs each change of the partitions a consumer holds: the first thing to read when a
    service's projections fall behind."""

    def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        log.info("partitions revoked", extra={"partitions": _named(revoked)})

    def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        log.info("partitions assigned", extra={"partitions": _named(assigned)})


def _named(partitions: set[TopicPartition]) -> list[str]:
    return sorted(f"{p.topic}[{p.partition}]" for p in partitions)


def ensure_topics(settings: Settings, topics: list[str]) -> None:
    """Create the topics a process needs, so that consumers never wait on auto-creation, with
    the partitions and copies the settings give (`KAFKA_TOPIC_PARTITIONS`,
    `KAFKA_REPLICATION_FACTOR`).

    On a secured broker the administrator creates the product's topics and a service may not:
    only a topic that is missing is asked for, and a refusal says which topic is missing."""
    admin = KafkaAdminClient(**client_options(settings), request_timeout_ms=10_000)
    try:
        existing = set(admin.list_topics())
        missing = [name for name in topics if name not in existing]
        if not missing:
            return
        new = [
            NewTopic(
                name,
                num_partitions=settings.kafka_topic_partitions,
                replication_factor=settings.kafka_replication_factor,
            )
            for name in missing
        ]
        try:
            with suppress(TopicAlreadyExistsError):  # another process created it first
                admin.create_topics(new)
        except AuthorizationError as refused:
            raise TopicAuthorizationFailedError(
                f"topics {', '.join(missing)} are missing or not visible to "
                f"{settings.kafka_username or 'this client'}, and it may not create them: "
                "the broker's administrator creates them and grants access"
            ) from refused
        log.info("created topics", extra={"topics": missing})
    finally:
        admin.close()
