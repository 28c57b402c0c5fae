"""Schemathesis against each service's own OpenAPI description: generated requests, valid and
invalid, as the district administrator, on a real store. No answer may be a 5xx, and every answer
must be one the description promises: its status code, content type, headers and body schema."""

import itertools
import time
import uuid
from datetime import UTC, date, datetime
from importlib import import_module

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from staff import TEST_SECRET_KEY, add_staff, bearer, staff_headers

from devstack.kafka_security import SUPER_USER
from shared.clock import FixedClock
from shared.config import Settings
from shared.events import Topics
from shared.web.problems import PROBLEM_JSON

ROOT = "tok-admin:root:district_admin"
ADMIN = staff_headers(ROOT)["tok-admin"]
CONSOLE_TOKEN = "fuzz-console-token-of-32-characters-or-more"  # the console's operator
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
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
        **infra.broker.client_settings(SUPER_USER),
        mongo_url=infra.stores["intake"],
        mongo_db=f"test_{name}",
        secret_key=TEST_SECRET_KEY,
    )
    if service == "ops":
        return console(settings)
    wired = import_module(f"services.{service}.bootstrap").bootstrap(settings, CLOCK)
    add_staff(wired, ROOT)
    app = import_module(f"services.{service}.entrypoints.app").create_app(wired)
    seeds = SEEDERS[service](wired, app.test_client())
    return wired.db, schemathesis.openapi.from_wsgi("/openapi.json", app), seeds


def console(settings: Settings):
    """The operator console watching a service of its own, with a dead letter to look at."""
    from ops.config import ConsoleSettings, ServiceEndpoints
    from ops.entrypoints.app import create_app
    from ops.service_layer.console import Console
    from shared.consumer import DeadLetters, Received
    from shared.kafka import ensure_topics, make_producer

    ensure_topics(settings, [Topics.dead_letter(settings.service)])
    producer = make_producer(settings)
    poison = Received(Topics.ELDERS, 0, 7, b"e-1", b'{"specversion": "1.0", "type": "x"}')
    DeadLetters(producer, settings.service, settings.consumer_group).send(poison, "unknown type")
    producer.close()
    endpoints = ServiceEndpoints(settings.service, "http://127.0.0.1:9", "http://127.0.0.1:9/m")
    watching = ConsoleSettings(
        settings.kafka_bootstrap,
        services=(endpoints,),
        tokens=f"{CONSOLE_TOKEN}:root:operator",
        kafka=settings,
    )
    ops = Console(watching, FixedClock(CLOCK.now()))
    letters = [letter.id for letter in ops.dead_letters(settings.service, None)]
    assert letters, "the dead letter was not read back"
    app = create_app(ops)
    return None, schemathesis.openapi.from_wsgi("/openapi.json", app), {"dead_letter_id": letters}


def created(response, key: str) -> str:
    assert response.status_code in (200, 201), response.json
    return response.json[key]


def seed_intake(intake, client) -> dict[str, list[str]]:
    """Elders with and without the optional parts (contact, card, assessment, members), and a
    volunteer."""
    from services.intake.domain.district import Community
    from services.intake.service_layer.district import configure_communities

    configure_communities(intake, [Community("c01", "一"), Community("c02", "二")])
    bare = {"name": "王秀英", "sex": "female", "birth_date": "1944-03-07", "community": "c01"}
    full = {
        "name": "李建国",
        "sex": "male",
        "birth_date": "1938-05-01",
        "community": "c02",
        "phone": "13800138000",
        "emergency_contact": {"name": "李明", "phone": "13900139000", "relation": "son"},
        "household_members": [{"name": "张兰", "relation": "spouse"}],
        "circumstances": {"household_type": "empty_nest", "low_income": True},
    }
    ids = [
        created(
            client.post(
                "/elders",
                json={**body, "national_id": number, "address": f"一路{number[-6:]}号"},
                headers=ADMIN,
            ),
            "elder_id",
        )
        for body, number in ((bare, "110105194403070021"), (full, "110105193805010019"))
    ]
    assessment = {
        "version": 1,
        "scale": "barthel",
        "score": 40,
        "assessor": "周医生",
        "assessed_on": "2026-11-01",
    }
    created(
        client.post(f"/elders/{ids[1]}/assessments", json=assessment, headers=ADMIN), "elder_id"
    )
    created(client.post(f"/elders/{ids[1]}/card", json={"version": 2}, headers=ADMIN), "elder_id")
    volunteer = {"name": "赵强", "community": "c01", "phone": "13700137000", "skills": ["法律"]}
    created(client.post("/volunteers", json=volunteer, headers=ADMIN), "volunteer_id")
    return {"elder_id": ids}


