"""An API whose store is unreachable starts, answers 503 problem+json at once, and stays alive.

Each of the three services starts the same way: the API does not wait for its store (its
indexes are made when the store is back, by the worker, which waits for it)."""

import time
from dataclasses import replace
from importlib import import_module

import pytest
from staff import staff_headers

from devstack.processes import free_port

READS = {
    "intake": ("intake_clerk", "/elders/someone"),
    "visits": ("visitor", "/obligations/someone"),
    "allowances": ("allowance_officer", "/elders/someone"),
}


@pytest.mark.parametrize("service", sorted(READS))
def test_a_store_outage_is_a_503_not_a_hang_or_a_500(settings, service):
    role, path = READS[service]
    unreachable = replace(settings, mongo_url=f"mongodb://127.0.0.1:{free_port()}/")
    bootstrap = import_module(f"services.{service}.bootstrap").bootstrap
    create_app = import_module(f"services.{service}.entrypoints.app").create_app

    started = time.monotonic()
    client = create_app(bootstrap(unreachable)).test_client()
    assert time.monotonic() - started < 30  # one try at the indexes, no wait for the store

    assert client.get("/healthz").status_code == 200  # liveness does not depend on the store
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json["checks"]["mongodb"].startswith("unreachable")
    assert ready.json["checks"]["kafka"] == "ok"

    answer = client.get(path, headers=staff_headers(f"c:c:{role}")["c"])
    assert answer.status_code == 503
    assert answer.content_type == "application/problem+json"
    assert answer.headers["Retry-After"] == "5"
    assert "not applied" in answer.json["detail"]


def test_a_write_the_store_did_not_answer_is_not_said_to_be_unapplied(settings):
    """A write may stop part of the way through: the answer does not claim nothing happened."""
    unreachable = replace(settings, mongo_url=f"mongodb://127.0.0.1:{free_port()}/")
    bootstrap = import_module("services.visits.bootstrap").bootstrap
    create_app = import_module("services.visits.entrypoints.app").create_app
    client = create_app(bootstrap(unreachable)).test_client()
    body = {"elder_id": "e-1", "trigger": "hospitalised", "occurred_at": "2026-12-01T00:00:00Z"}
    answer = client.post("/obligations", json=body, headers=staff_headers("c:c:visitor")["c"])
    assert answer.status_code == 503
    assert answer.content_type == "application/problem+json"
    assert "only in part" in answer.json["detail"]
    assert "not applied" not in answer.json["detail"]
