"""Allowances' audit trail on the real store: programme changes, each step of a cycle and the
overpayment a stop finds leave a line (who, from where, when, before and after), queryable
by elder and by user."""

import threading
from datetime import date, timedelta

from test_allowances_api import (
    ADMIN,
    APPROVER,
    HEAD,
    OFFICER,
    SEPTEMBER,
    advance,
    elder_event,
    feed,
    opened,
    with_account,
)

from services.allowances.service_layer.handlers import handlers
from shared.consumer import Received, event_pipeline
from shared.events import Topics

pytest_plugins = ["test_allowances_api"]  # the fixtures `service` and `client`
CLIENT_ADDRESS = "127.0.0.1"  # what the test client sends as the remote address


def trail(client, **subject):
    response = client.get("/audit", query_string=subject, headers=ADMIN)
    assert response.status_code == 200, response.json
    return response.json["items"]


def consume(service, event) -> str:
    """The event through the consumer's pipeline, as the worker receives it from Kafka."""
    # no producer: nothing here is dead-lettered
    pipeline = event_pipeline(service.settings, handlers(service), None, threading.Event())
    message = Received(Topics.ELDERS, 0, 0, event.subject.encode(), event.to_json())
    return pipeline.process(message)


def test_a_programme_change_is_audited_with_the_settings_before_and_after(client, service):
    schedule = {"version": 0, "stops": "event_month", "report_due_day": 20}
    assert client.put("/programmes/schedule", json=schedule, headers=ADMIN).status_code == 200
    [line] = trail(client, user="admin")
    assert (line["kind"], line["record_id"], line["elder_id"]) == ("config", "programmes", None)
    assert (line["by"], line["from"], line["change"]) == (
        "admin",
        CLIENT_ADDRESS,
        "programmes.configured",
    )
    assert (line["before"]["report_due_day"], line["after"]["report_due_day"]) == (25, 20)
    assert (line["before"]["stops"], line["after"]["stops"]) == ("month_after", "event_month")
    assert "history" not in client.get("/programmes", headers=OFFICER).json


def test_each_step_of_a_cycle_is_audited_by_whoever_took_it(client, service):
    feed(service, elder_id="e-80", birth_date=date(1944, 3, 7))
    cycle_id = opened(client)["cycle_id"]
    service.clock.move_to(SEPTEMBER + timedelta(hours=1))
    advance(client, cycle_id, until="review")
    service.clock.move_to(SEPTEMBER + timedelta(hours=2))
    advance(client, cycle_id, until="approve")

    history = service.cycles.history(cycle_id)
    assert [(line["change"], line["by"]) for line in history] == [
        ("cycle.opening", "officer"),
        ("cycle.roll_frozen", "officer"),
        ("cycle.reviewed", "officer"),
        ("cycle.approved", "approver"),
    ]
    opening, frozen, reviewed, approved = history
    assert opening["before"] == {} and opening["after"]["state"] == "opening"
    assert (frozen["before"]["state"], frozen["after"]["state"]) == ("opening", "open")
    assert frozen["after"]["totals"]["payees"] == 1
    assert (reviewed["before"]["state"], reviewed["after"]["state"]) == ("open", "reviewed")
    assert (approved["before"], approved["after"]["approved_by"]) == (
        {"state": "reviewed", "approved_at": None, "approved_by": None},
        "approver",
    )
    assert approved["from"] == CLIENT_ADDRESS
    assert approved["at"] == SEPTEMBER + timedelta(hours=2)

    by_officer = trail(client, user="officer")
    assert [(line["kind"], line["change"]) for line in by_officer] == [
        ("cycles", "cycle.reviewed"),
        ("cycles", "cycle.roll_frozen"),
        ("cycles", "cycle.opening"),
    ]
    by_approver = trail(client, user="approver")
    assert [(line["record_id"], line["change"]) for line in by_approver] == [
        (cycle_id, "cycle.approved")
    ]
    cycle = client.get(f"/cycles/{cycle_id}", headers=OFFICER).json
    listed = client.get("/cycles", headers=OFFICER).json["items"]
    assert "history" not in cycle and all("history" not in c for c in listed)


def test_the_overpayment_a_death_finds_is_audited_as_the_events_source(client, service):
    feed(service, elder_id="e-80", birth_date=date(1944, 3, 7))
    with_account(client, "e-80")  # paid into it: a payment withheld would overpay nothing
    advance(client, opened(client)["cycle_id"])
    died = elder_event(
        service,
        "elder.deceased",
        "e-80",
        2,
        birth_date=date(1944, 3, 7),
        status="deceased",
        died_on=date(2026, 8, 25),
    )
    assert consume(service, died) == "applied"

    by_kind = {line["kind"]: line for line in trail(client, elder_id="e-80")}
    assert sorted(by_kind) == ["overpayments", "payee_accounts"]
    assert by_kind["payee_accounts"]["after"]["number"] == "6222***********0000"  # masked
    line = by_kind["overpayments"]
    assert (line["kind"], line["record_id"], line["elder_id"]) == (
        "overpayments",
        "e-80:deceased:high_age:2026-09",
        "e-80",
    )
    assert (line["by"], line["from"], line["change"]) == (
        died.source,
        f"kafka:{Topics.ELDERS}",
        "allowance.overpayment_detected",
    )
    assert line["before"] == {} and line["after"]["amount_fen"] == 10_000
    assert [o["by"] for o in trail(client, user=died.source)] == [died.source]
    overpayment = client.get(f"/overpayments/{line['record_id']}", headers=OFFICER).json
    assert overpayment["status"] == "open" and "history" not in overpayment


def test_only_the_administrator_reads_the_audit(client, service):
    for headers in (OFFICER, APPROVER, HEAD):
        refused = client.get("/audit", query_string={"user": "officer"}, headers=headers)
        assert refused.status_code == 403
    neither = client.get("/audit", headers=ADMIN)
    assert neither.status_code == 422
    assert neither.json["errors"] == {"_schema": ["Give either elder_id or user."]}
