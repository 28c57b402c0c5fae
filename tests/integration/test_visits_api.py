"""Visits' API on the real store, with a fixed clock: obligations, visits, services, help
requests, pairings, campaigns and configuration, and the problems bad requests get."""

from datetime import UTC, datetime, timedelta

import pytest
from test_visits_support import (
    ADMIN,
    CLERK,
    DONGFENG_HEAD,
    DONGFENG_VISITOR,
    HEAD,
    NOW,
    OPERATOR,
    VISITOR,
    configure,
    pending_events,
    register,
    report,
)

from shared.events import event_type
from shared.events.envelope import decode
from shared.outbox import OUTBOX

HOUR = timedelta(hours=1)

pytest_plugins = ["test_visits_support"]  # the fixtures `visits` and `client`


def at(response_value: str) -> datetime:
    return datetime.fromisoformat(response_value)


def record_visit(client, elder_id="e-1", headers=VISITOR, **extra):
    body = {"elder_id": elder_id, "visited_at": NOW.isoformat(), "kind": "home"}
    return client.post("/visits", json=body | extra, headers=headers)


def test_a_must_visit_reported_by_staff_is_due_by_its_deadline_and_assigned(client, visits):
    register(visits, "e-1")
    configure(client)
    created = report(client, incident_id="hosp-77", reference="住院号 3301", note="肺炎")
    assert created.status_code == 201, created.json
    obligation = created.json
    assert obligation["obligation_id"] == "incident:hosp-77"
    assert at(obligation["due_at"]) == NOW - HOUR + 72 * HOUR
    assert (obligation["assignee"], obligation["community"]) == ("wang", "xinhua")
    assert (obligation["reported_by"], obligation["status"]) == ("wang", "open")
    assert pending_events(visits, "obligations", "incident:hosp-77") == ["obligation.created"]

    again = report(client, incident_id="hosp-77")
    assert again.status_code == 409
    assert again.json["obligation_id"] == "incident:hosp-77"
    listed = client.get("/obligations", query_string={"elder_id": "e-1"}, headers=VISITOR).json
    assert listed["total"] == 1


def test_bad_requests_get_clear_problems(client, visits):
    register(visits, "e-1")
    obligation_id = report(client).json["obligation_id"]

    unknown_elder = report(client, elder_id="nobody")
    assert unknown_elder.status_code == 404
    assert unknown_elder.headers["Content-Type"] == "application/problem+json"
    assert "nobody" in unknown_elder.json["detail"]

    unknown_trigger = report(client, trigger="bored")
    assert unknown_trigger.status_code == 422
    assert "trigger" in unknown_trigger.json["errors"]

    no_visit = client.post(f"/obligations/{obligation_id}/complete", json={}, headers=VISITOR)
    assert no_visit.status_code == 422
    assert no_visit.json["errors"]["visit_id"] == [
        "An obligation is met only by a visit record: give visit_id."
    ]
    unknown_visit = client.post(
        f"/obligations/{obligation_id}/complete", json={"visit_id": "v-x"}, headers=VISITOR
    )
    assert unknown_visit.status_code == 404
    assert "No visit with id 'v-x'" in unknown_visit.json["detail"]

    future = record_visit(client, visited_at=(NOW + HOUR).isoformat(), meets=[obligation_id])
    assert future.status_code == 422
    assert "in the future" in future.json["detail"]
    assert future.json["field"] == "visited_at"

    assert report(client, occurred_at=NOW + HOUR).status_code == 422
    assert record_visit(client, elder_id="nobody").status_code == 404
    assert client.get("/obligations/none", headers=VISITOR).status_code == 404
    assert client.get("/obligations", headers={}).status_code == 401
    assert client.get("/obligations", headers=CLERK).status_code == 403
    assert (
        client.post(
            f"/obligations/{obligation_id}/cancel", json={"reason": "x"}, headers=VISITOR
        ).status_code
        == 403
    )
    untouched = client.get(f"/obligations/{obligation_id}", headers=VISITOR).json
    assert untouched["status"] == "open" and untouched["version"] == 1


