"""Events from other systems, published the way an outside system would, through intake."""

import json
import os
import subprocess
import sys
import time
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from kafka import KafkaProducer
from staff import add_staff, bearer, staff_headers

from services.intake.bootstrap import bootstrap, worker
from services.intake.domain.district import Community
from services.intake.domain.elder import Registration
from services.intake.domain.national_id import check_character
from services.intake.entrypoints.app import create_app
from services.intake.service_layer import inbound
from services.intake.service_layer.district import configure_communities
from services.intake.service_layer.registration import register_elder
from shared.audit import Actor
from shared.clock import FixedClock
from shared.events import Topics, decode, event_type
from shared.kafka import ensure_topics, make_producer
from shared.outbox import OutboxRelay

NOW = datetime(2026, 11, 29, 2, tzinfo=UTC)
STAFF_TOKENS = "clerk:clerk:intake_clerk"
CLERK = staff_headers(STAFF_TOKENS)["clerk"]
HOSPITAL_TOKEN = "hospital-system-token-of-32-characters-or-more"  # another system's, fixed
TOKENS = f"{HOSPITAL_TOKEN}:hospital:integration"
HOSPITAL = bearer(HOSPITAL_TOKEN)


def national_id(born: date, sequence: int) -> str:
    first17 = f"330281{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def envelope(settings, type_, data, *, district=None, source="urn:hospital:ningbo-no2"):
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": source,
        "type": type_,
        "time": NOW.isoformat(),
        "subject": data.get("reference", "x"),
        "district": district or settings.district,
        "schemaversion": 1,
        "data": data,
    }


def report(nid, reference, **extra):
    return {"national_id": nid, "reference": reference, "occurred_at": NOW.isoformat(), **extra}


@pytest.fixture
def intake(settings):
    service = bootstrap(replace(settings, tokens=TOKENS), FixedClock(NOW))
    configure_communities(service, [Community("c01", "一"), Community("c02", "二")])
    add_staff(service, STAFF_TOKENS)
    ensure_topics(
        service.settings,
        [Topics.INBOUND, Topics.INCIDENTS, Topics.dead_letter(service.settings.service)],
    )
    yield service
    service.db.client.drop_database(service.db.name)


def register(intake, born, sequence):
    return register_elder(
        intake,
        Registration(
            national_id=national_id(born, sequence),
            name="陈阿婆",
            sex="female",
            birth_date=born,
            community="c01",
            address="一号",
        ),
        Actor("clerk", "test"),
    )


def consume(intake, keys, count, timeout=60):
    """Run intake's own consumer until `count` messages keyed by one of `keys` are handled."""
    producer = make_producer(intake.settings)
    loop = worker(intake).consumer(producer, [Topics.INBOUND], retries=1, backoff_seconds=0.01)
    outcomes = []
    deadline = time.monotonic() + timeout
    while len(outcomes) < count and time.monotonic() < deadline:
        outcomes += [(m, o) for m, o in loop.run_once(timeout_ms=200) if m.key in keys]
    loop.consumer.close()
    producer.close()
    return outcomes


