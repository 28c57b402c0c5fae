"""How fast one copy of a worker consumes, against two copies sharing its partitions.

The allowances worker's consumer group is moved back to the start of intake's elder topic (the
district import's events), and the time one copy, then two, take to consume it all again is
measured from their start (the group's join included) to the last committed offset. Every event
has been applied already, so each costs the consumer its decoding, checks and a version check
in the store, with no write: the figure is the consumer's own pace and how it divides, not the
store's. On a machine of two cores, the two copies share those cores with each other and with
the broker and the store.
"""

import time
from typing import Any

from kafka import KafkaAdminClient
from kafka.errors import NoError
from kafka.structs import TopicPartition

from bench.kafka_progress import Progress
from bench.stack import Stack
from devstack.processes import free_port, stop
from devstack.stack import service_env, start_worker
from shared.events import Topics

SERVICE = "allowances"
GROUP = f"eldercare-{SERVICE}"


def run(stack: Stack, timeout: float = 600.0) -> dict[str, Any]:
    progress = Progress(stack.kafka())
    try:
        partitions = progress.partitions(Topics.ELDERS)
        events = sum(progress.end(Topics.ELDERS).values())
        found: dict[str, Any] = {"events": events, "partitions": len(partitions)}
        for copies in (1, 2):
            stop(f"{SERVICE}-worker", stack.run_dir)
            _rewind(stack, partitions)
            names = _start(stack, copies)
            began = time.perf_counter()
            while progress.consumed(GROUP, Topics.ELDERS, {}) < events:
                if time.perf_counter() - began > timeout:
                    raise TimeoutError(f"{copies} copies: not all {events} events in {timeout} s")
                time.sleep(0.2)
            seconds = time.perf_counter() - began
            found[f"copies_{copies}"] = {
                "seconds": round(seconds, 2),
                "per_s": round(events / seconds),
            }
            for name in names[1:]:
                stop(name, stack.run_dir)
        found["speed_up"] = round(found["copies_2"]["per_s"] / found["copies_1"]["per_s"], 2)
        return found
    finally:
        progress.close()


def _rewind(stack: Stack, partitions: list[TopicPartition]) -> None:
    """The group's offsets on the elder topic back to the start (its members are stopped)."""
    admin = KafkaAdminClient(**stack.kafka(), request_timeout_ms=10_000)
    try:
        outcome = admin.reset_group_offsets(GROUP, dict.fromkeys(partitions, 0))
    finally:
        admin.close()
    refused = {tp: r["error"] for tp, r in outcome.items() if r["error"] is not NoError}
    if refused:
        raise RuntimeError(f"the group's offsets were not moved back: {refused}")


def _start(stack: Stack, copies: int) -> list[str]:
    """The worker's first copy as devstack starts it, and the others beside it."""
    names = []
    for replica in range(copies):
        name = f"{SERVICE}-worker" if replica == 0 else f"{SERVICE}-worker-{replica}"
        port = stack.ports.metrics[SERVICE] if replica == 0 else free_port()
        env = service_env(
            SERVICE,
            stack.infra,
            stack.ports,
            LOG_LEVEL="WARNING",
            ELDERCARE_REPLICA=str(replica),
            METRICS_PORT=str(port),
        )
        start_worker(stack.run_dir, SERVICE, env, name)
        names.append(name)
    return names