def test_a_visit_meets_work_counts_its_services_and_opens_work_for_what_it_found(client, visits):
    register(visits, "e-1")
    obligation_id = report(client).json["obligation_id"]
    body = {
        "visit_id": "v-1",
        "kind": "hospital",
        "findings": "住院费用有困难",
        "new_triggers": ["hardship"],
        "services": [{"service_type": "medical"}, {"service_type": "errands", "instances": 2}],
        "follow_up": "联系民政申请临时救助",
        "meets": [obligation_id],
    }
    created = record_visit(client, **body)
    assert created.status_code == 201, created.json
    assert created.json["visitor"] == "wang" and created.json["community"] == "xinhua"

    met = client.get(f"/obligations/{obligation_id}", headers=VISITOR).json
    assert (met["status"], met["visit_id"], met["on_time"]) == ("met", "v-1", True)
    finding = client.get("/obligations/finding:v-1:hardship", headers=VISITOR).json
    assert finding["trigger"] == "hardship" and finding["source"] == "visit:v-1"
    assert at(finding["due_at"]) == NOW + 72 * HOUR
    services = client.get("/services", query_string={"elder_id": "e-1"}, headers=VISITOR).json
    assert sorted((s["service_type"], s["instances"]) for s in services["items"]) == [
        ("errands", 2),
        ("medical", 1),
    ]
    assert {s["visit_id"] for s in services["items"]} == {"v-1"}
    follow_ups = client.get("/visits", query_string={"follow_up": "true"}, headers=VISITOR).json
    assert [v["visit_id"] for v in follow_ups["items"]] == ["v-1"]
    none_left = client.get("/visits", query_string={"follow_up": "false"}, headers=VISITOR).json
    assert none_left["total"] == 0

    retried = record_visit(client, **body)  # the same request again: nothing doubles
    assert retried.status_code == 201
    assert client.get("/services", headers=VISITOR).json["total"] == 2
    assert client.get("/obligations", headers=VISITOR).json["total"] == 2
    reused = record_visit(client, **(body | {"kind": "home"}))
    assert reused.status_code == 409


def test_only_an_in_person_visit_to_the_same_elder_meets_an_obligation(client, visits):
    register(visits, "e-1")
    register(visits, "e-2")
    obligation_id = report(client).json["obligation_id"]
    phone = record_visit(client, kind="phone", meets=[obligation_id])
    assert phone.status_code == 422 and "phone call" in phone.json["detail"]
    assert client.get("/visits", headers=VISITOR).json["total"] == 0  # refused: nothing stored

    other = record_visit(client, elder_id="e-2", visit_id="v-2").json
    wrong = client.post(
        f"/obligations/{obligation_id}/complete",
        json={"visit_id": other["visit_id"]},
        headers=VISITOR,
    )
    assert wrong.status_code == 422 and "another elder" in wrong.json["detail"]

    visit = record_visit(client, visit_id="v-1").json
    done = client.post(
        f"/obligations/{obligation_id}/complete",
        json={"visit_id": visit["visit_id"]},
        headers=VISITOR,
    )
    assert done.status_code == 200 and done.json["status"] == "met"
    twice = client.post(
        f"/obligations/{obligation_id}/complete", json={"visit_id": "v-1"}, headers=VISITOR
    )
    assert twice.status_code == 409


def test_heads_reassign_and_cancel_open_work_and_caseloads_show_it(client, visits):
    register(visits, "e-1")
    register(visits, "e-2", community="dongfeng")
    configure(client)
    first = report(client, occurred_at=NOW - 80 * HOUR).json  # overdue already
    second = report(client, trigger="worries").json
    third = report(client, elder_id="e-2", trigger="family_conflict").json
    moved = client.post(
        f"/obligations/{second['obligation_id']}/assign", json={"assignee": "zhao"}, headers=HEAD
    )
    assert moved.status_code == 200 and moved.json["assignee"] == "zhao"

    communities = client.get("/caseload/communities", headers=HEAD).json
    assert communities == [
        {"community": "xinhua", "open": 2, "overdue": 1, "due_today": 0},
        {"community": "dongfeng", "open": 1, "overdue": 0, "due_today": 0},
    ]
    visitors = client.get("/caseload/visitors", headers=HEAD).json
    assert {v["assignee"]: v["open"] for v in visitors} == {"wang": 1, "zhao": 1, None: 1}
    overdue = client.get("/obligations", query_string={"overdue": "true"}, headers=HEAD).json
    assert [o["obligation_id"] for o in overdue["items"]] == [first["obligation_id"]]
    assert overdue["items"][0]["overdue"] is True

    cancelled = client.post(
        f"/obligations/{third['obligation_id']}/cancel", json={"reason": "重复上报"}, headers=HEAD
    )
    assert cancelled.json["status"] == "cancelled"
    assert cancelled.json["cancelled_reason"] == "重复上报"
    open_ = client.get("/obligations", query_string={"status": "open"}, headers=HEAD).json
    assert open_["total"] == 2