def seed_visits(visits, client) -> dict[str, list[str]]:
    """Elders in the projection, an obligation, a visit that meets it and a help request."""
    from test_visits_support import elder_event, handle

    for elder_id in ("e-1", "e-2"):
        handle(visits, elder_event(visits, "elder.registered", elder_id, community="c01"))
    at = CLOCK.now().isoformat()
    report = {"elder_id": "e-1", "trigger": "hospitalised", "occurred_at": at}
    obligation = created(client.post("/obligations", json=report, headers=ADMIN), "obligation_id")
    visit = {"elder_id": "e-1", "visited_at": at, "kind": "home", "meets": [obligation]}
    help_request = {"elder_id": "e-2", "channel": "hotline", "description": "需要买药"}
    return {
        "elder_id": ["e-1", "e-2"],
        "obligation_id": [obligation],
        "visit_id": [created(client.post("/visits", json=visit, headers=ADMIN), "visit_id")],
        "request_id": [
            created(client.post("/help-requests", json=help_request, headers=ADMIN), "request_id")
        ],
    }


def seed_allowances(allowances, client) -> dict[str, list[str]]:
    """Elders of 80 and over in the projection, and an open monthly cycle."""
    from test_allowances_api import feed

    feed(allowances, elder_id="e-1", birth_date=date(1938, 5, 1))
    feed(allowances, elder_id="e-2", birth_date=date(1925, 1, 9))
    cycle = {"programme": "high_age", "month": "2026-11"}
    return {
        "elder_id": ["e-1", "e-2"],
        "cycle_id": [created(client.post("/cycles", json=cycle, headers=ADMIN), "cycle_id")],
        "month": ["2026-11"],
    }


SEEDERS = {"intake": seed_intake, "visits": seed_visits, "allowances": seed_allowances}


@pytest.fixture(params=("intake", "visits", "allowances", "ops"))
def api(request, infra):
    db, schema, seeds = served(infra, request.param)
    yield schema, seeds, bearer(CONSOLE_TOKEN) if request.param == "ops" else ADMIN
    if db is not None:
        db.client.drop_database(db.name)


def on_seeds(case, seeds: dict[str, list[str]], draw: int) -> None:
    """Valid requests name seeded records in their paths, so that answers carry real data."""
    for name in case.path_parameters or {}:
        if name in seeds:
            case.path_parameters[name] = seeds[name][draw % len(seeds[name])]


def errors_not_described_as_problems(document: dict) -> list[str]:
    """Operations whose errors a client could not parse as the problem+json they are."""
    found = []
    shared = document["components"].get("responses", {})
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            expected = {"default"} | ({"401", "403"} if operation.get("x-roles") else set())
            found += [f"{method} {path}: no {code}" for code in sorted(expected - set(responses))]
            for code, response in responses.items():
                if code == "default" or code[0] in "45":
                    response = shared.get(response.get("$ref", "").rsplit("/", 1)[-1], response)
                    if set(response.get("content", {})) != {PROBLEM_JSON}:
                        found.append(f"{method} {path}: {code} is not {PROBLEM_JSON}")
    return found


def test_every_generated_request_gets_a_documented_answer(api):
    """Each operation in turn (schemathesis' own pytest loader does not run on this pytest),
    after the description itself says how each one fails."""
    api, seeds, headers = api
    assert errors_not_described_as_problems(api.raw_schema) == []
    failures = {}
    draws = itertools.count()
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 10
    for operation, mode in itertools.product(operations, MODES):
        seeded = mode == schemathesis.GenerationMode.POSITIVE

        @hypothesis.given(case=operation.as_strategy(mode))
        @BUDGET
        def call(case) -> None:
            if seeded:  # noqa: B023 - called within this iteration
                on_seeds(case, seeds, next(draws))
            case.call_and_validate(headers=headers, checks=CHECKS)

        started = time.monotonic()
        try:
            call()
        except hypothesis.errors.Unsatisfiable:
            assert not seeded, f"no valid request for {operation.label}"
            # nothing to get wrong: no parameters and no body (the console's page)
        except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - reported together
            failures[f"{operation.label} ({mode})"] = str(failure)[-1500:]
        finally:
            print(f"{time.monotonic() - started:6.2f}s {operation.label} {mode}")
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
