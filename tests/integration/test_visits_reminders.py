"""Reminders against real HTTP receivers on loopback and the real store: one message per cause
whatever runs again (a restart, a replayed event), a signature the receiver can verify, quiet
hours that hold all but the urgent, and a receiver that keeps failing ends as failed in the
log while the duty carries on."""

import hashlib
import hmac
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from test_visits_support import (
    ADMIN,
    HEAD,
    NOW,
    OPERATOR,
    VISITOR,
    configure,
    handle,
    incident_event,
)
from test_visits_support import register as known

from services.visits.bootstrap import bootstrap
from services.visits.entrypoints.app import create_app
from services.visits.service_layer import help_requests
from services.visits.service_layer.reminders import remind
from shared.clock import FixedClock
from shared.events import new_event
from shared.reminder_channels import SmsGateway, Webhook, WeComRobot

pytest_plugins = ["test_visits_support", "reminder_receivers"]  # visits, client, receivers
KEY = "webhook-signing-key"
SHANGHAI = ZoneInfo("Asia/Shanghai")
HOUR = timedelta(hours=1)


def with_channels(visits, receivers, at: datetime):
    channels = (
        Webhook(receivers["webhook"].url, KEY),
        WeComRobot(receivers["wecom"].url),
        SmsGateway(receivers["sms"].url, "sms-key", "街道养老服务", "SMS_0001"),
    )
    return replace(visits, clock=FixedClock(at), channels=channels)


def rules(client, **changes):
    body = {"due_within_hours": 24, "phones": {"wang": "13800138000"}, **changes}
    answer = client.put("/config/reminders", json=body, headers=ADMIN)
    assert answer.status_code == 200, answer.json
    return answer.json


