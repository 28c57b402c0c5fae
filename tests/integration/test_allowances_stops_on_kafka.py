"""Deaths and moves arriving from intake through Kafka stop payment from the right month; months
already paid after a death become an exact overpayment: a receivable, never a negative line of
the next cycle, settled by hand with four eyes; the resulting events reach the allowances topic
through the outbox."""

import json
import time
import uuid
from datetime import UTC, date, datetime

from kafka import KafkaProducer
from test_allowances_api import (  # noqa: F401
    APPROVER,
    OFFICER,
    advance,
    client,
    elder_event,
    line_of,
    opened,
    service,
    with_account,
)

from services.allowances.bootstrap import bootstrap, worker
from services.allowances.entrypoints.app import create_app
from shared.clock import FixedClock
from shared.events import Topics
from shared.kafka import client_options, ensure_topics, make_producer
from shared.outbox import OutboxRelay


def consume(loop, keys, count, timeout=60):
    """Outcomes per key (each elder's events keep their order), once `count` are processed."""
    outcomes = {key.decode(): [] for key in keys}
    deadline = time.monotonic() + timeout
    while sum(map(len, outcomes.values())) < count and time.monotonic() < deadline:
        for message, outcome in loop.run_once(timeout_ms=200):
            if message.key in keys:
                outcomes[message.key.decode()].append(outcome)
    return outcomes


def test_a_death_after_paid_months_is_an_exact_receivable_settled_by_hand(
    client,  # noqa: F811
    service,  # noqa: F811
    topic_reader,
):
    settings = service.settings
    # intake's events, on a topic of this test's own: the shared elders topic holds every other
    # test's elders, which a new consumer group would read first
    elders_topic = f"eldercare.test.elders.{settings.service}"
    ensure_topics(settings, [elders_topic, Topics.ALLOWANCES, Topics.dead_letter(settings.service)])
    suffix = uuid.uuid4().hex[:8]
    dies, leaves = f"dies-{suffix}", f"leaves-{suffix}"
    keys = {dies.encode(), leaves.encode()}
    producer = KafkaProducer(**client_options(settings), acks="all")

    def publish(*events):
        for event in events:
            producer.send(elders_topic, key=event.subject.encode(), value=event.to_json()).get(10)

    own_producer = make_producer(settings)
    loop = worker(service).consumer(own_producer, [elders_topic], retries=1, backoff_seconds=0.01)
    try:
        publish(
            elder_event(service, "elder.registered", dies, birth_date=date(1940, 2, 2)),
            elder_event(
                service, "elder.registered", leaves, birth_date=date(1936, 9, 15)
            ),  # 90-99 from October
        )
        assert consume(loop, keys, 2) == {dies: ["applied"], leaves: ["applied"]}
        with_account(client, dies, leaves)

        advance(client, opened(client, month="2026-09")["cycle_id"], paid_on="2026-09-10")
        service.clock.move_to(datetime(2026, 10, 10, 2, tzinfo=UTC))
        advance(client, opened(client, month="2026-10")["cycle_id"], paid_on="2026-10-10")

        # Reported late: the death on 3 September, after October was paid; a move out on
        # 15 October (October is still payable under the district's default rule).
        service.clock.move_to(datetime(2026, 10, 20, 2, tzinfo=UTC))
        death = elder_event(
            service,
            "elder.deceased",
            dies,
            2,
            birth_date=date(1940, 2, 2),
            status="deceased",
            died_on=date(2026, 9, 3),
        )
        move = elder_event(
            service,
            "elder.moved_out",
            leaves,
            2,
            birth_date=date(1936, 9, 15),
            status="moved_out",
            moved_out_on=date(2026, 10, 15),
        )
        publish(death, death, move)  # the death delivered twice
        assert consume(loop, keys, 3) == {dies: ["applied", "duplicate"], leaves: ["applied"]}
    finally:
        loop.consumer.close()
        producer.close()

    overpaid = client.get(f"/overpayments?elder_id={dies}", headers=OFFICER).json["items"]
    assert [(o["cycle_id"], o["months"], o["amount_fen"], o["status"]) for o in overpaid] == [
        ("high_age:2026-10", ["2026-10"], 10_000, "open")
    ]
    assert overpaid[0]["detail"] == "died on 2026-09-03; payable through 2026-09"
    assert client.get(f"/overpayments?elder_id={leaves}", headers=OFFICER).json["total"] == 0
    standing = {
        e["programme"]: e
        for e in client.get(f"/elders/{leaves}/statement", headers=OFFICER).json["entitlements"]
    }
    assert (standing["high_age"]["status"], standing["high_age"]["as_of"]) == (
        "suspended",
        "2026-11",
    )

    service.clock.move_to(datetime(2026, 11, 10, 2, tzinfo=UTC))
    november = opened(client, month="2026-11")
    nothing = line_of(client, "high_age:2026-11", dies)
    assert (nothing["eligible"], nothing["reason"], nothing["amount_fen"], nothing["items"]) == (
        False,
        "deceased",
        0,
        [],
    )
    gone = line_of(client, "high_age:2026-11", leaves)
    assert (gone["reason"], gone["items"]) == ("moved_out", [])
    assert november["totals"]["to_recover_fen"] == 0 and november["totals"]["debtors"] == 0

    advance(client, november["cycle_id"], paid_on="2026-11-10")
    overpayment_id = overpaid[0]["overpayment_id"]
    still = client.get(f"/overpayments/{overpayment_id}", headers=OFFICER).json
    assert still["status"] == "open"  # paying a cycle collects nothing from the estate
    receipt = {"outcome": "recovered", "receipt": "财政收据 No.0042", "received_on": "2026-11-09"}
    proposed = client.post(
        f"/overpayments/{overpayment_id}/resolution", json=receipt, headers=OFFICER
    )
    assert proposed.status_code == 200 and proposed.json["status"] == "proposed"
    approved = client.post(
        f"/overpayments/{overpayment_id}/resolution/approve", json={}, headers=APPROVER
    )
    assert approved.status_code == 200, approved.json
    assert (approved.json["status"], approved.json["decided_by"]) == ("recovered", "approver")

    relay = OutboxRelay(
        settings.service, service.db, worker(service).outbox_collections, own_producer
    )
    while relay.run_once():
        pass
    own_producer.close()
    published = topic_reader(Topics.ALLOWANCES)
    about = {
        key: [json.loads(r.value)["type"] for r in published if r.key == key.encode()]
        for key in (dies, leaves, "high_age:2026-10")
    }
    assert about[dies] == [
        "allowance.granted",
        "allowance.suspended",
        "allowance.overpayment_detected",
        "allowance.overpayment_resolved",
    ]
    assert about[leaves] == ["allowance.granted", "allowance.band_changed", "allowance.suspended"]
    assert about["high_age:2026-10"] == [
        "allowance.cycle_approved",
        "allowance.payment_exported",
    ]
    detected = next(
        json.loads(r.value)
        for r in published
        if r.key == dies.encode() and b"overpayment_detected" in r.value
    )
    assert detected["data"]["amount_fen"] == 10_000 and detected["data"]["months"] == ["2026-10"]
    resolved = next(
        json.loads(r.value)
        for r in published
        if r.key == dies.encode() and b"overpayment_resolved" in r.value
    )
    assert {
        k: resolved["data"][k] for k in ("outcome", "amount_fen", "receipt", "approved_by")
    } == {
        "outcome": "recovered",
        "amount_fen": 10_000,
        "receipt": "财政收据 No.0042",
        "approved_by": "approver",
    }


