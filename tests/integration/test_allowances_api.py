"""Allowances' API against the real store, through the Flask test client with a fixed clock."""

import csv
import hashlib
import io
import json
from dataclasses import asdict, replace
from datetime import UTC, date, datetime

import pytest
from factories import registered_data
from openpyxl import load_workbook
from staff import staff_headers

from services.allowances.bootstrap import bootstrap
from services.allowances.domain.elder import Elder
from services.allowances.entrypoints.app import create_app
from services.allowances.service_layer.handlers import handlers
from services.allowances.service_layer.opening import open_cycle
from shared.clock import FixedClock
from shared.events import event_type, new_event
from shared.outbox import OUTBOX
from shared.projection import Projection

TOKENS = ",".join(
    [
        "officer:officer:allowance_officer",
        "officer2:officer2:allowance_officer",
        "approver:approver:approver",
        "admin:admin:district_admin",
        "head:head:community_head@c02",
    ]
)
STAFF = staff_headers(TOKENS)
OFFICER, OFFICER2 = STAFF["officer"], STAFF["officer2"]
APPROVER, ADMIN = STAFF["approver"], STAFF["admin"]
HEAD = STAFF["head"]
SEPTEMBER = datetime(2026, 9, 10, 2, tzinfo=UTC)


@pytest.fixture
def service(settings):
    allowances = bootstrap(settings, FixedClock(SEPTEMBER))
    yield allowances
    allowances.db.client.drop_database(allowances.db.name)


@pytest.fixture
def client(service):
    return create_app(service).test_client()


def elder_event(service, type_, elder_id, version=1, **facts):
    """An intake event about an elder, exactly as intake builds it."""
    details = {"reported_by": "registry"} if type_ == "elder.deceased" else {}
    if type_ == "elder.moved_out":
        details = {"moved_on": facts["moved_out_on"], "destination": None}
    data = {**registered_data(elder_id, version, **{"community": "c01", **facts}), **details}
    settings = service.settings
    return new_event(
        type_,
        elder_id,
        data,
        source=f"urn:eldercare:{settings.district}:intake",
        district=settings.district,
        at=service.clock.now(),
    )


def feed(service, type_="elder.registered", elder_id="e-1", version=1, **facts):
    """Hand an event to the worker's handler, decoded as the consumer decodes it."""
    event = elder_event(service, type_, elder_id, version, **facts)
    return handlers(service)[event.type](event, event_type(event.type).load(event))


def opened(client, programme="high_age", month="2026-09", headers=OFFICER):
    response = client.post(
        "/cycles", json={"programme": programme, "month": month}, headers=headers
    )
    assert response.status_code == 201, response.json
    return response.json


def line_of(client, cycle_id, elder_id):
    """The elder's line of the cycle: stored on its roll, or else, for an elder the roll does
    not concern, worked out in the elder's statement."""
    path = f"/cycles/{cycle_id}/lines?elder_id={elder_id}"
    listed = client.get(path, headers=OFFICER).json["items"]
    if listed:
        return listed[0]
    lines = client.get(f"/elders/{elder_id}/statement", headers=OFFICER).json["lines"]
    return next(line for line in lines if line["cycle_id"] == cycle_id)


def advance(client, cycle_id, until="paid", paid_on="2026-09-10"):
    steps = [
        ("review", OFFICER, {"note": "checked"}),
        ("approve", APPROVER, None),
        ("export", OFFICER, None),
        ("paid", OFFICER, {"paid_on": paid_on}),
    ]
    state = client.get(f"/cycles/{cycle_id}", headers=OFFICER).json["state"]
    done = {"open": 0, "reviewed": 1, "approved": 2, "exported": 3}[state]
    for step, headers, body in steps[done:]:
        response = client.post(f"/cycles/{cycle_id}/{step}", json=body, headers=headers)
        assert response.status_code == 200, (step, response.json)
        if step == until:
            return response.json
    return response.json


def with_account(client, *elder_ids):
    """Register a bank account for each elder, so that their payments reach the bank's file."""
    for n, elder_id in enumerate(elder_ids):
        account = {
            "version": 0,
            "kind": "bank_account",
            "bank": "工商银行",
            "number": f"62220200000000{n:05d}",
            "holder": "王秀英",
        }
        response = client.put(f"/elders/{elder_id}/payee-account", json=account, headers=OFFICER)
        assert response.status_code == 200, response.json


def outbox_types(service, collection, doc_id):
    document = service.db[collection].find_one({"_id": doc_id})
    return [json.loads(e["value"])["type"] for e in document.get(OUTBOX, [])]


