"""Kafka clients configured the one way the product uses them."""

import logging
from contextlib import suppress

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from shared.config import Settings

log = logging.getLogger(__name__)

PARTITIONS = 3
# The client's own default lets the wait between reconnection attempts grow to 30 s, so after
# a broker outage of that order workers would sit idle for up to half a minute more.
RECONNECT_BACKOFF_MAX_MS = 2000


def make_producer(settings: Settings) -> KafkaProducer:
    """acks=all and one request in flight: a confirmed send is durable and in key order."""
    return KafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        client_id=f"{settings.consumer_group}-producer",
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
        bootstrap_servers=settings.kafka_bootstrap,
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
    consumer.subscribe(topics)
    return consumer


def ensure_topics(settings: Settings, topics: list[str], partitions: int = PARTITIONS) -> None:
    """Create the topics a process needs, so that consumers never wait on auto-creation."""
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=10_000)
    try:
        existing = set(admin.list_topics())
        missing = [name for name in topics if name not in existing]
        if not missing:
            return
        new = [NewTopic(name, num_partitions=partitions, replication_factor=1) for name in missing]
        with suppress(TopicAlreadyExistsError):  # another process created it first
            admin.create_topics(new)
        log.info("created topics", extra={"topics": missing})
    finally:
        admin.close()
