"""Corrections of closed records, undone in allowances against the real store. A death
reported in error: recoveries cancelled (and refunded once a roll took them), payment resumed,
back pay for the months the elder was left off the rolls, each exactly once. A return to the
district: paid again from the month of the return, nothing owed for the time away."""

import json
from datetime import UTC, date, datetime

from test_allowances_api import (  # noqa: F401
    APPROVER,
    OFFICER,
    advance,
    client,
    elder_event,
    line_of,
    opened,
    outbox_types,
    service,
    with_account,
)

from services.allowances.service_layer.handlers import handlers
from shared.events import event_type
from shared.outbox import OUTBOX

BORN = date(1940, 2, 2)  # 80-89 throughout


def feed(service, type_, elder_id, version, **facts):  # noqa: F811
    event = elder_event(service, type_, elder_id, version, birth_date=BORN, **facts)
    return handlers(service)[event.type](event, event_type(event.type).load(event))


def died(service, elder_id):  # noqa: F811
    return feed(service, "elder.deceased", elder_id, 2, status="deceased", died_on=date(2026, 9, 3))


def revoked(service, elder_id):  # noqa: F811
    return feed(
        service,
        "elder.death_revoked",
        elder_id,
        3,
        revoked_died_on=date(2026, 9, 3),
        reason="registry confused her with her sister",
    )


def at(service, *day):  # noqa: F811
    service.clock.move_to(datetime(*day, 2, tzinfo=UTC))


def items_of(client, cycle_id, elder_id):  # noqa: F811
    line = line_of(client, cycle_id, elder_id)
    return [(i["rule"], i["month"], i["amount_fen"]) for i in line["items"]]


def test_a_revoked_death_refunds_recoveries_resumes_payment_and_pays_back_the_months_missed(
    client,  # noqa: F811
    service,  # noqa: F811
):
    for elder_id in ("late", "soon"):
        feed(service, "elder.registered", elder_id, 1)
    with_account(client, "late", "soon")  # paid into the bank, so a payment after death was made
    advance(client, opened(client, month="2026-09")["cycle_id"], paid_on="2026-09-10")
    at(service, 2026, 10, 10)
    advance(client, opened(client, month="2026-10")["cycle_id"], paid_on="2026-10-10")
    at(service, 2026, 10, 20)
    assert died(service, "late") and died(service, "soon")  # October was overpaid to both

    # Revoked before any roll took the recovery: cancelled, nothing to refund or pay back.
    at(service, 2026, 10, 25)
    assert revoked(service, "soon")
    [soon] = client.get("/overpayments?elder_id=soon", headers=OFFICER).json["items"]
    assert (soon["status"], soon["amount_fen"]) == ("cancelled", 10_000)
    assert client.get("/adjustments?elder_id=soon", headers=OFFICER).json["total"] == 0
    assert outbox_types(service, "overpayments", soon["overpayment_id"])[-1] == (
        "allowance.overpayment_cancelled"
    )

    # The family of the other paid October back, with a receipt, approved by another person.
    at(service, 2026, 11, 5)
    [owed_back] = client.get("/overpayments?elder_id=late", headers=OFFICER).json["items"]
    url = f"/overpayments/{owed_back['overpayment_id']}/resolution"
    proposal = {"outcome": "recovered", "receipt": "收据 0042", "received_on": "2026-11-04"}
    assert client.post(url, json=proposal, headers=OFFICER).status_code == 200
    approved = client.post(f"{url}/approve", json={"note": "收据核对无误"}, headers=APPROVER)
    assert approved.json["status"] == "recovered", approved.json

    at(service, 2026, 11, 10)
    november = opened(client, month="2026-11")
    assert items_of(client, "high_age:2026-11", "soon") == [
        ("high_age.band.80-89", "2026-11", 10_000)
    ]
    assert items_of(client, "high_age:2026-11", "late") == []  # recorded dead: not paid
    advance(client, november["cycle_id"], paid_on="2026-11-10")

    # Revoked once the family had paid October back and November went unpaid.
    at(service, 2026, 12, 2)
    assert revoked(service, "late")
    assert not revoked(service, "late")  # delivered again: nothing more
    [late] = client.get("/overpayments?elder_id=late", headers=OFFICER).json["items"]
    assert late["status"] == "cancelled"
    owed = client.get("/adjustments?elder_id=late", headers=OFFICER).json["items"]
    assert [(a["rule"], a["month"], a["amount_fen"], a["status"]) for a in owed] == [
        ("overpayment.refund", "2026-10", 10_000, "pending"),
    ]
    statement = client.get("/elders/late/statement", headers=OFFICER).json
    [standing] = statement["entitlements"]
    assert (standing["status"], standing["as_of"], standing["band"]) == (
        "granted",
        "2026-12",
        "80-89",
    )
    assert outbox_types(service, "entitlements", "high_age:late")[-1] == "allowance.reinstated"
    outbox = service.db["entitlements"].find_one({"_id": "high_age:late"})[OUTBOX]
    reinstated = json.loads(outbox[-1]["value"])["data"]
    assert (reinstated["back_pay_months"], reinstated["back_pay_fen"]) == (["2026-11"], 10_000)
    assert reinstated["revoked_died_on"] == "2026-09-03"

    december = opened(client, month="2026-12")
    assert sorted(items_of(client, "high_age:2026-12", "late")) == [
        ("high_age.back_pay", "2026-11", 10_000),
        ("high_age.band.80-89", "2026-12", 10_000),
        ("overpayment.refund", "2026-10", 10_000),
    ]
    assert december["totals"]["reconciles"]
    applied = client.get("/adjustments?elder_id=late", headers=OFFICER).json["items"]
    assert {a["status"] for a in applied} == {"applied"}
    advance(client, december["cycle_id"], paid_on="2026-12-02")
    at(service, 2027, 1, 10)
    opened(client, month="2027-01")  # the months paid back are paid: never again
    assert items_of(client, "high_age:2027-01", "late") == [
        ("high_age.band.80-89", "2027-01", 10_000)
    ]