def test_a_cycle_goes_from_open_to_paid_with_files_that_carry_its_totals(client, service):
    feed(service, elder_id="e-80", birth_date=date(1944, 3, 7))
    feed(service, elder_id="e-90", birth_date=date(1935, 1, 2), name="赵凤英")
    feed(service, elder_id="e-100", birth_date=date(1925, 5, 5))
    feed(service, elder_id="e-70", birth_date=date(1955, 5, 5))
    feed(
        service, elder_id="e-79", birth_date=date(1946, 9, 10)
    )  # 80 this month: paid from the next
    cycle = opened(client)
    assert cycle["state"] == "open" and cycle["opened_by"] == "officer"
    assert cycle["due_on"] == "2026-09-25" and cycle["overdue"] is False
    totals = cycle["totals"]
    assert (totals["payees"], totals["payable_fen"], totals["reconciles"]) == (3, 100_000, True)
    assert totals["excluded"] == [{"reason": "under_age", "lines": 1}]
    assert cycle["rules"]["config"]["starts"] == "month_after"

    lines = client.get("/cycles/high_age:2026-09/lines?eligible=true", headers=OFFICER).json
    assert lines["total"] == 3
    by_elder = {line["elder_id"]: line for line in lines["items"]}
    assert by_elder["e-90"]["items"][0]["rule"] == "high_age.band.90-99"
    assert by_elder["e-90"]["amount_fen"] == 30_000
    entering = client.get("/cycles/high_age:2026-09/lines?reason=under_age", headers=OFFICER).json
    assert [line["elder_id"] for line in entering["items"]] == ["e-79"]
    assert entering["items"][0]["detail"] == "born 1946-09-10; paid from 2026-10"
    # the roll does not list whom the programme does not concern; the statement says why
    young = client.get("/elders/e-70/statement", headers=OFFICER).json["lines"]
    assert [
        (line["cycle_id"], line["computed"], line["reason"], line["detail"]) for line in young
    ] == [("high_age:2026-09", True, "under_age", "born 1955-05-05; paid from 2035-06")]
    assert (
        client.get("/elders/e-90/statement", headers=OFFICER).json["lines"][0]["computed"] is False
    )
    assert outbox_types(service, "entitlements", "high_age:e-90") == ["allowance.granted"]

    for elder_id, number in (("e-80", "6222021234567890123"), ("e-90", "6217000010001234")):
        account = {
            "version": 0,
            "kind": "bank_account",
            "bank": "工商银行新华路支行",
            "number": number,
            "holder": "赵凤英",
        }
        registered = client.put(f"/elders/{elder_id}/payee-account", json=account, headers=OFFICER)
        assert registered.status_code == 200, registered.json
    not_yet = client.get("/cycles/high_age:2026-09/payment-file", headers=OFFICER)
    assert not_yet.status_code == 409
    preview = client.get("/cycles/high_age:2026-09/payment-exceptions", headers=OFFICER).json
    assert (preview["fixed"], preview["payments"], preview["withheld_fen"]) == (False, 2, 60_000)
    assert [(e["elder_id"], e["reason"]) for e in preview["exceptions"]] == [
        ("e-100", "no_account")
    ]
    exported = advance(client, "high_age:2026-09", until="export")
    assert exported["state"] == "exported" and exported["approved_by"] == "approver"
    assert outbox_types(service, "cycles", "high_age:2026-09") == [
        "allowance.cycle_approved",
        "allowance.payment_exported",
    ]
    announced = json.loads(
        service.db["cycles"].find_one({"_id": "high_age:2026-09"})[OUTBOX][1]["value"]
    )
    assert {
        k: announced["data"][k] for k in ("payable_fen", "file_amount_fen", "withheld_fen")
    } == {
        "payable_fen": 100_000,
        "file_amount_fen": 40_000,
        "withheld_fen": 60_000,
    }
    assert "6222021234567890123" not in json.dumps(announced)
    approval = json.loads(
        service.db["cycles"].find_one({"_id": "high_age:2026-09"})[OUTBOX][0]["value"]
    )
    assert approval["data"]["due_on"] == "2026-09-25"  # the report day, for visits to count by

    # An account registered after the export changes nothing in the exported file.
    late = {
        "version": 0,
        "kind": "social_security_card",
        "bank": "农商银行",
        "number": "A12345678",
        "holder": "周桂兰",
    }
    assert client.put("/elders/e-100/payee-account", json=late, headers=OFFICER).status_code == 200
    file = client.get("/cycles/high_age:2026-09/payment-file?format=csv", headers=APPROVER)
    assert file.status_code == 200 and file.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(file.data.decode("utf-8-sig"))))
    payments = [r for r in rows if r["no"].isdigit()]
    assert [(r["elder_id"], r["account_number"], r["amount_fen"]) for r in payments] == [
        ("e-80", "6222021234567890123", "10000"),
        ("e-90", "6217000010001234", "30000"),
    ]
    assert (
        payments[1]["account_holder"] == "赵凤英" and payments[1]["purpose"] == "high_age 2026-09"
    )
    total = next(r for r in rows if r["no"] == "total payments")
    assert int(total["amount_fen"]) == sum(int(r["amount_fen"]) for r in payments) == 40_000
    assert total["amount_yuan"] == "400.00" and total["account_type"] == "2"
    assert hashlib.sha256(file.data).hexdigest() == exported["file_sha256"]
    fixed = client.get("/cycles/high_age:2026-09/payment-exceptions", headers=APPROVER).json
    assert (fixed["fixed"], [e["elder_id"] for e in fixed["exceptions"]]) == (True, ["e-100"])

    workbook = client.get("/cycles/high_age:2026-09/payment-file?format=xlsx", headers=OFFICER)
    book = load_workbook(io.BytesIO(workbook.data))
    values = {row[0]: row[5] for row in book["Payments"].iter_rows(values_only=True)}
    assert values["total payments"] == 40_000
    exceptions = list(book["Exceptions"].iter_rows(values_only=True))
    assert [(row[1], row[4], row[5]) for row in exceptions[1:]] == [("e-100", 60_000, "no_account")]
    summary = {row[0]: row[2] for row in book["Summary"].iter_rows(values_only=True) if row}
    assert (summary["in the file"], summary["withheld (exceptions)"], summary["payable"]) == (
        40_000,
        60_000,
        100_000,
    )

    paid = advance(client, "high_age:2026-09", until="paid")
    assert (paid["state"], paid["paid_on"]) == ("paid", "2026-09-10")


