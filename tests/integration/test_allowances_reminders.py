"""Reminders of the month's cycles through allowances' API on the real store: the rules set
by the district administrator, a pass of the duty, and the log, kept even where no channel is
configured yet."""

from datetime import UTC, datetime

import pytest
from staff import staff_headers

from services.allowances.bootstrap import bootstrap
from services.allowances.entrypoints.app import create_app
from shared.clock import FixedClock

STAFF = staff_headers("admin:admin:district_admin,op:op:operator,officer:wu:allowance_officer")
ADMIN, OPERATOR, OFFICER = STAFF["admin"], STAFF["op"], STAFF["officer"]
TWENTY_SECOND = datetime(2026, 9, 22, 2, tzinfo=UTC)  # the 25th is three days away


@pytest.fixture
def client(settings):
    allowances = bootstrap(settings, FixedClock(TWENTY_SECOND))
    yield create_app(allowances).test_client()
    allowances.db.client.drop_database(allowances.db.name)


def test_the_rules_a_pass_and_the_log(client):
    rules = {
        "version": 0,
        "quiet_from": "22:00",
        "quiet_until": "07:00",
        "to": ["wu"],
        "phones": {"wu": "13900139000"},
    }
    answer = client.put("/programmes/reminders", json=rules, headers=ADMIN)
    assert answer.status_code == 200, answer.json
    assert answer.json["reminders"]["to"] == ["wu"]
    assert answer.json["reminders"]["phones"] == {"wu": "139****9000"}
    stale = client.put("/programmes/reminders", json=rules, headers=ADMIN)
    assert stale.status_code == 409  # the configuration moved on from version 0
    wrong = client.put(
        "/programmes/reminders", json={**rules, "version": 1, "quiet_from": "25:00"}, headers=ADMIN
    )
    assert wrong.status_code == 422 and "quiet_from" in str(wrong.json)

    ran = client.post("/jobs/reminders", headers=OPERATOR)
    assert ran.status_code == 200, ran.json
    assert ran.json["created"] == 2 and ran.json["sent"] == 0  # no channel configured here
    assert client.post("/jobs/reminders", headers=OPERATOR).json["created"] == 0
    log = client.get("/reminders?cause=cycle_due", headers=OFFICER).json
    assert sorted(r["subject"] for r in log["items"]) == [
        "high_age:2026-09",
        "home_care_voucher:2026-09",
    ]
    assert {tuple(r["recipients"]) for r in log["items"]} == {("wu",)}
    assert all(r["status"] == "pending" for r in log["items"])
    assert client.get("/reminders", headers=STAFF["admin"]).status_code == 200
