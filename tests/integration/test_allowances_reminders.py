"""Reminders of the month's cycles through allowances' API on the real store: the rules set
by the district administrator, a pass of the duty, and the log, kept even where no channel is
configured yet; then against real HTTP receivers on loopback: one signed message per cycle and
cause through a restart, and quiet hours that hold a late cycle's reminder until morning."""

import hashlib
import hmac
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from staff import staff_headers

from services.allowances.bootstrap import bootstrap
from services.allowances.entrypoints.app import create_app
from services.allowances.service_layer.reminders import remind
from shared.clock import FixedClock
from shared.reminder_channels import SmsGateway, Webhook, WeComRobot

pytest_plugins = ["reminder_receivers"]  # the fixture `receivers`
KEY = "webhook-signing-key"

STAFF = staff_headers("admin:admin:district_admin,op:op:operator,officer:wu:allowance_officer")
ADMIN, OPERATOR, OFFICER = STAFF["admin"], STAFF["op"], STAFF["officer"]
TWENTY_SECOND = datetime(2026, 9, 22, 2, tzinfo=UTC)  # the 25th is three days away


@pytest.fixture
def allowances(settings):
    allowances = bootstrap(settings, FixedClock(TWENTY_SECOND))
    yield allowances
    allowances.db.client.drop_database(allowances.db.name)


@pytest.fixture
def client(allowances):
    return create_app(allowances).test_client()


def with_channels(allowances, receivers, at: datetime):
    channels = (
        Webhook(receivers["webhook"].url, KEY),
        WeComRobot(receivers["wecom"].url),
        SmsGateway(receivers["sms"].url, "sms-key", "街道养老服务", "SMS_0001"),
    )
    return replace(allowances, clock=FixedClock(at), channels=channels)


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


def test_each_cycle_is_reminded_once_per_cause_signed_and_quiet_at_night(
    allowances, client, receivers, settings
):
    rules = {"quiet_from": "22:00", "quiet_until": "07:00", "to": ["wu"]}
    rules["phones"] = {"wu": "13900139000"}
    answer = client.put("/programmes/reminders", json={**rules, "version": 0}, headers=ADMIN)
    assert answer.status_code == 200, answer.json

    due = remind(with_channels(allowances, receivers, TWENTY_SECOND))  # 10:00 in Shanghai
    assert (due.created, due.sent, due.held) == (2, 2, 0)
    hooks = receivers["webhook"].bodies()
    assert sorted(h["subject"] for h in hooks) == ["high_age:2026-09", "home_care_voucher:2026-09"]
    assert {(h["cause"], tuple(h["recipients"]), h["urgent"]) for h in hooks} == {
        ("cycle_due", ("wu",), False)
    }
    assert any("高龄津贴2026年9月发放名册及月报表应于2026-09-25前报送" in h["text"] for h in hooks)
    for headers, body in receivers["webhook"].received:
        stamp = headers["X-Eldercare-Timestamp"]
        signed = hmac.new(KEY.encode(), stamp.encode() + b"." + body, hashlib.sha256)
        assert headers["X-Eldercare-Signature"] == f"sha256={signed.hexdigest()}"
    assert [t["PhoneNumbers"] for t in receivers["sms"].bodies()] == ["13900139000"] * 2
    assert len(receivers["wecom"].received) == 2

    restarted = bootstrap(settings, FixedClock(TWENTY_SECOND))
    again = remind(with_channels(restarted, receivers, TWENTY_SECOND + timedelta(hours=1)))
    assert (again.created, again.sent) == (0, 0)  # once per cause, whatever runs again
    assert len(receivers["webhook"].received) == 2

    night = datetime(2026, 9, 26, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai, the day after
    late = remind(with_channels(allowances, receivers, night))
    assert (late.created, late.sent, late.held) == (2, 0, 2)  # not urgent: it waits
    assert len(receivers["webhook"].received) == 2
    morning = remind(with_channels(allowances, receivers, night + timedelta(hours=8)))
    assert (morning.created, morning.sent) == (0, 2)
    assert [h["cause"] for h in receivers["webhook"].bodies()[2:]] == ["cycle_late"] * 2
    log = client.get("/reminders?cause=cycle_late&status=sent", headers=OFFICER).json
    assert log["total"] == 2
    assert {d["channel"] for r in log["items"] for d in r["deliveries"]} == {
        "webhook",
        "wecom",
        "sms",
    }