def test_refused_requests_are_problems_and_change_nothing(client, service):
    feed(service, birth_date=date(1940, 1, 1))
    cycle = opened(client)
    cycle_id = cycle["cycle_id"]
    before = service.db["cycles"].find_one({"_id": cycle_id})

    def refused(method, path, body, headers, status, expected):
        response = getattr(client, method)(path, json=body, headers=headers)
        assert response.status_code == status, response.json
        assert response.mimetype == "application/problem+json"
        assert expected in json.dumps(response.json, ensure_ascii=False)

    refused("post", f"/cycles/{cycle_id}/approve", None, APPROVER, 409, "must be reviewed")
    refused("post", f"/cycles/{cycle_id}/export", None, OFFICER, 409, "approved first")
    refused("post", f"/cycles/{cycle_id}/approve", None, OFFICER, 403, "approver")
    refused(
        "post",
        "/cycles",
        {"programme": "high_age", "month": "2026-10"},
        OFFICER,
        422,
        "future month",
    )
    refused(
        "post",
        "/cycles",
        {"programme": "high_age", "month": "2026-09"},
        OFFICER,
        409,
        "already open",
    )
    refused(
        "post",
        "/cycles",
        {"programme": "high_age", "month": "2026-08"},
        OFFICER,
        422,
        "month order",
    )
    refused(
        "post",
        "/cycles",
        {"programme": "pension", "month": "2026-09"},
        OFFICER,
        404,
        "no programme 'pension'",
    )
    refused("post", "/cycles", {"programme": "high_age", "month": "2026-9"}, OFFICER, 422, "month")
    assert service.db["cycles"].find_one({"_id": cycle_id}) == before
    assert service.db["cycles"].count_documents({}) == 1

    # The preparer cannot approve, even as district administrator.
    service.db["cycles"].delete_many({})
    service.db["roll_lines"].delete_many({})
    service.db["entitlements"].delete_many({})
    opened(client, headers=ADMIN)
    client.post(f"/cycles/{cycle_id}/review", json={}, headers=OFFICER)
    reviewed = service.db["cycles"].find_one({"_id": cycle_id})
    refused("post", f"/cycles/{cycle_id}/approve", None, ADMIN, 422, "admin prepared this cycle")
    assert client.post(f"/cycles/{cycle_id}/approve", headers=APPROVER).status_code == 200
    approved = service.db["cycles"].find_one({"_id": cycle_id})
    refused("post", f"/cycles/{cycle_id}/approve", None, APPROVER, 409, "already approved")
    assert service.db["cycles"].find_one({"_id": cycle_id}) == approved
    assert approved["version"] == reviewed["version"] + 1
    assert outbox_types(service, "cycles", cycle_id) == ["allowance.cycle_approved"]

    # Amounts that are not whole fen.
    high_age = {
        "version": 0,
        "starts": "birthday_month",
        "amounts": [
            {"band": "80-89", "amount_fen": 10000.5},
            {"band": "90-99", "amount_fen": "30000"},
            {"band": "100+", "amount_fen": True},
        ],
    }
    response = client.put("/programmes/high-age", json=high_age, headers=ADMIN)
    assert response.status_code == 422
    errors = json.dumps(response.json["errors"])
    assert errors.count("Not a valid integer") + errors.count("whole number of fen") == 3
    for amount in (99.5, 100.0, "100"):
        adjustment = {"elder_id": "e-1", "month": "2026-08", "amount_fen": amount, "reason": "x"}
        refused("post", "/adjustments", adjustment, OFFICER, 422, "amount_fen")
    campaign = {
        "campaign_id": "spring",
        "name": "春节",
        "festival_on": "2026-09-01",
        "amount_fen": 0.01,
    }
    refused("post", "/campaigns", campaign, OFFICER, 422, "amount_fen")
    assert client.get("/programmes", headers=OFFICER).json["version"] == 0
    assert service.db["adjustments"].count_documents({}) == 0
    assert service.db["campaigns"].count_documents({}) == 0


def test_a_report_after_the_due_day_is_flagged_late_and_an_unsubmitted_one_overdue(client, service):
    feed(service, birth_date=date(1940, 1, 1))
    opened(client)
    service.clock.move_to(datetime(2026, 9, 26, 2, tzinfo=UTC))
    assert client.get("/cycles/high_age:2026-09", headers=OFFICER).json["overdue"] is True
    reviewed = client.post("/cycles/high_age:2026-09/review", json={}, headers=OFFICER2).json
    assert (reviewed["late"], reviewed["submitted_on"], reviewed["overdue"]) == (
        True,
        "2026-09-26",
        False,
    )
    approved = client.post("/cycles/high_age:2026-09/approve", headers=APPROVER).json
    event = json.loads(
        service.db["cycles"].find_one({"_id": "high_age:2026-09"})[OUTBOX][0]["value"]
    )
    assert approved["late"] is True and event["data"]["late"] is True


def test_late_registration_gets_back_pay_and_corrections_reach_the_next_cycle(client, service):
    feed(service, elder_id="e-known", birth_date=date(1940, 1, 1))
    service.clock.move_to(datetime(2026, 7, 10, 2, tzinfo=UTC))
    advance(client, opened(client, month="2026-07")["cycle_id"], paid_on="2026-07-10")
    cheaper = {
        "version": 0,
        "starts": "month_after",
        "amounts": [
            {"band": "80-89", "amount_fen": 12_000},
            {"band": "90-99", "amount_fen": 30_000},
            {"band": "100+", "amount_fen": 60_000},
        ],
    }
    assert client.put("/programmes/high-age", json=cheaper, headers=ADMIN).status_code == 200
    service.clock.move_to(datetime(2026, 8, 10, 2, tzinfo=UTC))
    advance(client, opened(client, month="2026-08")["cycle_id"], paid_on="2026-08-10")

    service.clock.move_to(SEPTEMBER)
    feed(service, elder_id="e-late", birth_date=date(1942, 5, 5))  # registered in September
    correction = {
        "elder_id": "e-known",
        "month": "2026-07",
        "amount_fen": -2_000,
        "reason": "paid at the August amount by mistake",
    }
    recorded = client.post("/adjustments", json=correction, headers=OFFICER)
    assert recorded.status_code == 201 and recorded.json["status"] == "pending"
    cycle = opened(client)
    line = client.get("/cycles/high_age:2026-09/lines?elder_id=e-late", headers=OFFICER).json
    items = [(i["rule"], i["month"], i["amount_fen"]) for i in line["items"][0]["items"]]
    assert items == [
        ("high_age.band.80-89", "2026-09", 12_000),
        ("high_age.back_pay", "2026-07", 10_000),  # at July's amount
        ("high_age.back_pay", "2026-08", 12_000),
    ]
    known = client.get("/cycles/high_age:2026-09/lines?elder_id=e-known", headers=OFFICER).json
    assert known["items"][0]["amount_fen"] == 10_000
    assert known["items"][0]["items"][1]["detail"].startswith("deduction for 2026-07")
    assert {r["rule"]: r["amount_fen"] for r in cycle["totals"]["by_rule"]} == {
        "adjustment.manual": -2_000,
        "high_age.back_pay": 22_000,
        "high_age.band.80-89": 24_000,
    }
    adjustments = client.get("/adjustments?elder_id=e-known", headers=OFFICER).json["items"]
    assert [(a["status"], a["cycle_id"]) for a in adjustments] == [("applied", "high_age:2026-09")]
    service.clock.move_to(datetime(2026, 10, 10, 2, tzinfo=UTC))
    october = client.get("/cycles", headers=OFFICER)
    assert october.json["total"] == 3
    opened(client, month="2026-10")
    again = client.get("/cycles/high_age:2026-10/lines?elder_id=e-late", headers=OFFICER).json
    assert [i["rule"] for i in again["items"][0]["items"]] == ["high_age.band.80-89"]