def test_garbage_is_dead_lettered_while_valid_events_flow(intake, settings, topic_reader, kafka_as):
    elder = register(intake, date(1940, 4, 4), 2)
    known = elder.national_id
    stranger = national_id(date(1938, 8, 8), 4)
    tag = uuid.uuid4().hex[:8]
    messages = [
        (b"{not json", "not JSON"),
        (json.dumps({"hello": "world"}).encode(), "invalid envelope"),
        (
            json.dumps(envelope(settings, "hospital.teleported", report(known, "r0"))).encode(),
            "unknown event type",
        ),
        (
            json.dumps(envelope(settings, "hospital.admitted", {"reference": "r1"})).encode(),
            "national_id",
        ),
        (
            json.dumps(
                envelope(
                    settings,
                    "hospital.admitted",
                    report(known, "r2", hospital="h"),
                    district="other",
                )
            ).encode(),
            "district 'other'",
        ),
        (
            json.dumps(
                envelope(settings, "worries.reported", report(known, "r3", note="x" * 70_000))
            ).encode(),
            "bytes",
        ),
        (
            json.dumps(
                envelope(
                    settings,
                    "hospital.admitted",
                    report(known[:17] + ("1" if known[17] != "1" else "2"), "r4", hospital="h"),
                )
            ).encode(),
            "check character",
        ),
    ]
    admitted = envelope(
        settings, "hospital.admitted", report(known, f"adm-{tag}", hospital="宁波二院")
    )
    resent = {**admitted, "id": str(uuid.uuid4())}  # the same report, sent again
    valid = [
        admitted,
        resent,
        envelope(
            settings,
            "hotline.called",
            report(known, f"call-{tag}", urgency="urgent"),
            source="urn:hotline:12345",
        ),
        envelope(
            settings,
            "residence.changed",
            report(known, f"move-{tag}", moved_on="2026-11-20", to_community="c02"),
            source="urn:household-registration",
        ),
        envelope(
            settings,
            "death.registered",
            report(stranger, f"death-{tag}", died_on="2026-11-25"),
            source="urn:death-registry",
        ),
    ]
    key = f"inbound-{tag}".encode()
    producer = KafkaProducer(**kafka_as("outside"), acks="all")
    sent = [producer.send(Topics.INBOUND, key=key, value=raw).get(10) for raw, _ in messages]
    for event in valid:
        producer.send(Topics.INBOUND, key=key, value=json.dumps(event).encode()).get(10)
    producer.close()

    outcomes = [o for _, o in consume(intake, {key}, len(messages) + len(valid))]
    assert outcomes == ["dead-lettered"] * len(messages) + [
        "applied",
        "duplicate",
        "applied",
        "applied",
        "applied",
    ]

    # The consumer reads the whole inbound topic, other tests' messages too: where a message
    # sat is its partition and offset.
    dead = {
        (
            int(dict(r.headers)["dlq.original.partition"]),
            int(dict(r.headers)["dlq.original.offset"]),
        ): dict(r.headers)["dlq.reason"].decode()
        for r in topic_reader(Topics.dead_letter(intake.settings.service))
    }
    for record, (_, reason) in zip(sent, messages, strict=True):
        assert reason in dead[(record.partition, record.offset)]

    client = create_app(intake).test_client()
    receipts = client.get(f"/inbound/receipts?elder_id={elder.elder_id}", headers=CLERK).json
    outcomes_by_type = {r["type"]: r["outcome"] for r in receipts["items"]}
    assert outcomes_by_type == {
        "hospital.admitted": "incident reported: hospitalised",
        "hotline.called": "help requested",
        "residence.changed": "moved to c02",
    }
    assert intake.elders.get(elder.elder_id).community == "c02"

    # Other tests publish to the same inbound topic: only this test's death report counts.
    everything_parked = client.get("/inbound/receipts?status=parked&page_size=100", headers=CLERK)
    parked = [r for r in everything_parked.json["items"] if r["event_id"] == valid[-1]["id"]]
    assert len(parked) == 1
    assert parked[0]["national_id"] == f"{stranger[:6]}********{stranger[-4:]}"

    # Staff register the unknown elder, then match the parked death: it is applied once.
    newcomer = register(intake, date(1938, 8, 8), 4)
    path = f"/inbound/receipts/{parked[0]['key']}"
    matched = client.post(f"{path}/match", json={}, headers=CLERK)
    assert matched.status_code == 200, matched.json
    assert matched.json["status"] == "matched"
    assert intake.elders.get(newcomer.elder_id).status == "deceased"
    assert client.post(f"{path}/match", json={}, headers=CLERK).status_code == 409

    # The relay publishes what the receipts caused, keyed by the elder.
    relay = OutboxRelay(
        intake.settings.service, intake.db, ["inbound"], make_producer(intake.settings)
    )
    assert relay.run_once() == 2
    published = [
        json.loads(r.value)
        for r in topic_reader(Topics.INCIDENTS)
        if r.key == elder.elder_id.encode()
    ]
    kinds = {e["type"]: e["data"] for e in published}
    assert kinds["incident.reported"]["trigger"] == "hospitalised"
    assert kinds["help.requested"]["urgency"] == "urgent"
    assert all(known not in json.dumps(e) for e in published)


