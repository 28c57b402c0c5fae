"""The services as the console sees them over HTTP: each API's readiness and each worker's
Prometheus metrics (from which the outbox backlog is read)."""

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from prometheus_client.parser import text_string_to_metric_families

from ops.config import ServiceEndpoints
from ops.domain.health import (
    NOT_READY,
    READY,
    RUNNING,
    UNREACHABLE,
    ComponentHealth,
    FailureCount,
    OutboxBacklog,
)

OUTBOX_BACKLOG = "eldercare_outbox_backlog_documents"
EVENT_FAILURES = "eldercare_event_failures_total"
PUBLISH_FAILURES = "eldercare_outbox_publish_failures_total"


@dataclass(frozen=True)
class ServiceReport:
    api: ComponentHealth
    worker: ComponentHealth
    outbox: tuple[OutboxBacklog, ...] = ()
    failures: tuple[FailureCount, ...] = ()


class Endpoints:
    def __init__(self, services: tuple[ServiceEndpoints, ...], timeout_seconds: float) -> None:
        self.services = services
        self.timeout = timeout_seconds

    def reports(self) -> list[ServiceReport]:
        """Every service's API and worker, asked in parallel so one slow service costs one
        timeout, not one per service."""
        if not self.services:
            return []
        with ThreadPoolExecutor(max_workers=2 * len(self.services)) as pool:
            apis = [pool.submit(self.probe_api, s) for s in self.services]
            workers = [pool.submit(self.scrape_worker, s) for s in self.services]
            return [
                ServiceReport(api.result(), *worker.result())
                for api, worker in zip(apis, workers, strict=True)
            ]

    def probe_api(self, service: ServiceEndpoints) -> ComponentHealth:
        url = f"{service.api.rstrip('/')}/readyz"
        try:
            status, body = self._get(url)
        except OSError as error:
            return ComponentHealth(service.name, "api", url, UNREACHABLE, _reason(error))
        if status == 200:
            return ComponentHealth(service.name, "api", url, READY)
        return ComponentHealth(service.name, "api", url, NOT_READY, _failing_checks(status, body))

    def scrape_worker(
        self, service: ServiceEndpoints
    ) -> tuple[ComponentHealth, tuple[OutboxBacklog, ...], tuple[FailureCount, ...]]:
        url = service.metrics
        try:
            status, body = self._get(url)
        except OSError as error:
            return ComponentHealth(service.name, "worker", url, UNREACHABLE, _reason(error)), (), ()
        if status != 200:
            detail = f"HTTP {status}"
            return ComponentHealth(service.name, "worker", url, NOT_READY, detail), (), ()
        exposition = body.decode("utf-8", "replace")
        try:
            backlog = outbox_backlog(service.name, exposition)
            failures = failure_counts(service.name, exposition)
        except ValueError as error:
            detail = f"unreadable metrics: {error}"
            return ComponentHealth(service.name, "worker", url, NOT_READY, detail), (), ()
        return ComponentHealth(service.name, "worker", url, RUNNING), backlog, failures

    def _get(self, url: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:  # 503 from /readyz is an answer, not a failure
            return error.code, error.read()


def outbox_backlog(service: str, exposition: str) -> tuple[OutboxBacklog, ...]:
    """The backlog gauge per collection, from a worker's Prometheus text exposition."""
    backlog = []
    for family in text_string_to_metric_families(exposition):
        if family.name != OUTBOX_BACKLOG:
            continue
        for sample in family.samples:
            if sample.labels.get("service", service) == service:
                backlog.append(
                    OutboxBacklog(service, sample.labels.get("collection", ""), int(sample.value))
                )
    return tuple(sorted(backlog, key=lambda b: b.collection))


def failure_counts(service: str, exposition: str) -> tuple[FailureCount, ...]:
    """Failed attempts to handle events (by topic and error) and failed outbox relay passes."""
    counts = []
    for family in text_string_to_metric_families(exposition):
        for sample in family.samples:
            labels = sample.labels
            if labels.get("service", service) != service or sample.value <= 0:
                continue
            if sample.name == EVENT_FAILURES:
                what = f"handling {labels.get('topic', 'events')}"
                counts.append(
                    FailureCount(service, what, labels.get("error", ""), int(sample.value))
                )
            elif sample.name == PUBLISH_FAILURES:
                what = "publishing the outbox"
                counts.append(FailureCount(service, what, "", int(sample.value)))
    return tuple(counts)


def _failing_checks(status: int, body: bytes) -> str:
    try:
        checks = json.loads(body).get("checks", {})
    except (ValueError, AttributeError):
        return f"HTTP {status}"
    failing = [f"{name}: {result}" for name, result in checks.items() if result != "ok"]
    return "; ".join(failing) or f"HTTP {status}"


def _reason(error: OSError) -> str:
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    return str(error) or type(error).__name__
