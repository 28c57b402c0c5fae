"""The whole system as real processes, and the faults the reliability suite injects into it.

Everything is started and stopped with devstack, by the PID devstack recorded: a worker is
killed with SIGKILL, an API (the gunicorn master and its worker, one process group) likewise;
the broker and the stores are stopped and started again on the same data directories.
"""

import os
import re
import signal
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from kafka import KafkaAdminClient, KafkaProducer
from kafka.errors import NoError
from pymongo import MongoClient

from devstack.kafka_security import SUPER_USER
from devstack.processes import free_port, is_alive, read_pid, stop
from devstack.stack import (
    SERVICES,
    Infrastructure,
    Ports,
    service_env,
    start_api,
    start_broker,
    start_store,
    start_worker,
)
from ops.adapters.kafka import Kafka
from ops.config import ConsoleSettings, ServiceEndpoints
from ops.service_layer.console import Console
from shared.clock import SystemClock
from shared.config import Settings
from shared.consumer import DeadLetters, Received

SESSION_TIMEOUT_MS = "6000"  # a killed consumer leaves its group this fast
METRIC_LINE = re.compile(r"^(\w+)\{(.*)\} ([0-9.e+-]+)$")


@dataclass
class Stack:
    run_dir: Path
    ports: Ports
    infra: Infrastructure
    restarts: Counter = field(default_factory=Counter)
    clients: dict = field(default_factory=dict)
    replicas: dict[str, int] = field(default_factory=dict)  # another copy of a worker: metrics

    # -- addresses --

    def api(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports.apis[service]}"

    def metrics_url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports.metrics[service]}/metrics"

    @property
    def bootstrap(self) -> str:
        return self.infra.broker.bootstrap

    def kafka(self, principal: str = SUPER_USER) -> dict[str, Any]:
        """kafka-python's options for a client signing in to the broker as `principal`."""
        return self.infra.broker.client_options(principal)

    def db(self, service: str):
        """The service's own database, read directly (short timeouts: it may be down)."""
        if service not in self.clients:
            self.clients[service] = MongoClient(
                self.infra.stores[service],
                serverSelectionTimeoutMS=3000,
                socketTimeoutMS=20_000,
                tz_aware=True,
            )
        return self.clients[service][f"eldercare_{service}"]

    # -- starting --

    def env(self, service: str) -> dict[str, str]:
        return service_env(
            service, self.infra, self.ports, KAFKA_SESSION_TIMEOUT_MS=SESSION_TIMEOUT_MS
        )

    def start_worker(self, service: str) -> None:
        start_worker(self.run_dir, service, self.env(service))

    def start_replica(self, service: str, replica: int) -> str:
        """Another copy of the service's worker, in its consumer group; returns its name."""
        name = f"{service}-worker-{replica}"
        port = free_port()
        env = {**self.env(service), "ELDERCARE_REPLICA": str(replica), "METRICS_PORT": str(port)}
        start_worker(self.run_dir, service, env, name)
        self.replicas[name] = port
        return name

    def start_api(self, service: str) -> None:
        start_api(self.run_dir, service, self.ports.apis[service], self.env(service))

    def start_all(self) -> None:
        for service in SERVICES:
            self.start_worker(service)
            self.start_api(service)

    def stop_all(self) -> dict[str, str]:
        """Stop the services this suite started, and make sure the servers are up again for
        whatever runs next in the session."""
        outcomes = {}
        for client in self.clients.values():
            client.close()
        for service in SERVICES:
            for name in (f"{service}-api", f"{service}-worker"):
                outcomes[name] = stop(name, self.run_dir)
        for name in self.replicas:
            outcomes[name] = stop(name, self.run_dir)
        if self.ports.brokers == 1 and not self.running("kafka"):
            start_broker(self.run_dir, self.ports)
        for service in SERVICES:
            if not self.running(f"store-{service}"):
                start_store(self.run_dir, service, self.ports.stores[service])
        return outcomes

    def running(self, name: str) -> bool:
        pid = read_pid(name, self.run_dir)
        return pid is not None and is_alive(pid)

    # -- faults --

    def kill(self, name: str) -> None:
        """SIGKILL: no signal handler runs, nothing is flushed or committed."""
        pid = read_pid(name, self.run_dir)
        assert pid is not None and is_alive(pid), f"{name} is not running"
        if name.endswith("-api"):
            os.killpg(pid, signal.SIGKILL)  # the gunicorn master and its worker together
        else:
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while is_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not is_alive(pid), f"{name} survived SIGKILL"
        assert stop(name, self.run_dir) == "already stopped"  # forgets the PID file
        if name.endswith("-api"):  # its worker process may take a moment to go too
            port = self.ports.apis[name.removesuffix("-api")]
            _wait_port_free(port)

    def terminate(self, name: str) -> str:
        """SIGTERM, as an orchestrator stops a process; "stopped" means no SIGKILL was needed."""
        return stop(name, self.run_dir)

    def restart(self, name: str) -> None:
        service, kind = name.rsplit("-", 1)
        (self.start_api if kind == "api" else self.start_worker)(service)
        self.restarts[name] += 1

    def stop_broker(self) -> str:
        return stop("kafka", self.run_dir)

    def start_broker(self) -> None:
        start_broker(self.run_dir, self.ports)

    def stop_store(self, service: str) -> str:
        return stop(f"store-{service}", self.run_dir)

    def start_store(self, service: str) -> None:
        start_store(self.run_dir, service, self.ports.stores[service])

    # -- duplicate delivery --

    def read_topic(self, topic: str) -> list:
        """Every record now in the topic; raises rather than answer part of it."""
        return Kafka(self.kafka(), timeout_seconds=60).read_all([topic])

    def rewind(self, service: str, topics: list[str], by: int) -> int:
        """Move the (stopped) service's committed offsets back, so that it consumes a range it
        has already applied once more; returns how many deliveries that repeats."""
        group = f"eldercare-{service}"
        admin = KafkaAdminClient(**self.kafka(), request_timeout_ms=10_000)
        try:
            committed = admin.list_group_offsets({group: None})[group]
            targets = {
                tp: max(0, meta.offset - by)
                for tp, meta in committed.items()
                if tp.topic in topics and meta.offset > 0
            }
            outcome = admin.reset_group_offsets(group, targets)
        finally:
            admin.close()
        assert all(r["error"] is NoError for r in outcome.values()), outcome
        return sum(committed[tp].offset - r["offset"] for tp, r in outcome.items())

    def dead_letter(self, service: str, records: list, reason: str) -> None:
        """Put records the service has already applied on its dead-letter topic, exactly as
        its consumer does with a message it gave up on."""
        producer = KafkaProducer(**self.kafka(service), acks="all")
        try:
            letters = DeadLetters(producer, service, f"eldercare-{service}")
            for r in records:
                letters.send(Received(r.topic, r.partition, r.offset, r.key, r.value), reason)
        finally:
            producer.close(timeout=10)

    def console(self) -> Console:
        """The operator console's use cases, watching this stack."""
        services = tuple(ServiceEndpoints(s, self.api(s), self.metrics_url(s)) for s in SERVICES)
        operator = Settings(service="ops", **self.infra.broker.client_settings("operator"))
        settings = ConsoleSettings(self.bootstrap, services=services, kafka=operator)
        return Console(settings, SystemClock())

    # -- probes --

    def health(self, service: str) -> tuple[int, int, dict]:
        """(liveness status, readiness status, readiness body) of the service's API."""
        live = requests.get(f"{self.api(service)}/healthz", timeout=5).status_code
        ready = requests.get(f"{self.api(service)}/readyz", timeout=10)
        return live, ready.status_code, ready.json()

    def worker_counts(self, service: str) -> Counter:
        """The worker's event outcomes since it started: (topic, outcome) -> count."""
        counts: Counter = Counter()
        for labels, value in self.metric(
            self.metrics_url(service), "eldercare_events_consumed_total"
        ):
            counts[(labels["topic"], labels["outcome"])] += int(value)
        return counts

    def worker_metrics_url(self, name: str) -> str:
        """A worker's metrics, by its process name (the first copy, or another)."""
        if name in self.replicas:
            return f"http://127.0.0.1:{self.replicas[name]}/metrics"
        return self.metrics_url(name.removesuffix("-worker"))

    def metric(self, url: str, metric: str) -> list[tuple[dict[str, str], float]]:
        """Each sample of one metric at `url`: its labels and value."""
        samples = []
        for line in requests.get(url, timeout=5).text.splitlines():
            match = METRIC_LINE.match(line)
            if match and match.group(1) == metric:
                labels = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2)))
                samples.append((labels, float(match.group(3))))
        return samples


def _wait_port_free(port: int, timeout: float = 10.0) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.1)
