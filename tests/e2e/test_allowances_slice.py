"""Allowances over HTTP through the real processes: an elder registered in intake is paid by a
cycle that goes from open to paid, into the payee account registered for them; a death recorded
in intake afterwards becomes an exact overpayment, announced on the allowances topic."""

import csv
import io
import json
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from staff import E2E_STAFF, add_staff, e2e_headers

from devstack.processes import stop
from devstack.stack import intake_store, service_env, start_api, start_worker
from services.intake.domain.national_id import check_character
from shared.events import Topics

SERVICES = ("intake", "allowances")


E2E = e2e_headers()


def auth(token: str) -> dict:
    return E2E[token]


CLERK, OFFICER, APPROVER = auth("dev-clerk"), auth("dev-officer"), auth("dev-approver")


@pytest.fixture(scope="module")
def system(infra, run_dir, ports):
    for service in SERVICES:
        env = service_env(service, infra, ports, KAFKA_SESSION_TIMEOUT_MS="6000")
        start_worker(run_dir, service, env)
        start_api(run_dir, service, ports.apis[service], env)
    add_staff(intake_store(infra, ports), E2E_STAFF)
    yield {name: f"http://127.0.0.1:{ports.apis[name]}" for name in SERVICES}
    for service in SERVICES:
        stop(f"{service}-api", run_dir)
        stop(f"{service}-worker", run_dir)


def eventually(check, timeout: float = 45):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.3)


def test_an_elder_is_paid_and_a_later_death_is_recovered(system, topic_reader):
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    month = f"{today:%Y-%m}"
    born = date(1944, 3, 7)
    first17 = f"330281{born:%Y%m%d}002"  # an even sequence: female
    registration = {
        "national_id": first17 + check_character(first17),
        "name": "孙桂珍",
        "sex": "female",
        "birth_date": born.isoformat(),
        "community": "c01",
        "address": f"新华路{first17[-6:]}号",
    }
    created = requests.post(
        f"{system['intake']}/elders", json=registration, headers=CLERK, timeout=10
    )
    assert created.status_code == 201, created.text
    elder_id = created.json()["elder_id"]
    allowances = system["allowances"]
    known = eventually(
        lambda: requests.get(f"{allowances}/elders/{elder_id}", headers=OFFICER, timeout=10).ok
    )
    assert known, "the elder never reached allowances"

    opened = requests.post(
        f"{allowances}/cycles",
        json={"programme": "high_age", "month": month},
        headers=OFFICER,
        timeout=60,
    )
    assert opened.status_code == 201, opened.text
    cycle_id = opened.json()["cycle_id"]
    line = requests.get(
        f"{allowances}/cycles/{cycle_id}/lines?elder_id={elder_id}", headers=OFFICER, timeout=10
    ).json()["items"][0]
    assert (line["eligible"], line["band"], line["amount_fen"]) == (True, "80-89", 10_000)
    account = {
        "version": 0,
        "kind": "social_security_card",
        "bank": "宁波银行",
        "number": "A12345678",
        "holder": "孙桂珍",
    }
    registered = requests.put(
        f"{allowances}/elders/{elder_id}/payee-account", json=account, headers=OFFICER, timeout=10
    )
    assert registered.status_code == 200, registered.text
    for step, headers, body in [
        ("review", OFFICER, {"note": "checked against the register"}),
        ("approve", APPROVER, None),
        ("export", OFFICER, None),
    ]:
        response = requests.post(
            f"{allowances}/cycles/{cycle_id}/{step}", json=body, headers=headers, timeout=30
        )
        assert response.status_code == 200, (step, response.text)
    own = requests.post(f"{allowances}/cycles/{cycle_id}/approve", headers=APPROVER, timeout=10)
    assert own.status_code == 409
    file = requests.get(f"{allowances}/cycles/{cycle_id}/payment-file", headers=OFFICER, timeout=30)
    rows = list(csv.DictReader(io.StringIO(file.content.decode("utf-8-sig"))))
    assert any(
        (r["elder_id"], r["amount_fen"], r["account_number"]) == (elder_id, "10000", "A12345678")
        for r in rows
    )
    paid = requests.post(
        f"{allowances}/cycles/{cycle_id}/paid",
        json={"paid_on": today.isoformat()},
        headers=OFFICER,
        timeout=10,
    )
    assert paid.json()["state"] == "paid"

    # The death, on the last day of last month, is recorded only now: this month was overpaid.
    died_on = today.replace(day=1) - timedelta(days=1)
    death = requests.post(
        f"{system['intake']}/elders/{elder_id}/death",
        json={"version": 1, "died_on": died_on.isoformat(), "reported_by": "civil affairs"},
        headers=CLERK,
        timeout=10,
    )
    assert death.status_code == 200, death.text

    def overpayments():
        found = requests.get(
            f"{allowances}/overpayments?elder_id={elder_id}", headers=OFFICER, timeout=10
        ).json()
        return found["items"]

    found = eventually(overpayments)
    assert [(o["cycle_id"], o["amount_fen"], o["cause"]) for o in found] == [
        (cycle_id, 10_000, "deceased")
    ]

    def announced():
        return [
            json.loads(r.value)["type"]
            for r in topic_reader(Topics.ALLOWANCES)
            if r.key == elder_id.encode()
        ]

    types = eventually(lambda: "allowance.overpayment_detected" in announced() and announced())
    # Each once. Events of different records (entitlement, overpayment) are in order per
    # record, not across records, so their order on the topic is not asserted.
    assert sorted(types) == [
        "allowance.granted",
        "allowance.overpayment_detected",
        "allowance.suspended",
    ]
