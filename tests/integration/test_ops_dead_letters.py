"""Dead letters through the console, with a real consumer keeping a real projection: listed
with reason and origin, replayed after a fix and applied once, refused a second replay,
replayed in bulk, discarded, and remembered by a restarted console."""

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from factories import registered_event
from kafka import KafkaProducer
from staff import add_staff, bearer, serving, signed_tokens

from devstack.kafka_security import SUPER_USER
from ops.config import ConsoleSettings, ServiceEndpoints
from ops.domain.dead_letters import State
from ops.service_layer.console import Console
from services.intake.bootstrap import bootstrap as intake_bootstrap
from shared.clock import SystemClock
from shared.consumer import DeadLetters, consumer_loop
from shared.errors import Conflict
from shared.events import Topics
from shared.kafka import client_options, ensure_topics, make_producer
from shared.mongo import connect
from shared.projection import Projection

REPO = Path(__file__).resolve().parents[2]
OPERATOR_TOKEN = "console-operator-token-of-32-characters-or-more"  # fixed
ADMIN_TOKENS = "adm:zhou:district_admin"  # signed in with intake


@dataclass(frozen=True)
class ProjectedElder:
    elder_id: str
    name: str
    birth_date: date
    version: int


@pytest.fixture
def db(settings):
    database = connect(settings)
    yield database
    database.client.drop_database(database.name)


def consume(loop, count, timeout=60):
    outcomes = []
    deadline = time.monotonic() + timeout
    while len(outcomes) < count and time.monotonic() < deadline:
        outcomes += [outcome for _, outcome in loop.run_once(timeout_ms=200)]
    return outcomes


def test_a_dead_letter_replayed_after_a_fix_is_applied_once(settings, db, tmp_path, infra):
    topic = f"eldercare.test.{settings.service}"
    ensure_topics(settings, [topic, Topics.dead_letter(settings.service)])
    elders = Projection(db, "elders", ProjectedElder)
    bug = threading.Event()
    bug.set()

    def on_registered(event, data):
        if bug.is_set():
            raise RuntimeError("allowances cannot read this elder yet")
        return elders.apply(data["elder_id"], data["version"], event.id, data)

    producer = make_producer(settings)
    loop = consumer_loop(
        settings,
        {"elder.registered": on_registered},
        producer,
        threading.Event(),
        [topic],
        retries=1,
        backoff_seconds=0.01,
    )

    first = registered_event(settings, f"a-{settings.service}")
    second = registered_event(settings, f"b-{settings.service}")
    outside = KafkaProducer(**client_options(settings), acks="all")
    sent = {
        name: outside.send(topic, key=key, value=value).get(10)
        for name, key, value in [
            ("first", first.subject.encode(), first.to_json()),
            ("second", second.subject.encode(), second.to_json()),
            ("junk", b"junk", b"\x00garbage"),
        ]
    }
    outside.close()
    assert consume(loop, 3) == ["dead-lettered"] * 3

    service = ServiceEndpoints(settings.service, "http://127.0.0.1:9", "http://127.0.0.1:9/m")
    console_settings = ConsoleSettings(
        settings.kafka_bootstrap, kafka=settings, services=(service,)
    )
    console = Console(console_settings, SystemClock())
    letters = {(d.original_partition, d.original_offset): d for d in console.dead_letters()}
    assert len(letters) == 3
    failed, other, junk = (
        letters[(sent[name].partition, sent[name].offset)] for name in ("first", "second", "junk")
    )
    assert failed.reason == "RuntimeError: allowances cannot read this elder yet (after 1 retries)"
    assert failed.origin == f"{topic}:{sent['first'].partition}:{sent['first'].offset}"
    assert failed.consumer_group == settings.consumer_group
    assert failed.value == first.to_json() and failed.key == first.subject.encode()
    assert junk.reason.startswith("not JSON")

    def ops(*args):
        env = {
            **os.environ,
            # as the test's own throwaway service, whose topics only the super user may write
            **infra.broker.client_env(SUPER_USER),
            "OPS_APIS": f"{settings.service}=http://127.0.0.1:9",
            "ELDERCARE_RUN_DIR": str(tmp_path),
        }
        return subprocess.run(
            [sys.executable, "-m", "ops", *args],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )

    listed = ops("dlq", "list", "--service", settings.service)
    assert listed.returncode == 0, listed.stderr
    row = next(line for line in listed.stdout.splitlines() if line.startswith(failed.id))
    assert row.split()[1:2] == ["open"]
    assert failed.origin in row and "elder.registered" in row and "RuntimeError" in row
    assert "3 dead letters (open)" in listed.stdout
    shown = ops("dlq", "show", junk.id)
    assert shown.returncode == 0, shown.stderr
    assert "reason:" in shown.stdout and "not JSON" in shown.stdout
    assert "b'\\x00garbage'" in shown.stdout  # the original bytes, shown safely

    bug.clear()  # the fix is deployed

    replayed = ops("dlq", "replay", failed.id, "--by", "wang")
    assert replayed.returncode == 0, replayed.stderr
    assert f"{failed.id}: replayed to {topic}:{sent['first'].partition}:" in replayed.stdout
    assert consume(loop, 1) == ["applied"]
    stored = db["elders"].find_one({"_id": first.subject})
    assert stored["version"] == 1 and stored["last_event_id"] == first.id

    again = ops("dlq", "replay", failed.id)
    assert again.returncode == 1
    assert "already replayed by wang" in again.stdout

    # Had two consoles raced and both sent it, the consumer would still apply it once.
    console.dead_letter_topics.republish(failed)
    assert consume(loop, 1) == ["duplicate"]

    # In bulk, after the fix: every open one whose reason matches (not the junk, nor the done).
    bulk = ops(
        "dlq", "replay", "--all", "--service", settings.service, "--reason", "runtimeerror",
        "--by", "zhao",
    )  # fmt: skip
    assert bulk.returncode == 0, bulk.stderr
    [line] = bulk.stdout.splitlines()
    assert line.startswith(f"{other.id}: replayed to {topic}:{sent['second'].partition}:")
    assert consume(loop, 1) == ["applied"]
    assert db["elders"].count_documents({}) == 2
    assert elders.get(first.subject).version == 1

    console.discard(junk.id, "li", note="test garbage")
    assert console.dead_letters() == []

    # Decisions live in Kafka: a console started afresh knows them.
    restarted = Console(console_settings, SystemClock())
    decided = {d.id: (d.state, d.resolution.by) for d in restarted.dead_letters(state=None)}
    assert decided == {
        failed.id: (State.REPLAYED, "wang"),
        other.id: (State.REPLAYED, "zhao"),
        junk.id: (State.DISCARDED, "li"),
    }
    with pytest.raises(Conflict, match="already discarded by li"):
        restarted.replay(junk.id, "wang")
    assert restarted.replay_all("wang", settings.service) == []

    loop.consumer.close()
    producer.close()