def test_programmes_start_as_examples_and_change_by_version(client):
    defaults = client.get("/programmes", headers=OFFICER).json
    assert defaults["configured"] is False and defaults["version"] == 0
    assert defaults["home_care_voucher"] == {"amount_fen": 6000, "valid_months": 3}
    assert defaults["report_due_day"] == 25 and defaults["stops"] == "month_after"
    schedule = {"version": 0, "stops": "event_month", "report_due_day": 20}
    assert client.put("/programmes/schedule", json=schedule, headers=OFFICER).status_code == 403
    changed = client.put("/programmes/schedule", json=schedule, headers=ADMIN).json
    assert (changed["configured"], changed["version"], changed["report_due_day"]) == (True, 1, 20)
    stale = client.put("/programmes/schedule", json=schedule, headers=ADMIN)
    assert stale.status_code == 409 and stale.json["current_version"] == 1
    vouchers = {"version": 1, "amount_fen": 8000, "valid_months": 2}
    assert client.put("/programmes/home-care-vouchers", json=vouchers, headers=ADMIN).json[
        "home_care_voucher"
    ] == {"amount_fen": 8000, "valid_months": 2}


def test_a_festival_campaign_pays_its_target_group_once(client, service):
    feed(service, elder_id="e-poor", birth_date=date(1950, 1, 1), low_income=True)
    feed(service, elder_id="e-other", birth_date=date(1950, 1, 1))
    campaign = {
        "campaign_id": "mid-autumn-2026",
        "name": "2026 中秋慰问",
        "festival_on": "2026-09-25",
        "amount_fen": 20_000,
    }
    created = client.post("/campaigns", json=campaign, headers=OFFICER)
    assert created.status_code == 201 and created.json["programme"] == "festival:mid-autumn-2026"
    assert created.json["target"]["low_income"] is True
    assert client.post("/campaigns", json=campaign, headers=OFFICER).status_code == 409
    response = client.post(
        "/cycles", json={"programme": "festival:mid-autumn-2026"}, headers=OFFICER
    )
    assert response.status_code == 201, response.json
    totals = response.json["totals"]
    assert (totals["payees"], totals["payable_fen"]) == (1, 20_000)
    assert totals["lines"] == 1  # the target group only
    other = line_of(client, "festival:mid-autumn-2026:2026-09", "e-other")
    assert (other["computed"], other["reason"]) == (True, "not_targeted")
    assert response.json["cycle_id"] == "festival:mid-autumn-2026:2026-09"
    again = client.post("/cycles", json={"programme": "festival:mid-autumn-2026"}, headers=OFFICER)
    assert again.status_code == 409


def test_vouchers_are_issued_with_approval_and_redeemed_once(client, service):
    feed(service, elder_id="e-care", birth_date=date(1948, 1, 1), home_care=True)
    feed(service, elder_id="e-other", birth_date=date(1948, 1, 1), home_care=True)
    cycle = opened(client, programme="home_care_voucher")
    assert cycle["totals"]["payable_fen"] == 12_000
    voucher_id = "home_care_voucher:2026-09:e-care"
    claim = {
        "elder_id": "e-care",
        "provider": "安康家政",
        "service": "housekeeping",
        "served_on": "2026-09-08",
    }
    early = client.post(f"/vouchers/{voucher_id}/redemption", json=claim, headers=OFFICER)
    assert early.status_code == 409 and "not issued" in early.json["detail"]
    advance(client, cycle["cycle_id"], until="approve")
    listed = client.get("/vouchers?month=2026-09", headers=OFFICER).json
    assert [(v["voucher_id"], v["status"], v["valid_through"]) for v in listed["items"]] == [
        (voucher_id, "issued", "2026-11"),
        ("home_care_voucher:2026-09:e-other", "issued", "2026-11"),
    ]

    foreign = client.post(
        f"/vouchers/{voucher_id}/redemption", json={**claim, "elder_id": "e-other"}, headers=OFFICER
    )
    assert foreign.status_code == 422 and "another elder" in foreign.json["detail"]
    unknown = client.post(
        "/vouchers/elsewhere:2026-09:e-care/redemption", json=claim, headers=OFFICER
    )
    assert unknown.status_code == 404
    assert service.db["redemptions"].count_documents({}) == 0

    redeemed = client.post(f"/vouchers/{voucher_id}/redemption", json=claim, headers=OFFICER)
    assert redeemed.status_code == 201 and redeemed.json["amount_fen"] == 6000
    spent = client.post(f"/vouchers/{voucher_id}/redemption", json=claim, headers=OFFICER)
    assert spent.status_code == 409 and "already redeemed" in spent.json["detail"]
    assert service.db["redemptions"].count_documents({}) == 1
    assert client.get(f"/vouchers/{voucher_id}", headers=OFFICER).json["status"] == "redeemed"

    feed(
        service,
        "elder.deceased",
        "e-other",
        2,
        birth_date=date(1948, 1, 1),
        home_care=True,
        status="deceased",
        died_on=date(2026, 8, 30),
    )
    void = client.post(
        "/vouchers/home_care_voucher:2026-09:e-other/redemption",
        json={**claim, "elder_id": "e-other"},
        headers=OFFICER,
    )
    assert void.status_code == 422 and "void" in void.json["detail"]
    assert service.db["overpayments"].count_documents({}) == 0  # vouchers are not cash


