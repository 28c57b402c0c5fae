"""Schemathesis against each service's own OpenAPI description: generated requests, valid and
invalid, as the district administrator, on a real store; no answer may be a 5xx."""

import itertools
import time
import uuid
from datetime import UTC, datetime
from importlib import import_module

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error

from shared.clock import FixedClock
from shared.config import Settings

ADMIN = {"Authorization": "Bearer tok-admin"}
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
CLOCK = FixedClock(datetime(2026, 11, 29, 2, tzinfo=UTC))
BUDGET = hypothesis.settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)


def served(infra, service: str):
    name = f"fz{uuid.uuid4().hex[:8]}"
    settings = Settings(
        service=name,
        kafka_bootstrap=infra.broker.bootstrap,
        mongo_url=infra.stores["intake"],
        mongo_db=f"test_{name}",
        tokens="tok-admin:root:district_admin",
    )
    wired = import_module(f"services.{service}.bootstrap").bootstrap(settings, CLOCK)
    if service == "intake":
        from services.intake.domain.district import Community
        from services.intake.service_layer.district import configure_communities

        configure_communities(wired, [Community("c01", "一"), Community("c02", "二")])
    app = import_module(f"services.{service}.entrypoints.app").create_app(wired)
    return wired, schemathesis.openapi.from_wsgi("/openapi.json", app)


@pytest.fixture(params=("intake", "visits", "allowances"))
def api(request, infra):
    wired, schema = served(infra, request.param)
    yield schema
    wired.db.client.drop_database(wired.db.name)


def test_no_generated_request_gets_a_5xx(api):
    """Each operation in turn (schemathesis' own pytest loader does not run on this pytest)."""
    failures = {}
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) > 15
    for operation, mode in itertools.product(operations, MODES):

        @hypothesis.given(case=operation.as_strategy(mode))
        @BUDGET
        def call(case) -> None:
            case.call_and_validate(headers=ADMIN, checks=[not_a_server_error])

        started = time.monotonic()
        try:
            call()
        except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - reported together
            failures[f"{operation.label} ({mode})"] = str(failure)[-1500:]
        finally:
            print(f"{time.monotonic() - started:6.2f}s {operation.label} {mode}")
    assert failures == {}
