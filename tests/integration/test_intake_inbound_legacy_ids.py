"""Other systems that still hold an elder's legacy 15-digit ID number reach the same elder."""

import json
import uuid
from datetime import date

from kafka import KafkaProducer
from test_intake_inbound import CLERK, HOSPITAL, consume, envelope, register, report

from services.intake.entrypoints.app import create_app
from shared.events import Topics

pytest_plugins = ["test_intake_inbound"]  # the fixture `intake`


def test_an_inbound_event_with_a_15_digit_number_resolves_to_the_registered_elder(
    intake, settings, topic_reader, kafka_as
):
    elder = register(intake, date(1936, 7, 21), 14)  # a number no other test reports on
    fifteen = elder.national_id[:6] + elder.national_id[8:17]
    tag = uuid.uuid4().hex[:8]
    key = f"legacy-{tag}".encode()
    admitted = envelope(
        settings, "hospital.admitted", report(fifteen, f"adm-{tag}", hospital="宁波二院")
    )
    nowhere = envelope(
        settings, "worries.reported", report("990105360721014", f"w-{tag}")
    )  # province 99
    producer = KafkaProducer(**kafka_as("outside"), acks="all")
    for event in (admitted, nowhere):
        producer.send(Topics.INBOUND, key=key, value=json.dumps(event).encode()).get(10)
    producer.close()

    assert [o for _, o in consume(intake, {key}, 2)] == ["applied", "dead-lettered"]
    client = create_app(intake).test_client()
    receipts = client.get(f"/inbound/receipts?elder_id={elder.elder_id}", headers=CLERK).json
    assert [r["outcome"] for r in receipts["items"]] == ["incident reported: hospitalised"]
    reasons = [
        dict(r.headers)["dlq.reason"].decode()
        for r in topic_reader(Topics.dead_letter(intake.settings.service))
        if r.key == key
    ]
    assert len(reasons) == 1 and "99 is not a province code" in reasons[0]

    hospital = HOSPITAL
    over_http = envelope(settings, "hospital.admitted", report(fifteen, f"h-{tag}", hospital="h"))
    assert client.post("/inbound", json=over_http, headers=hospital).status_code == 202