def test_a_voucher_pays_only_for_a_service_before_a_death_or_move_and_is_never_cash(
    client, service
):
    born = date(1948, 1, 1)
    feed(service, elder_id="e-died", birth_date=born, home_care=True)
    feed(service, elder_id="e-left", birth_date=born, home_care=True)
    cycle = opened(client, programme="home_care_voucher")
    advance(client, cycle["cycle_id"], until="approve")
    feed(
        service,
        "elder.deceased",
        "e-died",
        2,
        birth_date=born,
        home_care=True,
        status="deceased",
        died_on=date(2026, 9, 5),
    )
    feed(
        service,
        "elder.moved_out",
        "e-left",
        2,
        birth_date=born,
        home_care=True,
        status="moved_out",
        moved_out_on=date(2026, 9, 6),
    )

    def claim(elder_id, served_on):
        body = {
            "elder_id": elder_id,
            "provider": "安康家政",
            "service": "housekeeping",
            "served_on": served_on,
        }
        voucher = f"home_care_voucher:2026-09:{elder_id}"
        return client.post(f"/vouchers/{voucher}/redemption", json=body, headers=OFFICER)

    undated = client.post(
        "/vouchers/home_care_voucher:2026-09:e-died/redemption",
        json={"elder_id": "e-died", "provider": "安康家政", "service": "housekeeping"},
        headers=OFFICER,
    )
    assert undated.status_code == 422 and "served_on" in undated.json["errors"]
    after_death = claim("e-died", "2026-09-06")
    assert after_death.status_code == 422, after_death.json
    assert "died on 2026-09-05: no service on 2026-09-06" in after_death.json["detail"]
    after_move = claim("e-left", "2026-09-07")
    assert after_move.status_code == 422 and "moved out" in after_move.json["detail"]
    ahead = claim("e-left", "2026-09-11")
    assert ahead.status_code == 422 and "in the future" in ahead.json["detail"]
    assert service.db["redemptions"].count_documents({}) == 0
    before_death = claim("e-died", "2026-09-05")
    assert before_death.status_code == 201 and before_death.json["served_on"] == "2026-09-05"
    stored = service.db["redemptions"].find_one({"_id": "home_care_voucher:2026-09:e-died"})
    assert stored["served_on"] == "2026-09-05"

    cycle_id = cycle["cycle_id"]
    for method, path, body in [
        ("post", f"/cycles/{cycle_id}/export", None),
        ("post", f"/cycles/{cycle_id}/paid", {"paid_on": "2026-09-10"}),
        ("get", f"/cycles/{cycle_id}/payment-file", None),
        ("get", f"/cycles/{cycle_id}/payment-file?format=xlsx", None),
    ]:
        response = getattr(client, method)(path, json=body, headers=OFFICER)
        assert response.status_code == 422, (path, response.status_code)
        assert "not cash" in response.json["detail"]
    assert client.get(f"/cycles/{cycle_id}", headers=OFFICER).json["state"] == "approved"
    assert outbox_types(service, "cycles", cycle_id) == ["allowance.cycle_approved"]


def test_an_interrupted_opening_finishes_with_the_same_roll(client, service):
    for n in range(30):
        feed(service, elder_id=f"e-{n:02d}", birth_date=date(1930 + n, 1, 1))
    whole = open_cycle(service, "high_age", "2026-09", "officer")
    # As if the process stopped half-way: the cycle still opening, part of its roll stored.
    service.db["cycles"].update_one(
        {"_id": whole.cycle_id}, {"$set": {"state": "opening", "version": 1, "totals": None}}
    )
    service.db["roll_lines"].delete_many({"elder_id": {"$gte": "e-15"}})
    service.db["entitlements"].delete_many({"elder_id": {"$gte": "e-20"}})
    finished = client.post(
        "/cycles", json={"programme": "high_age", "month": "2026-09"}, headers=OFFICER2
    )
    assert finished.status_code == 201
    assert finished.json["opened_by"] == "officer"  # the preparer stays who began it
    assert finished.json["totals"] == {
        **json.loads(json.dumps(asdict(whole.totals))),
        "reconciles": True,
    }
    aged_80 = sum(1 for n in range(30) if 1930 + n <= 1946)  # by the end of 2026-09
    assert service.db["roll_lines"].count_documents({"cycle_id": whole.cycle_id}) == aged_80


def test_an_elder_known_after_the_roll_is_told_why_and_paid_back_in_the_next(client, service):
    opened(client)  # September, before allowances knew of her
    feed(service, elder_id="e-late", birth_date=date(1941, 3, 3))
    september = line_of(client, "high_age:2026-09", "e-late")
    assert (september["computed"], september["eligible"], september["reason"]) == (
        True,
        False,
        "not_on_roll",
    )
    assert september["detail"] == (
        "not on the roll frozen for 2026-09; owed months follow as back pay"
    )
    service.clock.move_to(datetime(2026, 10, 10, 2, tzinfo=UTC))
    opened(client, month="2026-10")
    october = line_of(client, "high_age:2026-10", "e-late")
    assert october["computed"] is False
    assert [(i["rule"], i["month"]) for i in october["items"]] == [
        ("high_age.band.80-89", "2026-10"),
        ("high_age.back_pay", "2026-09"),
    ]


def test_statements_rosters_and_community_scope(client, service):
    feed(service, elder_id="e-1", birth_date=date(1936, 9, 18))  # 90 in September
    feed(service, elder_id="e-2", birth_date=date(1930, 1, 1), community="c02")
    opened(client)
    statement = client.get("/elders/e-1/statement", headers=OFFICER).json
    assert statement["entitlements"][0]["status"] == "granted"
    assert statement["lines"][0]["items"][0]["rule"] == "high_age.band.80-89"
    roster = client.get("/rosters/90-plus/2026-09", headers=OFFICER).json
    assert roster["counts"] == {"aged_90_plus": 2, "turned_90": 1, "died": 0, "moved_out": 0}
    assert roster["turned_90"][0]["elder_id"] == "e-1"
    scoped = client.get("/rosters/90-plus/2026-09", headers=HEAD).json
    assert [e["elder_id"] for e in scoped["aged_90_plus"]] == ["e-2"]
    assert client.get("/elders/e-1/statement", headers=HEAD).status_code == 404
    lines = client.get("/cycles/high_age:2026-09/lines", headers=HEAD).json
    assert [line["elder_id"] for line in lines["items"]] == ["e-2"]
    other = client.get("/cycles/high_age:2026-09/lines?community=c01", headers=HEAD)
    assert other.status_code == 403
    workbook = client.get("/rosters/90-plus/2026-09?format=xlsx", headers=OFFICER)
    sheet = load_workbook(io.BytesIO(workbook.data))["By community"]
    assert list(sheet.iter_rows(values_only=True))[-1] == ("total", 2, 1, 0, 0)
    assert client.get("/rosters/90-plus/2026-13", headers=OFFICER).status_code == 422