def test_one_message_per_cause_signed_through_a_restart_and_a_replayed_event(
    visits, client, receivers, settings
):
    configure(client)  # xinhua: worker wang, head li
    assert rules(client)["reminders"]["phones"] == {"wang": "138****8000"}
    known(visits, "e-1", name="张桂英")
    admitted = incident_event(visits, "adm-1", "e-1", "hospitalised", NOW - 2 * HOUR)  # due +70 h
    handle(visits, admitted)
    assert remind(with_channels(visits, receivers, NOW)).created == 0  # not due within 24 h

    soon = with_channels(visits, receivers, NOW + 50 * HOUR)
    first = remind(soon)
    assert (first.created, first.sent) == (1, 1)
    [hook] = receivers["webhook"].bodies()
    assert (hook["cause"], hook["recipients"], hook["subject"]) == (
        "due_soon",
        ["wang"],
        "incident:adm-1",
    )
    assert "张桂英" in hook["text"] and "生病住院" in hook["text"]
    headers, body = receivers["webhook"].received[0]
    stamp = headers["X-Eldercare-Timestamp"]
    expected = hmac.new(KEY.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert headers["X-Eldercare-Signature"] == f"sha256={expected}"
    [robot] = receivers["wecom"].bodies()
    assert robot["msgtype"] == "text" and robot["text"]["mentioned_list"] == ["wang"]
    assert robot["text"]["mentioned_mobile_list"] == ["13800138000"]
    [text] = receivers["sms"].bodies()
    assert (text["PhoneNumbers"], text["SignName"]) == ("13800138000", "街道养老服务")
    assert receivers["sms"].received[0][0]["Authorization"] == "Bearer sms-key"

    assert remind(soon).created == 0  # the next pass
    restarted = with_channels(bootstrap(settings, FixedClock(NOW)), receivers, NOW + 51 * HOUR)
    handle(restarted, admitted)  # the event delivered again
    assert remind(restarted) == remind(soon)  # nothing new, nothing sent
    assert len(receivers["webhook"].received) == 1

    late = remind(with_channels(visits, receivers, NOW + 71 * HOUR))
    assert (late.created, late.sent) == (1, 1)
    overdue = receivers["webhook"].bodies()[-1]
    assert (overdue["cause"], overdue["recipients"]) == ("overdue", ["wang", "li"])

    log = client.get("/reminders?status=sent", headers=OPERATOR).json
    assert [r["cause"] for r in log["items"]] == ["overdue", "due_soon"]
    assert [d["channel"] for d in log["items"][1]["deliveries"]] == ["webhook", "wecom", "sms"]
    assert client.get("/reminders", headers=HEAD).status_code == 200


def test_quiet_hours_hold_all_but_the_urgent(visits, client, receivers):
    configure(client)
    rules(client, quiet_from="22:00", quiet_until="07:00")
    known(visits, "e-1", name="张桂英")
    handle(visits, incident_event(visits, "adm-2", "e-1", "family_accident", NOW))  # 48 h
    night = datetime(2026, 11, 30, 23, 0, tzinfo=SHANGHAI)  # 30 h after NOW: due in 18 h
    help_requests.receive(  # at 20:00, to be answered within 2 hours; nobody did
        replace(visits, clock=FixedClock(night - 3 * HOUR)),
        "call-1",
        by="admin",
        elder_id="e-1",
        channel="hotline",
        urgency="urgent",
        description="老人摔倒，无人照料",
    )

    at_night = remind(with_channels(visits, receivers, night))
    assert (at_night.created, at_night.sent, at_night.held) == (2, 1, 1)
    assert [b["cause"] for b in receivers["webhook"].bodies()] == ["unanswered"]
    assert receivers["webhook"].bodies()[0]["urgent"] is True
    held = client.get("/reminders?cause=due_soon", headers=OPERATOR).json["items"][0]
    assert (held["status"], held["next_at"]) == ("pending", "2026-11-30T23:00:00+00:00")

    morning = remind(with_channels(visits, receivers, night + 8 * HOUR + timedelta(minutes=1)))
    assert morning.sent == 1
    assert [b["cause"] for b in receivers["webhook"].bodies()] == ["unanswered", "due_soon"]


def test_a_receiver_that_keeps_failing_ends_as_failed_and_the_duty_carries_on(
    visits, client, receivers
):
    configure(client)
    rules(client)
    receivers["webhook"].status = 500
    receivers["webhook"].answer = {"error": "down"}
    known(visits, "e-1", name="张桂英")
    handle(visits, incident_event(visits, "adm-3", "e-1", "family_accident", NOW))  # 48 h
    at = NOW + 30 * HOUR
    outcomes = []
    for _ in range(5):  # each try after the wait the last one set (1, 2, 4, 8 minutes)
        outcomes.append(remind(with_channels(visits, receivers, at)))
        at += timedelta(hours=1)
    assert [(o.retrying, o.failed) for o in outcomes] == [(1, 0)] * 4 + [(0, 1)]
    assert len(receivers["webhook"].received) == 5
    failed = client.get("/reminders?status=failed", headers=OPERATOR).json["items"]
    [reminder] = failed
    assert reminder["attempts"] == 5
    webhook_tries = [d for d in reminder["deliveries"] if d["channel"] == "webhook"]
    assert len(webhook_tries) == 5 and webhook_tries[-1]["detail"].startswith("HTTP 500")
    assert all(d["ok"] for d in reminder["deliveries"] if d["channel"] != "webhook")
    assert len(receivers["wecom"].received) == 1, "what took it once is not sent it again"

    receivers["webhook"].status = 200
    handle(visits, incident_event(visits, "adm-4", "e-1", "worries", NOW + 30 * HOUR))  # 120 h
    later = remind(with_channels(visits, receivers, NOW + 130 * HOUR))  # due in 20 h
    assert (later.created, later.sent, later.failed) == (2, 2, 0)  # adm-4 soon, adm-3 overdue
    assert remind(with_channels(visits, receivers, NOW + 131 * HOUR)).failed == 0


def contact_changed(visits, username: str, mobile: str | None, version: int):
    data = {"username": username, "mobile": mobile, "contact_version": version}
    return new_event(
        "staff.contact_changed",
        username,
        data,
        source="urn:test:intake",
        district=visits.settings.district,
        at=NOW,
    )


def test_text_messages_go_to_the_numbers_the_staff_accounts_carry(visits, client, receivers):
    configure(client)  # xinhua: worker wang, head li
    rules(client)  # wang: 13800138000 in the district's rules; li: none there
    assert handle(visits, contact_changed(visits, "li", "13900139000", 1))
    assert not handle(visits, contact_changed(visits, "li", "13700137000", 1)), "delivered twice"
    known(visits, "e-1", name="张桂英")
    handle(visits, incident_event(visits, "adm-1", "e-1", "hospitalised", NOW - 2 * HOUR))

    remind(with_channels(visits, receivers, NOW + 71 * HOUR))  # overdue: to wang and li
    [overdue] = [t for t in receivers["sms"].bodies() if t["OutId"].startswith("overdue")]
    assert overdue["PhoneNumbers"] == "13800138000,13900139000"

    # the account's number is preferred to the rules'; one taken away leaves the rules'
    assert handle(visits, contact_changed(visits, "wang", "13600136000", 1))
    assert handle(visits, contact_changed(visits, "li", None, 2))
    known(visits, "e-2", name="李淑珍")
    handle(visits, incident_event(visits, "adm-2", "e-2", "hospitalised", NOW))
    remind(with_channels(visits, receivers, NOW + 73 * HOUR))
    [second] = [t for t in receivers["sms"].bodies() if t["OutId"] == "overdue:incident:adm-2"]
    assert second["PhoneNumbers"] == "13600136000"


def test_a_reminder_held_through_the_night_is_withdrawn_once_the_work_is_done(
    visits, client, receivers
):
    configure(client)
    rules(client, quiet_from="22:00", quiet_until="07:00")
    known(visits, "e-1", name="张桂英")
    handle(visits, incident_event(visits, "adm-3", "e-1", "family_accident", NOW))  # 48 h
    night = datetime(2026, 11, 30, 23, 0, tzinfo=SHANGHAI)  # due in 18 h: reminded, held
    assert remind(with_channels(visits, receivers, night)).held == 1
    # the visit is made at first light, before the quiet hours end
    dawn = replace(visits, clock=FixedClock(night + 7 * HOUR))
    record = {"visit_id": "v-dawn", "elder_id": "e-1", "visitor": "wang",
              "visited_at": (night + 6 * HOUR).isoformat(), "kind": "home"}  # fmt: skip
    app = create_app(dawn).test_client()
    made = app.post("/visits", json=record, headers=VISITOR)
    assert made.status_code == 201, made.json
    [work] = app.get("/obligations?elder_id=e-1", headers=HEAD).json["items"]
    done = app.post(
        f"/obligations/{work['obligation_id']}/complete",
        json={"visit_id": "v-dawn"},
        headers=VISITOR,
    )
    assert done.status_code == 200, done.json

    morning = remind(with_channels(visits, receivers, night + 8 * HOUR + timedelta(minutes=1)))
    assert (morning.sent, morning.withdrawn) == (0, 1)
    assert receivers["webhook"].bodies() == []  # nobody is told of a visit already made
    log = client.get("/reminders?status=withdrawn", headers=OPERATOR).json["items"]
    assert [r["cause"] for r in log] == ["due_soon"]