@pytest.fixture
def intake_url(settings):
    """Intake, where the console confirms the administrator's signed token."""
    intake = intake_bootstrap(settings)
    add_staff(intake, ADMIN_TOKENS)
    with serving(intake) as url:
        yield url
    intake.db.client.drop_database(intake.db.name)


def test_dead_letters_show_id_numbers_and_phones_masked_unless_the_administrator_asks(
    settings, capsys, intake_url
):
    from ops.entrypoints.app import create_app
    from ops.entrypoints.cli import main
    from shared.consumer import Received

    ensure_topics(settings, [Topics.dead_letter(settings.service)])
    number, phone = "110105194403070021", "13812345678"
    envelope = {
        "specversion": "1.0",
        "type": "hospital.admitted",
        "subject": number,
        "data": {"national_id": number, "note": f"call {phone}"},
    }
    value = json.dumps(envelope).encode()
    producer = make_producer(settings)
    DeadLetters(producer, settings.service, settings.consumer_group).send(
        Received(Topics.INBOUND, 0, 7, number.encode(), value),
        f"national_id: {number} is not registered",
    )
    producer.close()
    service = ServiceEndpoints(settings.service, "http://127.0.0.1:9", "http://127.0.0.1:9/m")
    console = Console(
        ConsoleSettings(
            settings.kafka_bootstrap,
            kafka=settings,
            services=(service, ServiceEndpoints("intake", intake_url, f"{intake_url}/metrics")),
            tokens=f"{OPERATOR_TOKEN}:wang:operator",
            secret_key=settings.secret_key,
        ),
        SystemClock(),
    )
    client = create_app(console).test_client()
    tokens = {"op": OPERATOR_TOKEN, **signed_tokens(ADMIN_TOKENS)}
    masked_number, masked_phone = "110105********0021", "138****5678"

    def read(token, path):
        return client.get(path, headers=bearer(tokens[token])).get_data(True)

    listed = read("op", f"/api/dead-letters?service={settings.service}")
    (letter,) = json.loads(listed)
    one = read("op", f"/api/dead-letters/{letter['id']}")
    for text in (listed, one, read("op", "/api/overview")):
        assert number not in text and phone not in text
    assert masked_number in one and masked_phone in one
    assert letter["reason"] == f"national_id: {masked_number} is not registered"
    assert letter["event"]["subject"] == masked_number
    assert number in read("adm", f"/api/dead-letters/{letter['id']}")

    assert main(["dlq", "show", letter["id"]], console) == 0
    shown = capsys.readouterr().out
    assert number not in shown and phone not in shown and masked_number in shown
    assert main(["dlq", "list", "--service", settings.service, "--json"], console) == 0
    assert number not in capsys.readouterr().out
    assert main(["dlq", "show", letter["id"], "--unmasked"], console) == 0
    assert number in capsys.readouterr().out