def test_the_roster_is_shown_a_page_at_a_time_and_one_community_at_a_time(client, service):
    for n in range(5):
        community = "c01" if n < 3 else "c02"
        feed(service, elder_id=f"e-{n}", birth_date=date(1930, 1, 1 + n), community=community)
    feed(service, elder_id="e-9", birth_date=date(1936, 9, 18))  # turns 90 in September

    def roster(query, headers=OFFICER):
        return client.get(f"/rosters/90-plus/2026-09?{query}", headers=headers)

    first = roster("page_size=2").json
    assert first["counts"] == {"aged_90_plus": 6, "turned_90": 1, "died": 0, "moved_out": 0}
    assert (first["page"], first["page_size"]) == (1, 2)
    assert [e["elder_id"] for e in first["aged_90_plus"]] == ["e-0", "e-1"]
    assert [e["elder_id"] for e in first["turned_90"]] == ["e-9"]  # the changes stay whole
    assert first["by_community"]["c01"]["aged_90_plus"] == 4
    assert [e["elder_id"] for e in roster("page_size=2&page=3").json["aged_90_plus"]] == [
        "e-3",
        "e-4",
    ]
    assert roster("page_size=2&page=4").json["aged_90_plus"] == []
    assert "page" not in roster("").json and len(roster("").json["aged_90_plus"]) == 6
    c02 = roster("community=c02").json
    assert c02["counts"]["aged_90_plus"] == 2 and list(c02["by_community"]) == ["c02"]
    assert roster("community=c02", HEAD).json == c02
    refused = roster("community=c01", HEAD)
    assert refused.status_code == 403 and "c02" in refused.json["detail"]
    too_big = roster("page_size=101")
    assert too_big.status_code == 422 and "page_size" in too_big.json["errors"]
    workbook = client.get("/rosters/90-plus/2026-09?format=xlsx&page_size=2", headers=OFFICER)
    sheet = load_workbook(io.BytesIO(workbook.data))["By community"]
    assert list(sheet.iter_rows(values_only=True))[-1] == ("total", 6, 1, 0, 0)


def test_a_death_recorded_while_the_roll_is_computed_is_still_recovered(service):
    feed(service, elder_id="e-1", birth_date=date(1940, 1, 1))

    class DeathJustAfterTheRead(Projection):
        def each(self, query, ordered=True):
            read = list(super().each(query, ordered))
            if "birth_date" in query:  # the roll's read of those it concerns
                feed(
                    service,
                    "elder.deceased",
                    "e-1",
                    2,
                    birth_date=date(1940, 1, 1),
                    status="deceased",
                    died_on=date(2026, 8, 25),
                )
                # no line of the cycle yet to recover from: noted on the cycle
                assert service.db["overpayments"].count_documents({}) == 0
            return iter(read)

    racing = replace(service, elders=DeathJustAfterTheRead(service.db, "elders", Elder))
    cycle = open_cycle(racing, "high_age", "2026-09", "officer")
    assert service.lines.stops_noted(cycle.cycle_id) == ["e-1"]
    line = service.lines.get("high_age:2026-09:e-1")
    assert line.eligible and cycle.totals.payable_fen == 10_000  # paid on stale facts
    overpayment = service.overpayments.require("e-1:deceased:high_age:2026-09")
    assert (overpayment.amount_fen, overpayment.status) == (10_000, "open")


def test_every_money_input_has_an_upper_bound(client, service):
    """Fits a store's 64 bits, so the door lets it by; sums of it would not."""
    feed(service, birth_date=date(1940, 1, 1))
    huge = 2**62
    bands = [
        {"band": "80-89", "amount_fen": 10_000},
        {"band": "90-99", "amount_fen": huge},
        {"band": "100+", "amount_fen": 1_000_001},
    ]
    requests = [
        ("put", "/programmes/high-age", {"version": 0, "starts": "month_after", "amounts": bands}),
        ("put", "/programmes/home-care-vouchers", {"version": 0, "amount_fen": huge}),
        (
            "post",
            "/campaigns",
            {
                "campaign_id": "spring",
                "name": "春节",
                "festival_on": "2026-09-01",
                "amount_fen": huge,
            },
        ),
        (
            "post",
            "/adjustments",
            {"elder_id": "e-1", "month": "2026-08", "amount_fen": huge, "reason": "typo"},
        ),
        (
            "post",
            "/adjustments",
            {"elder_id": "e-1", "month": "2026-08", "amount_fen": -huge, "reason": "typo"},
        ),
        (
            "put",
            "/programmes/schedule",
            {"version": huge, "stops": "month_after", "report_due_day": 25},
        ),
    ]
    for method, path, body in requests:
        response = getattr(client, method)(path, json=body, headers=ADMIN)
        assert response.status_code == 422, (path, response.status_code, response.json)
        assert response.mimetype == "application/problem+json"
        if "amount_fen" in json.dumps(body):
            assert "10000.00 yuan at most" in json.dumps(response.json), response.json
    high_age = client.put("/programmes/high-age", json=requests[0][2], headers=ADMIN).json
    assert sorted(high_age["errors"]["amounts"]) == ["1", "2"]
    beyond_64_bits = {"elder_id": "e-1", "month": "2026-08", "amount_fen": 10**20, "reason": "x"}
    refused = client.post("/adjustments", json=beyond_64_bits, headers=OFFICER)
    assert refused.status_code == 422 and "amount_fen" in refused.json["detail"]
    at_the_ceiling = {
        "elder_id": "e-1",
        "month": "2026-08",
        "amount_fen": -1_000_000,
        "reason": "x",
    }
    assert client.post("/adjustments", json=at_the_ceiling, headers=OFFICER).status_code == 201
    assert client.get("/programmes", headers=OFFICER).json["version"] == 0
    assert service.db["campaigns"].count_documents({}) == 0
    assert service.db["adjustments"].count_documents({}) == 1