def test_a_roster_another_api_process_keeps_shows_the_workers_next_batch(service):  # noqa: F811
    """The 90+ roster is kept until an elder is written; the worker moves the elders' stamp once
    per batch, so another process's kept roster gives way straight after the batch."""
    settings = service.settings
    elders_topic = f"eldercare.test.elders.roster.{settings.service}"
    ensure_topics(settings, [elders_topic, Topics.dead_letter(settings.service)])
    elder_id = f"old-{uuid.uuid4().hex[:8]}"
    producer = KafkaProducer(**client_options(settings), acks="all")
    other = bootstrap(settings, FixedClock(service.clock.now()))  # as another API process
    api = create_app(other).test_client()
    own_producer = make_producer(settings)
    loop = worker(service).consumer(own_producer, [elders_topic], retries=1, backoff_seconds=0.01)

    def applied(event):
        producer.send(elders_topic, key=event.subject.encode(), value=event.to_json()).get(10)
        assert consume(loop, {elder_id.encode()}, 1) == {elder_id: ["applied"]}
        return api.get("/rosters/90-plus/2026-09", headers=OFFICER).json

    try:
        born = date(1930, 2, 2)
        first = applied(elder_event(service, "elder.registered", elder_id, birth_date=born))
        assert [e["elder_id"] for e in first["aged_90_plus"]] == [elder_id]
        assert first["died"] == []
        death = elder_event(
            service,
            "elder.deceased",
            elder_id,
            2,
            birth_date=born,
            status="deceased",
            died_on=date(2026, 9, 5),
        )
        after = applied(death)
    finally:
        loop.consumer.close()
        producer.close()
        other.db.client.close()
    assert [e["elder_id"] for e in after["died"]] == [elder_id]
    assert after["counts"]["died"] == 1