def test_systems_without_kafka_send_over_http_with_the_same_checks(intake, settings, topic_reader):
    client = create_app(intake).test_client()
    hospital = HOSPITAL
    nid = national_id(date(1941, 1, 1), 6)
    event = envelope(settings, "hospital.admitted", report(nid, "h-1", hospital="h"))
    accepted = client.post("/inbound", json=event, headers=hospital)
    assert accepted.status_code == 202
    assert accepted.json == {"accepted": event["id"], "topic": Topics.INBOUND}
    assert client.post("/inbound", json=event, headers=hospital).status_code == 202
    assert intake.db["inbound_http"].count_documents({}) == 1
    relay = OutboxRelay(
        intake.settings.service, intake.db, ["inbound_http"], make_producer(intake.settings)
    )
    assert relay.run_once() == 1
    on_topic = [r for r in topic_reader(Topics.INBOUND) if b'"h-1"' in (r.value or b"")]
    assert [json.loads(r.value)["id"] for r in on_topic] == [event["id"]]

    bad = {**event, "id": "2", "data": {**event["data"], "national_id": nid[:17] + "0"}}
    if bad["data"]["national_id"] == nid:
        bad["data"]["national_id"] = nid[:17] + "1"
    refused = client.post("/inbound", json=bad, headers=hospital)
    assert refused.status_code == 422 and "check character" in refused.json["detail"]
    internal = envelope(settings, "elder.registered", {"elder_id": "x"})
    assert client.post("/inbound", json=internal, headers=hospital).status_code == 422
    assert client.post("/inbound", json=event, headers=CLERK).status_code == 403


def test_the_documented_example_publisher_works(intake, settings, infra):
    elder = register(intake, date(1939, 3, 3), 8)
    reference = f"ADM-{uuid.uuid4().hex[:8]}"
    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "publish_event.py"
    published = subprocess.run(
        [
            sys.executable,
            str(example),
            "--bootstrap",
            settings.kafka_bootstrap,
            "--district",
            settings.district,
            "--national-id",
            elder.national_id,
            "--reference",
            reference,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**os.environ, **infra.broker.client_env("outside")},  # signs in as an outside system
    )
    assert "sent" in published.stdout
    assert [o for _, o in consume(intake, {reference.encode()}, 1)] == ["applied"]
    receipts, total = intake.inbound.find({"elder_id": elder.elder_id}, [("_id", 1)], 0, 10)
    assert total == 1 and receipts[0].outcome == "incident reported: hospitalised"


def test_a_publisher_using_the_official_cloudevents_sdk_is_understood(intake, settings, kafka_as):
    """Written as another system would, with the CloudEvents SDK and only the attributes the
    specification requires: no subject, our extensions added, structured mode on Kafka."""
    from cloudevents.core.bindings import kafka as ce_kafka
    from cloudevents.core.v1.event import CloudEvent

    elder = register(intake, date(1937, 6, 6), 12)
    reference = f"SDK-{uuid.uuid4().hex[:8]}"
    attributes = {
        "type": "hospital.admitted",
        "source": "urn:hospital:sdk-general",
        "district": settings.district,
    }
    data = report(elder.national_id, reference, hospital="城东医院")
    first = CloudEvent(attributes, data)
    again = CloudEvent(attributes, data)  # the same report, sent again with a new id
    assert first.get_subject() is None
    producer = KafkaProducer(**kafka_as("outside"), acks="all")
    for event in (first, again):
        message = ce_kafka.to_structured_event(event)
        headers = list(message.headers.items())
        producer.send(
            Topics.INBOUND, key=reference.encode(), value=message.value, headers=headers
        ).get(10)
    producer.close()

    assert [o for _, o in consume(intake, {reference.encode()}, 2)] == ["applied", "duplicate"]
    receipts, total = intake.inbound.find({"elder_id": elder.elder_id}, [("_id", 1)], 0, 10)
    assert total == 1 and receipts[0].outcome == "incident reported: hospitalised"