def test_a_deduction_from_a_living_elder_carries_forward_and_no_line_is_negative(client, service):
    feed(service, elder_id="e-owes", birth_date=date(1940, 1, 1))  # 100 yuan a month
    service.clock.move_to(datetime(2026, 8, 10, 2, tzinfo=UTC))
    advance(client, opened(client, month="2026-08")["cycle_id"], paid_on="2026-08-10")
    debt = {"elder_id": "e-owes", "month": "2026-08", "amount_fen": -25_000, "reason": "paid twice"}
    recorded = client.post("/adjustments", json=debt, headers=OFFICER).json
    amounts = []
    for month, day in (("2026-09", SEPTEMBER), ("2026-10", datetime(2026, 10, 10, 2, tzinfo=UTC))):
        service.clock.move_to(day)
        cycle = opened(client, month=month)
        assert cycle["totals"]["debtors"] == 0 and cycle["totals"]["to_recover_fen"] == 0
        line = client.get(f"/cycles/{cycle['cycle_id']}/lines?elder_id=e-owes", headers=OFFICER)
        amounts.append(line.json["items"][0]["amount_fen"])
        advance(client, cycle["cycle_id"], paid_on=f"{month}-10")
    assert amounts == [0, 0]  # 100 yuan paid, 100 deducted, twice
    owed = client.get("/adjustments?elder_id=e-owes", headers=OFFICER).json["items"][0]
    assert (owed["status"], owed["deducted_fen"], owed["outstanding_fen"]) == (
        "recovering",
        20_000,
        5_000,
    )
    assert owed["cycle_ids"] == ["high_age:2026-09", "high_age:2026-10"]
    file = client.get("/cycles/high_age:2026-10/payment-file", headers=OFFICER)
    assert "e-owes" not in file.data.decode("utf-8-sig")  # nothing to pay: not in the bank file
    service.clock.move_to(datetime(2026, 11, 10, 2, tzinfo=UTC))
    opened(client, month="2026-11")
    line = client.get("/cycles/high_age:2026-11/lines?elder_id=e-owes", headers=OFFICER).json
    items = [(i["rule"], i["amount_fen"]) for i in line["items"][0]["items"]]
    assert items == [("high_age.band.80-89", 10_000), ("adjustment.manual", -5_000)]
    done = client.get("/adjustments?elder_id=e-owes", headers=OFFICER).json["items"][0]
    assert (done["status"], done["outstanding_fen"]) == ("applied", 0)
    history = service.adjustments.history(recorded["adjustment_id"])
    assert [h["change"] for h in history] == [
        "adjustments.created",
        "adjustment.deducted",
        "adjustment.deducted",
        "adjustment.deducted",
    ]


def test_an_overpayment_is_settled_by_two_people_and_judged_by_the_paying_cycles_rule(
    client, service
):
    feed(service, elder_id="e-1", birth_date=date(1940, 1, 1))
    feed(service, elder_id="e-2", birth_date=date(1940, 1, 1))
    with_account(client, "e-1", "e-2")
    service.clock.move_to(datetime(2026, 8, 10, 2, tzinfo=UTC))
    advance(client, opened(client, month="2026-08")["cycle_id"], paid_on="2026-08-10")
    service.clock.move_to(SEPTEMBER)
    advance(client, opened(client)["cycle_id"], paid_on="2026-09-10")
    # The district pays no longer for the month of a death; September was paid under the old
    # rule (the month of death is paid), so only what that rule did not pay is owed.
    strict = {"version": 0, "stops": "event_month", "report_due_day": 25}
    assert client.put("/programmes/schedule", json=strict, headers=ADMIN).status_code == 200
    for elder_id, died_on in (("e-1", date(2026, 9, 2)), ("e-2", date(2026, 8, 20))):
        feed(
            service,
            "elder.deceased",
            elder_id,
            2,
            birth_date=date(1940, 1, 1),
            status="deceased",
            died_on=died_on,
        )
    owed = client.get("/overpayments", headers=OFFICER).json["items"]
    assert sorted((o["overpayment_id"], o["amount_fen"]) for o in owed) == [
        ("e-2:deceased:high_age:2026-09", 10_000)
    ]
    overpayment_id = owed[0]["overpayment_id"]
    path = f"/overpayments/{overpayment_id}/resolution"

    def post(suffix, body, headers):
        return client.post(path + suffix, json=body, headers=headers)

    assert post("", {"outcome": "recovered"}, OFFICER).status_code == 422  # no receipt
    assert post("/approve", {}, APPROVER).status_code == 409  # nothing proposed
    assert post("", {"outcome": "waived", "reason": "no estate"}, APPROVER).status_code == 403
    proposed = post("", {"outcome": "waived", "reason": "no estate"}, ADMIN)
    assert proposed.status_code == 200 and proposed.json["proposed_by"] == "admin"
    again = post("", {"outcome": "recovered", "receipt": "R", "received_on": "2026-09-10"}, OFFICER)
    assert again.status_code == 409
    own = post("/approve", {"note": "fine"}, ADMIN)
    assert own.status_code == 422 and "admin proposed this resolution" in own.json["detail"]
    assert post("/approve", {}, APPROVER).status_code == 422  # a waiver needs the reason
    assert post("/reject", {"note": "ask the son"}, OFFICER).status_code == 403
    rejected = post("/reject", {"note": "ask the son first"}, APPROVER).json
    assert (rejected["status"], rejected["decision_note"]) == ("open", "ask the son first")
    assert outbox_types(service, "overpayments", overpayment_id) == [
        "allowance.overpayment_detected"
    ]
    post("", {"outcome": "waived", "reason": "the son has nothing either"}, OFFICER)
    waived = post("/approve", {"note": "agreed, 低保 household"}, APPROVER).json
    assert (waived["status"], waived["outcome"], waived["decided_by"]) == (
        "waived",
        "waived",
        "approver",
    )
    assert outbox_types(service, "overpayments", overpayment_id) == [
        "allowance.overpayment_detected",
        "allowance.overpayment_resolved",
    ]
    changes = [h["change"] for h in service.overpayments.history(overpayment_id)]
    assert changes == [
        "allowance.overpayment_detected",
        "overpayment.resolution_proposed",
        "overpayment.resolution_rejected",
        "overpayment.resolution_proposed",
        "overpayment.resolved",
    ]