def test_help_requests_are_answered_by_their_deadline_and_resolved_with_services(client, visits):
    register(visits, "e-1", community="jindong")
    received = client.post(
        "/help-requests",
        json={
            "elder_id": "e-1",
            "channel": "love_umbrella",
            "urgency": "urgent",
            "description": "阳台挂出爱心伞",
        },
        headers=VISITOR,
    )
    assert received.status_code == 201, received.json
    request = received.json
    assert at(request["respond_by"]) == NOW + 2 * HOUR
    assert request["status"] == "open" and request["community"] == "jindong"

    visits.clock.move_to(NOW + 3 * HOUR)
    late = client.get("/help-requests", query_string={"overdue": "true"}, headers=VISITOR).json
    assert [r["request_id"] for r in late["items"]] == [request["request_id"]]
    taken = client.post(
        f"/help-requests/{request['request_id']}/respond", json={}, headers=VISITOR
    ).json
    assert (taken["responder"], taken["answered_in_time"]) == ("wang", False)
    resolved = client.post(
        f"/help-requests/{request['request_id']}/resolve",
        json={"resolution": "代购药品送上门", "services": [{"service_type": "errands"}]},
        headers=VISITOR,
    )
    assert resolved.status_code == 200 and resolved.json["status"] == "resolved"
    services = client.get("/services", headers=VISITOR).json["items"]
    assert [(s["service_type"], s["help_request_id"]) for s in services] == [
        ("errands", request["request_id"])
    ]
    assert pending_events(visits, "help_requests", request["request_id"]) == [
        "help_request.received",
        "help_request.responded",
        "help_request.resolved",
    ]
    assert pending_events(visits, "services", services[0]["delivery_id"]) == ["service.delivered"]
    again = client.post(
        f"/help-requests/{request['request_id']}/resolve", json={"resolution": "x"}, headers=VISITOR
    )
    assert again.status_code == 409
    unknown = client.post(
        "/help-requests",
        json={"elder_id": "nobody", "channel": "hotline", "description": "x"},
        headers=VISITOR,
    )
    assert unknown.status_code == 404


def test_service_statistics_by_type_community_and_month(client, visits):
    register(visits, "e-1")
    register(visits, "e-2", community="dongfeng")
    deliveries = [
        ("e-1", "medical", "2026-11-02", 3),
        ("e-1", "housekeeping", "2026-11-20", 2),
        ("e-2", "medical", "2026-10-15", 1),
        ("e-2", "legal_advice", "2026-09-30", 1),  # outside the period
    ]
    for elder_id, kind, day, instances in deliveries:
        response = client.post(
            "/services",
            json={
                "elder_id": elder_id,
                "service_type": kind,
                "delivered_on": day,
                "instances": instances,
                "provider": "社区卫生站",
            },
            headers=VISITOR,
        )
        assert response.status_code == 201, response.json
    stats = client.get(
        "/services/statistics",
        query_string={"from_month": "2026-10", "to_month": "2026-11"},
        headers=HEAD,
    ).json
    assert stats["total"] == 6
    assert stats["by_type"]["medical"] == 4 and stats["by_type"]["legal_advice"] == 0
    assert stats["by_community"] == {"dongfeng": 1, "xinhua": 5}
    assert {
        (r["month"], r["community"], r["service_type"], r["instances"]) for r in stats["rows"]
    } == {
        ("2026-10", "dongfeng", "medical", 1),
        ("2026-11", "xinhua", "medical", 3),
        ("2026-11", "xinhua", "housekeeping", 2),
    }
    this_month = client.get(
        "/services/statistics", query_string={"community": "xinhua"}, headers=HEAD
    ).json
    assert (this_month["first_month"], this_month["total"]) == ("2026-11", 5)
    assert client.get("/services/statistics", headers=VISITOR).status_code == 403
    future = client.post(
        "/services",
        json={"elder_id": "e-1", "service_type": "repairs", "delivered_on": "2026-11-30"},
        headers=VISITOR,
    )
    assert future.status_code == 422 and future.json["field"] == "delivered_on"