@pytest.mark.parametrize("mode", ["structured", "binary"])
def test_the_cloudevents_sdk_can_send_over_http_in_either_mode(intake, settings, mode):
    from cloudevents.core.bindings import http as ce_http
    from cloudevents.core.v1.event import CloudEvent

    client = create_app(intake).test_client()
    nid = national_id(date(1936, 2, 2), 14)
    attributes = {
        "type": "worries.reported",
        "source": "urn:hotline:sdk",
        "district": settings.district,
        "datacontenttype": "application/json",
    }
    event = CloudEvent(attributes, report(nid, f"w-{mode}", note="想念女儿"))
    encode = ce_http.to_structured_event if mode == "structured" else ce_http.to_binary_event
    message = encode(event)
    headers = {**message.headers, **HOSPITAL}
    accepted = client.post("/inbound", data=message.body, headers=headers)
    assert accepted.status_code == 202, accepted.json
    assert accepted.json["accepted"] == event.get_id()
    stored = intake.db["inbound_http"].find_one({"_id": event.get_id()})
    assert stored is not None

    broken = ce_http.to_binary_event(CloudEvent({**attributes, "district": "elsewhere"}, {}))
    refused = client.post("/inbound", data=broken.body, headers={**broken.headers, **HOSPITAL})
    assert refused.status_code == 422 and "elsewhere" in refused.json["detail"]


def test_a_move_reported_within_the_same_community_records_the_new_address(
    intake, settings, kafka_as
):
    elder = register(intake, date(1935, 5, 5), 16)
    reference = f"move-{uuid.uuid4().hex[:8]}"
    data = report(
        elder.national_id, reference, moved_on="2026-11-20", to_community="c01", address="二号"
    )
    event = envelope(settings, "residence.changed", data, source="urn:household-registration")
    producer = KafkaProducer(**kafka_as("outside"), acks="all")
    producer.send(Topics.INBOUND, key=reference.encode(), value=json.dumps(event).encode()).get(10)
    producer.close()

    assert [o for _, o in consume(intake, {reference.encode()}, 1)] == ["applied"]
    receipts, _ = intake.inbound.find({"elder_id": elder.elder_id}, [("_id", 1)], 0, 10)
    assert receipts[0].outcome == "moved within c01"
    moved = intake.elders.get(elder.elder_id)
    assert (moved.community, moved.address, moved.version) == ("c01", "二号", 2)
    document = intake.db["elders"].find_one({"_id": elder.elder_id})
    waiting = [json.loads(e["value"])["type"] for e in document["_outbox"]]
    assert waiting[-2:] == ["elder.moved", "elder.contact_changed"]


def test_a_parked_event_is_listed_and_read_with_its_reference(intake, settings):
    stranger = national_id(date(1937, 7, 7), 18)
    reference = f"adm-{uuid.uuid4().hex[:8]}"
    raw = envelope(settings, "hospital.admitted", report(stranger, reference, hospital="二院"))
    event = decode(json.dumps(raw).encode())
    assert inbound.receive(intake, event, event_type(event.type).load(event))

    client = create_app(intake).test_client()
    parked = client.get("/inbound/receipts?status=parked&page_size=100", headers=CLERK).json
    listed = [r for r in parked["items"] if r["reference"] == reference]
    assert len(listed) == 1 and listed[0]["source"] == "urn:hospital:ningbo-no2"
    one = client.get(f"/inbound/receipts/{listed[0]['key']}", headers=CLERK)
    assert one.status_code == 200
    assert (one.json["reference"], one.json["status"]) == (reference, "parked")
    assert one.json["national_id"] == f"{stranger[:6]}********{stranger[-4:]}"
    assert client.get("/inbound/receipts/nothing", headers=CLERK).status_code == 404