def test_a_payee_account_is_registered_by_an_officer_and_masked_wherever_it_is_not_needed(
    client, service
):
    feed(service, elder_id="e-1", birth_date=date(1940, 1, 1))
    number = "6222021234567890123"
    account = {
        "version": 0,
        "kind": "bank_account",
        "bank": "工商银行新华路支行",
        "number": "6222 0212 3456 7890 123",
        "holder": "王秀英",
    }
    path = "/elders/e-1/payee-account"
    assert client.get(path, headers=OFFICER).status_code == 404
    assert client.put(path, json=account, headers=APPROVER).status_code == 403
    assert client.put(path, json=account, headers=HEAD).status_code == 403
    assert client.put("/elders/e-9/payee-account", json=account, headers=OFFICER).status_code == 404
    wrong = client.put(path, json={**account, "number": "62220212"}, headers=OFFICER)
    assert wrong.status_code == 422 and "10 to 30 digits" in wrong.json["detail"]
    assert "62220212" not in json.dumps(wrong.json)
    registered = client.put(path, json=account, headers=OFFICER)
    assert registered.status_code == 200 and registered.json["number"] == number
    stale = client.put(path, json={**account, "holder": "王强"}, headers=OFFICER)
    assert stale.status_code == 409 and stale.json["current_version"] == 1
    changed = client.put(path, json={**account, "version": 1, "holder": "王强"}, headers=ADMIN)
    assert (changed.json["holder"], changed.json["version"]) == ("王强", 2)

    assert client.get(path, headers=OFFICER).json["number"] == number
    assert client.get(path, headers=ADMIN).json["number"] == number
    assert client.get(path, headers=APPROVER).json["number"] == "6222***********0123"
    assert client.get(path, headers=HEAD).status_code == 403
    listed = client.get("/payee-accounts", headers=OFFICER).json
    assert [(a["elder_id"], a["number"]) for a in listed["items"]] == [
        ("e-1", "6222***********0123")
    ]
    history = service.payees.history("e-1")
    assert [h["change"] for h in history] == ["payee_accounts.created", "payee_accounts.changed"]
    assert history[1]["after"]["holder"] == "王强" and "number" not in history[1]["after"]
    trail = client.get("/audit?elder_id=e-1", headers=ADMIN).json
    assert number not in json.dumps(trail)

    # No event anywhere in the service carries the number.
    opened(client)
    advance(client, "high_age:2026-09", until="export")
    for name in service.db.list_collection_names():
        for document in service.db[name].find({OUTBOX: {"$exists": True}}):
            assert number not in json.dumps(document.get(OUTBOX, []), default=str), name
    file = client.get("/cycles/high_age:2026-09/payment-file", headers=OFFICER)
    assert number in file.data.decode("utf-8-sig")  # the bank needs it


def test_a_payment_withheld_for_want_of_an_account_is_not_an_overpayment(client, service):
    feed(service, elder_id="e-1", birth_date=date(1940, 1, 1))
    service.clock.move_to(datetime(2026, 8, 10, 2, tzinfo=UTC))
    advance(client, opened(client, month="2026-08")["cycle_id"], paid_on="2026-08-10")
    account = {
        "version": 0,
        "kind": "bank_account",
        "bank": "工商银行",
        "number": "6222021234567890123",
        "holder": "王秀英",
    }
    assert client.put("/elders/e-1/payee-account", json=account, headers=OFFICER).status_code == 200
    service.clock.move_to(SEPTEMBER)
    advance(client, opened(client)["cycle_id"], paid_on="2026-09-10")
    august = client.get("/cycles/high_age:2026-08/payment-exceptions", headers=OFFICER).json
    assert [(e["elder_id"], e["reason"]) for e in august["exceptions"]] == [("e-1", "no_account")]
    feed(
        service,
        "elder.deceased",
        "e-1",
        2,
        birth_date=date(1940, 1, 1),
        status="deceased",
        died_on=date(2026, 7, 20),
    )
    owed = client.get("/overpayments?elder_id=e-1", headers=OFFICER).json["items"]
    assert [(o["cycle_id"], o["amount_fen"]) for o in owed] == [("high_age:2026-09", 10_000)]


def test_a_deduction_left_when_the_elder_dies_is_collected_as_a_receivable(client, service):
    feed(service, elder_id="e-owes", birth_date=date(1940, 1, 1))
    with_account(client, "e-owes")
    debt = {"elder_id": "e-owes", "month": "2026-08", "amount_fen": -25_000, "reason": "paid twice"}
    recorded = client.post("/adjustments", json=debt, headers=OFFICER).json
    advance(client, opened(client)["cycle_id"], paid_on="2026-09-10")  # 100 yuan taken
    feed(
        service,
        "elder.deceased",
        "e-owes",
        2,
        birth_date=date(1940, 1, 1),
        status="deceased",
        died_on=date(2026, 9, 20),
    )
    owed = client.get("/overpayments?elder_id=e-owes", headers=OFFICER).json["items"]
    receivable_id = f"e-owes:deceased:adjustment:{recorded['adjustment_id']}"
    assert [(o["overpayment_id"], o["amount_fen"], o["status"]) for o in owed] == [
        (receivable_id, 15_000, "open")
    ]
    assert outbox_types(service, "overpayments", receivable_id) == [
        "allowance.overpayment_detected"
    ]
    stopped = client.get("/adjustments?elder_id=e-owes", headers=OFFICER).json["items"][0]
    assert (stopped["status"], stopped["deducted_fen"], stopped["outstanding_fen"]) == (
        "receivable",
        10_000,
        15_000,
    )
    # Recorded after the death: a receivable at once, never a deduction.
    late = {"elder_id": "e-owes", "month": "2026-09", "amount_fen": -3_000, "reason": "fee"}
    answered = client.post("/adjustments", json=late, headers=OFFICER)
    assert answered.status_code == 201 and answered.json["status"] == "receivable"
    assert client.get("/overpayments?elder_id=e-owes", headers=OFFICER).json["total"] == 2

    service.clock.move_to(datetime(2026, 10, 10, 2, tzinfo=UTC))
    opened(client, month="2026-10")
    line = line_of(client, "high_age:2026-10", "e-owes")
    assert (line["reason"], line["items"]) == ("deceased", [])