def test_a_paired_volunteer_is_assigned_when_the_community_has_no_worker(client, visits):
    register(visits, "e-1")
    paired = client.post(
        "/pairings",
        json={
            "elder_id": "e-1",
            "partner_id": "vol-7",
            "partner_name": "张志愿",
            "partner_kind": "volunteer",
            "visits_per_month": 2,
        },
        headers=HEAD,
    )
    assert paired.status_code == 201, paired.json
    assert paired.json["started_on"] == "2026-11-29"
    twice = client.post(
        "/pairings",
        json={
            "elder_id": "e-1",
            "partner_id": "vol-7",
            "partner_name": "张志愿",
            "partner_kind": "volunteer",
        },
        headers=HEAD,
    )
    assert twice.status_code == 409
    assert report(client).json["assignee"] == "vol-7"
    ended = client.post(
        f"/pairings/{paired.json['pairing_id']}/end", json={"reason": "志愿者搬走"}, headers=HEAD
    )
    assert (ended.json["status"], ended.json["end_reason"]) == ("ended", "志愿者搬走")
    assert report(client).json["assignee"] is None


def test_property_staff_building_leaders_and_neighbours_are_paired_by_name_and_phone(
    client, visits
):
    register(visits, "e-1")
    configure(client)
    neighbour = {
        "elder_id": "e-1",
        "partner_name": "刘阿姨",
        "partner_kind": "neighbour",
        "partner_phone": "13900001111",
        "visits_per_month": 2,
    }
    paired = client.post("/pairings", json=neighbour, headers=HEAD)
    assert paired.status_code == 201, paired.json
    assert (paired.json["partner_id"], paired.json["partner_phone"]) == (None, "13900001111")
    leader = {**neighbour, "partner_name": "陈楼长", "partner_kind": "building_leader"}
    assert client.post("/pairings", json=leader, headers=HEAD).status_code == 201
    staff = {**neighbour, "partner_id": "wuye-1", "partner_kind": "property_staff"}
    staff |= {"partner_name": "物业小周", "partner_phone": None}
    assert client.post("/pairings", json=staff, headers=HEAD).status_code == 201

    assert client.post("/pairings", json=neighbour, headers=HEAD).status_code == 409
    unreachable = client.post("/pairings", json={**neighbour, "partner_phone": None}, headers=HEAD)
    assert unreachable.status_code == 422
    assert unreachable.content_type == "application/problem+json"
    assert unreachable.json["field"] == "partner_phone"
    cadre = client.post("/pairings", json={**neighbour, "partner_kind": "cadre"}, headers=HEAD)
    assert cadre.status_code == 422 and "partner_id" in cadre.json["detail"]
    bad_phone = client.post("/pairings", json={**neighbour, "partner_phone": "call"}, headers=HEAD)
    assert bad_phone.status_code == 422 and "partner_phone" in bad_phone.json["errors"]

    listed = client.get("/pairings", query_string={"elder_id": "e-1"}, headers=HEAD).json
    kinds = {p["partner_kind"]: p["partner_phone"] for p in listed["items"]}
    assert kinds == {
        "neighbour": "139****1111",
        "building_leader": "139****1111",
        "property_staff": None,
    }
    one = client.get(f"/pairings/{paired.json['pairing_id']}", headers=VISITOR).json
    assert one["partner_phone"] == "13900001111"

    # the worker records the visits of a partner without an account; one with an account has them
    visits.clock.move_to(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))
    assert client.post("/jobs/monthly", headers=OPERATOR).json["created"] == 6
    month = client.get(
        "/obligations", query_string={"kind": "pairing", "elder_id": "e-1"}, headers=HEAD
    ).json["items"]
    assert sorted(o["assignee"] for o in month) == ["wang"] * 4 + ["wuye-1"] * 2

    [started] = pending_events(visits, "pairings", paired.json["pairing_id"])
    assert started == "pairing.started"
    event = visits.db["pairings"].find_one({"_id": paired.json["pairing_id"]})[OUTBOX][0]
    data = event_type("pairing.started").load(decode(event["value"].encode()))
    assert (data["partner_kind"], data["partner_id"], data["partner_name"]) == (
        "neighbour",
        None,
        "刘阿姨",
    )
    assert "13900001111" not in event["value"]  # the phone stays in visits