def test_an_elder_back_in_the_district_is_paid_again_but_not_for_the_months_away(
    client,  # noqa: F811
    service,  # noqa: F811
):
    feed(service, "elder.registered", "away", 1)
    advance(client, opened(client, month="2026-09")["cycle_id"], paid_on="2026-09-10")
    at(service, 2026, 9, 25)
    left = {"status": "moved_out", "moved_out_on": date(2026, 9, 20)}
    assert feed(service, "elder.moved_out", "away", 2, **left)
    at(service, 2026, 10, 10)
    advance(client, opened(client, month="2026-10")["cycle_id"], paid_on="2026-10-10")
    assert items_of(client, "high_age:2026-10", "away") == []

    at(service, 2026, 11, 5)
    back = {
        "returned_on": date(2026, 11, 3),
        "away_since": date(2026, 9, 20),
        "to_community": "c01",
        "absences": [{"moved_out_on": date(2026, 9, 20), "returned_on": date(2026, 11, 3)}],
    }
    assert feed(service, "elder.returned", "away", 3, **back)
    at(service, 2026, 11, 10)
    opened(client, month="2026-11")
    # November, the month of the return, is paid; October, away, is not paid back
    assert items_of(client, "high_age:2026-11", "away") == [
        ("high_age.band.80-89", "2026-11", 10_000)
    ]
    [standing] = client.get("/elders/away/statement", headers=OFFICER).json["entitlements"]
    assert (standing["status"], standing["as_of"]) == ("granted", "2026-11")


def test_a_corrected_birth_date_settles_the_months_already_paid_once(
    client,  # noqa: F811
    service,  # noqa: F811
):
    feed(service, "elder.registered", "older", 1)  # recorded born 1940: 80-89
    advance(client, opened(client, month="2026-09")["cycle_id"], paid_on="2026-09-10")
    at(service, 2026, 10, 10)
    advance(client, opened(client, month="2026-10")["cycle_id"], paid_on="2026-10-10")

    at(service, 2026, 10, 20)  # the ID number said 1930: 96, band 90-99 all along
    event = elder_event(
        service, "elder.updated", "older", 2, birth_date=date(1930, 2, 2), changed=["birth_date"]
    )
    handle = handlers(service)["elder.updated"]
    assert handle(event, event_type(event.type).load(event))
    assert not handle(event, event_type(event.type).load(event))  # delivered again
    owed = client.get("/adjustments?elder_id=older", headers=OFFICER).json["items"]
    assert sorted((a["rule"], a["month"], a["amount_fen"]) for a in owed) == [
        ("high_age.correction", "2026-09", 20_000),
        ("high_age.correction", "2026-10", 20_000),
    ]
    at(service, 2026, 11, 10)
    opened(client, month="2026-11")
    assert sorted(items_of(client, "high_age:2026-11", "older")) == [
        ("high_age.band.90-99", "2026-11", 30_000),
        ("high_age.correction", "2026-09", 20_000),
        ("high_age.correction", "2026-10", 20_000),
    ]
