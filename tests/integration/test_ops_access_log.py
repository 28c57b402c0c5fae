"""The operator console's access log, in its file: dead letters read and replayed, refusals,
and a chain that shows a line changed or deleted in the file."""

import json
from dataclasses import replace

import pytest
from factories import registered_event
from staff import add_staff, bearer, serving, staff_headers

from ops.config import ConsoleSettings, ServiceEndpoints
from ops.entrypoints.app import create_app
from ops.service_layer.console import Console
from services.intake.bootstrap import bootstrap as intake_bootstrap
from shared.clock import SystemClock
from shared.consumer import DeadLetters, Received
from shared.events import Topics
from shared.kafka import ensure_topics, make_producer

OPERATOR_TOKEN = "console-operator-token-of-32-characters-or-more"  # fixed
TOKENS = f"{OPERATOR_TOKEN}:op:operator"
STAFF_TOKENS = "admin:admin:district_admin,visitor:visitor:visitor"  # signed in with intake
STAFF = staff_headers(STAFF_TOKENS)
OPERATOR, ADMIN = bearer(OPERATOR_TOKEN), STAFF["admin"]


@pytest.fixture
def console(settings, tmp_path):
    topic = f"eldercare.test.{settings.service}"
    ensure_topics(settings, [topic, Topics.dead_letter(settings.service)])
    producer = make_producer(settings)
    event = registered_event(settings, f"a-{settings.service}")
    received = Received(topic, 0, 0, event.subject.encode(), event.to_json())
    DeadLetters(producer, settings.service, settings.consumer_group).send(received, "a bug")
    producer.close()
    service = ServiceEndpoints(settings.service, "http://127.0.0.1:9", "http://127.0.0.1:9/m")
    intake = intake_bootstrap(settings)
    add_staff(intake, STAFF_TOKENS)
    with serving(intake) as intake_url:
        console_settings = ConsoleSettings(
            settings.kafka_bootstrap,
            services=(service, ServiceEndpoints("intake", intake_url, f"{intake_url}/metrics")),
            tokens=TOKENS,
            secret_key=settings.secret_key,
            access_log=tmp_path / "access-log.jsonl",
            kafka=settings,
        )
        yield Console(console_settings, SystemClock())
    intake.db.client.drop_database(intake.db.name)


def file_lines(console):
    text = console.settings.access_log.read_text()
    return [json.loads(raw) for raw in text.splitlines()]


def test_dead_letters_read_and_replayed_and_refusals_are_in_the_consoles_file(console):
    client = create_app(console).test_client()
    (letter,) = console.dead_letters(console.settings.services[0].name)
    assert client.get(f"/api/dead-letters/{letter.id}", headers=OPERATOR).status_code == 200
    replayed = client.post(f"/api/dead-letters/{letter.id}/replay", headers=OPERATOR)
    assert replayed.status_code == 200
    assert client.get("/api/dead-letters").status_code == 401
    visitor = STAFF["visitor"]
    assert client.get("/api/dead-letters", headers=visitor).status_code == 403
    client.get("/api/overview", headers=OPERATOR)  # masked numbers: no line
    written = [(line["kind"], line["resource"], line["user"]) for line in file_lines(console)]
    assert written == [
        ("dead_letter", letter.id, "op"),
        ("dead_letter_replay", letter.id, "op"),
        ("unauthenticated", "GET /api/dead-letters", None),
        ("forbidden", "GET /api/dead-letters", "visitor"),
    ]
    page = client.get("/access-log?kind=dead_letter", headers=ADMIN).json
    assert [line["resource"] for line in page["items"]] == [letter.id]


def test_the_consoles_chain_shows_a_line_changed_or_deleted_in_the_file(console):
    client = create_app(console).test_client()
    (letter,) = console.dead_letters(console.settings.services[0].name)
    for _ in range(3):
        client.get(f"/api/dead-letters/{letter.id}", headers=OPERATOR)
    intact = client.get("/access-log/verify", headers=ADMIN).json
    assert intact["intact"] and intact["lines"] == 3

    path = console.settings.access_log
    original = path.read_text().splitlines()
    changed = json.loads(original[1]) | {"user": "somebody-else"}
    path.write_text("\n".join([original[0], json.dumps(changed), *original[2:]]) + "\n")
    verdict = client.get("/access-log/verify", headers=ADMIN).json
    assert not verdict["intact"] and verdict["broken_at"] == 2 and "changed" in verdict["problem"]

    path.write_text("\n".join([original[0], *original[2:]]) + "\n")
    verdict = client.get("/access-log/verify", headers=ADMIN).json
    assert not verdict["intact"] and verdict["broken_at"] == 2 and "missing" in verdict["problem"]


def test_a_dead_letter_is_not_shown_when_its_line_cannot_be_written(console, tmp_path):
    blocked = tmp_path / "not-a-file"
    blocked.mkdir()
    settings = replace(console.settings, access_log=blocked)
    client = create_app(Console(settings, SystemClock())).test_client()
    (letter,) = console.dead_letters(console.settings.services[0].name)
    answer = client.get(f"/api/dead-letters/{letter.id}", headers=OPERATOR)
    assert answer.status_code == 503 and "could not be recorded" in answer.json["detail"]
    assert letter.id not in answer.get_data(as_text=True)
    assert client.get("/api/dead-letters").status_code == 401  # a refusal is still answered