def test_a_festival_campaign_visits_its_target_group_once_each_with_a_gift(client, visits):
    register(visits, "e-1", low_income=True)
    register(visits, "e-2", low_income=True, community="dongfeng")
    register(visits, "e-3")
    planned = client.post(
        "/campaigns",
        json={
            "name": "重阳节慰问",
            "festival": "double_ninth",
            "target": {"low_income": True},
            "gift": "重阳糕一盒",
            "gift_value_fen": 5000,
            "due_on": "2026-12-10",
        },
        headers=HEAD,
    )
    assert planned.status_code == 201, planned.json
    campaign_id = planned.json["campaign_id"]
    launched = client.post(f"/campaigns/{campaign_id}/launch", headers=HEAD).json
    assert (launched["created"], launched["existing"]) == (2, 0)
    assert launched["campaign"]["launched_at"] is not None
    register(visits, "e-4", low_income=True)
    relaunched = client.post(f"/campaigns/{campaign_id}/launch", headers=HEAD).json
    assert (relaunched["created"], relaunched["existing"]) == (1, 2)

    obligation_id = f"campaign:{campaign_id}:e-1"
    no_gift = record_visit(client, meets=[obligation_id])
    assert no_gift.status_code == 422 and no_gift.json["field"] == "gift"
    assert record_visit(client, meets=[obligation_id], gift="重阳糕一盒").status_code == 201
    assert client.get(f"/obligations/{obligation_id}", headers=VISITOR).json["gift"] == "重阳糕一盒"
    progress = client.get(f"/campaigns/{campaign_id}", headers=VISITOR).json
    assert {k: progress[k] for k in ("targeted", "met", "open", "overdue")} == {
        "targeted": 3,
        "met": 1,
        "open": 2,
        "overdue": 0,
    }
    past = client.post(
        "/campaigns",
        json={
            "name": "x",
            "festival": "spring_festival",
            "target": {},
            "gift": "米",
            "due_on": "2026-11-01",
        },
        headers=HEAD,
    )
    assert past.status_code == 422


def test_the_district_sets_deadlines_that_new_obligations_follow(client, visits):
    register(visits, "e-1")
    config = client.get("/config", headers=VISITOR).json
    hospitalised = next(t for t in config["triggers"] if t["trigger"] == "hospitalised")
    assert hospitalised == {
        "trigger": "hospitalised",
        "label": "生病住院",
        "hours": 72,
        "default_hours": 72,
    }
    assert config["help_request_hours"] == {"urgent": 2, "high": 24, "normal": 72, "low": 168}
    body = {"triggers": {"hospitalised": 24}, "help_requests": {"urgent": 1}}
    assert client.put("/config/deadlines", json=body, headers=HEAD).status_code == 403
    changed = client.put("/config/deadlines", json=body, headers=ADMIN)
    assert changed.status_code == 200
    assert changed.json["help_request_hours"]["urgent"] == 1
    assert at(report(client).json["due_at"]) == NOW - HOUR + 24 * HOUR
    unknown = client.put("/config/deadlines", json={"triggers": {"bored": 5}}, headers=ADMIN)
    assert unknown.status_code == 422 and "unknown trigger" in unknown.json["detail"]


def test_a_visitor_of_one_community_sees_and_touches_only_its_work(client, visits):
    register(visits, "e-x")
    register(visits, "e-d", community="dongfeng")
    theirs = report(client, elder_id="e-x").json["obligation_id"]
    ours = report(client, elder_id="e-d").json["obligation_id"]
    own = client.get("/obligations", headers=DONGFENG_VISITOR).json
    assert [o["obligation_id"] for o in own["items"]] == [ours]
    other = client.get(
        "/obligations", query_string={"community": "xinhua"}, headers=DONGFENG_VISITOR
    )
    assert other.status_code == 403
    assert client.get(f"/obligations/{theirs}", headers=DONGFENG_VISITOR).status_code == 404
    assert client.get("/elders/e-x", headers=DONGFENG_VISITOR).status_code == 404
    visit = {"elder_id": "e-x", "visited_at": NOW.isoformat(), "kind": "home", "meets": [theirs]}
    assert client.post("/visits", json=visit, headers=DONGFENG_VISITOR).status_code == 404
    assert client.get(f"/obligations/{theirs}", headers=HEAD).json["status"] == "open"
    loads = client.get("/caseload/communities", headers=DONGFENG_VISITOR).json
    assert [load["community"] for load in loads] == ["dongfeng"]


def test_community_staff_cannot_see_or_change_another_communitys_visits_or_work(client, visits):
    register(visits, "e-x")
    register(visits, "e-d", community="dongfeng")
    theirs = report(client, elder_id="e-x").json["obligation_id"]
    assert record_visit(client, elder_id="e-x", visit_id="v-x").status_code == 201
    assert record_visit(client, elder_id="e-d", visit_id="v-d").status_code == 201
    own = client.get("/visits", headers=DONGFENG_VISITOR).json
    assert [v["visit_id"] for v in own["items"]] == ["v-d"]
    assert client.get("/visits/v-x", headers=DONGFENG_VISITOR).status_code == 404
    other = client.get("/visits", query_string={"community": "xinhua"}, headers=DONGFENG_HEAD)
    assert other.status_code == 403

    acts = [
        (f"/obligations/{theirs}/complete", {"visit_id": "v-x"}, DONGFENG_VISITOR),
        (f"/obligations/{theirs}/cancel", {"reason": "不是我们的"}, DONGFENG_HEAD),
        (f"/obligations/{theirs}/assign", {"assignee": "sun"}, DONGFENG_HEAD),
    ]
    for path, body, headers in acts:
        assert client.post(path, json=body, headers=headers).status_code == 404, path
    untouched = client.get(f"/obligations/{theirs}", headers=HEAD).json
    assert (untouched["status"], untouched["assignee"], untouched["version"]) == ("open", None, 1)
    assert len(visits.obligations.history(theirs)) == 1


def test_the_elders_of_a_community_are_found_by_a_part_of_their_name(client, visits):
    register(visits, "e-1", name="王秀英")
    register(visits, "e-2", name="王建国")
    register(visits, "e-3", name="李王氏")
    register(visits, "e-4", name="王大妈", community="dongfeng")
    register(visits, "e-5", name="张(王)")

    def named(text: str, **more) -> list[str]:
        asked = {"community": "xinhua", "name": text, **more}
        found = client.get("/elders", query_string=asked, headers=HEAD)
        assert found.status_code == 200, found.json
        return sorted(e["elder_id"] for e in found.json["items"])

    assert named("王") == ["e-1", "e-2", "e-3", "e-5"]
    assert named("王秀") == ["e-1"]
    assert named("(王)") == ["e-5"]  # the text as written, not a pattern
    assert named(".*") == []
    assert named("王", status="active") == ["e-1", "e-2", "e-3", "e-5"]
    assert named("王", status="deceased") == []
    for wrong in ({"status": "gone"}, {"name": "王\x00"}, {"name": ""}):
        refused = client.get("/elders", query_string=wrong, headers=HEAD)
        assert refused.status_code == 422, wrong


@pytest.mark.parametrize(
    "path",
    [
        "/elders",
        "/obligations",
        "/visits",
        "/services",
        "/help-requests",
        "/pairings",
        "/campaigns",
    ],
)
def test_every_list_is_paged(client, visits, path):
    response = client.get(path, query_string={"page_size": 5}, headers=HEAD)
    assert response.status_code == 200, response.json
    assert response.json == {"items": [], "total": 0, "page": 1, "page_size": 5}
    assert client.get(path, query_string={"page_size": 101}, headers=HEAD).status_code == 422


def test_a_lists_total_is_the_same_on_a_full_page_the_last_page_and_past_the_end(client, visits):
    configure(client)
    for n in range(3):
        register(visits, f"e-{n}")
        assert report(client, elder_id=f"e-{n}").status_code == 201
    shown = {
        page: client.get(
            "/obligations", query_string={"page_size": 2, "page": page}, headers=HEAD
        ).json
        for page in (1, 2, 3)
    }
    assert [(len(p["items"]), p["total"]) for p in shown.values()] == [(2, 3), (1, 3), (0, 3)]


def test_the_openapi_description_lists_visits_endpoints(client):
    paths = client.get("/openapi.json").json["paths"]
    assert {
        "/obligations",
        "/obligations/{obligation_id}/complete",
        "/visits",
        "/services/statistics",
        "/help-requests",
        "/pairings",
        "/campaigns/{campaign_id}/launch",
        "/caseload/visitors",
        "/config/deadlines",
        "/jobs/overdue",
        "/jobs/monthly",
    } <= set(paths)
