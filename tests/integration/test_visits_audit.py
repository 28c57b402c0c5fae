"""Visits' audit trail on the real store: every change to a record leaves a line (who, from
where, when, before and after) in the same write, queryable by elder and by user."""

from datetime import timedelta

from test_visits_support import ADMIN, HEAD, NOW, VISITOR, configure, register, report

pytest_plugins = ["test_visits_support"]  # the fixtures `visits` and `client`

CLIENT_ADDRESS = "127.0.0.1"  # what the test client sends as the remote address


def trail(client, **subject):
    response = client.get("/audit", query_string=subject, headers=ADMIN)
    assert response.status_code == 200, response.json
    return response.json


def test_changes_through_the_api_are_audited_with_who_where_before_and_after(client, visits):
    register(visits, "e-1")
    configure(client)
    first = report(client).json["obligation_id"]
    second = report(client, trigger="worries").json["obligation_id"]
    visits.clock.move_to(NOW + timedelta(minutes=10))
    moved = client.post(f"/obligations/{first}/assign", json={"assignee": "zhao"}, headers=HEAD)
    assert moved.status_code == 200, moved.json
    visits.clock.move_to(NOW + timedelta(minutes=20))
    cancelled = client.post(f"/obligations/{second}/cancel", json={"reason": "重复"}, headers=HEAD)
    assert cancelled.status_code == 200, cancelled.json
    visits.clock.move_to(NOW + timedelta(minutes=30))
    visit = {"visit_id": "v-1", "elder_id": "e-1", "kind": "home", "meets": [first]}
    recorded = client.post("/visits", json=visit | {"visited_at": NOW.isoformat()}, headers=VISITOR)
    assert recorded.status_code == 201, recorded.json

    created, reassigned, met = visits.obligations.history(first)
    assert (created["by"], created["from"], created["change"]) == (
        "wang",
        CLIENT_ADDRESS,
        "obligation.created",
    )
    assert created["before"] == {} and created["after"]["assignee"] == "wang"
    assert (reassigned["by"], reassigned["from"], reassigned["change"]) == (
        "li",
        CLIENT_ADDRESS,
        "obligation.reassigned",
    )
    assert reassigned["at"] == NOW + timedelta(minutes=10)
    assert (reassigned["before"], reassigned["after"]) == (
        {"assignee": "wang"},
        {"assignee": "zhao"},
    )
    assert reassigned["version"] == created["version"] + 1
    assert (met["by"], met["change"]) == ("wang", "obligation.met")
    assert (met["before"]["status"], met["after"]["status"]) == ("open", "met")
    assert met["after"]["visit_id"] == "v-1"
    [cancel] = visits.obligations.history(second)[1:]
    assert (cancel["by"], cancel["before"]["status"], cancel["after"]["status"]) == (
        "li",
        "open",
        "cancelled",
    )
    assert cancel["after"]["cancelled_reason"] == "重复"

    by_elder = trail(client, elder_id="e-1")
    lines = [(line["kind"], line["record_id"], line["change"]) for line in by_elder["items"]]
    assert by_elder["total"] == 6
    assert sorted(lines[:2]) == [
        ("obligations", first, "obligation.met"),
        ("visits", "v-1", "visit.recorded"),
    ]
    assert lines[2:4] == [
        ("obligations", second, "obligation.cancelled"),
        ("obligations", first, "obligation.reassigned"),
    ]
    assert sorted(lines[4:]) == sorted(
        [
            ("obligations", first, "obligation.created"),
            ("obligations", second, "obligation.created"),
        ]
    )
    assert [line["at"] for line in by_elder["items"]] == sorted(
        (line["at"] for line in by_elder["items"]), reverse=True
    )
    assert {line["elder_id"] for line in by_elder["items"]} == {"e-1"}
    assert by_elder["items"][-1]["at"] == NOW.isoformat()

    by_head = trail(client, user="li")
    assert [(line["record_id"], line["change"]) for line in by_head["items"]] == [
        (second, "obligation.cancelled"),
        (first, "obligation.reassigned"),
    ]
    assert by_head["items"][0]["from"] == CLIENT_ADDRESS
    by_admin = trail(client, user="admin")
    assert [(line["kind"], line["change"]) for line in by_admin["items"]] == [
        ("config", "config.community_staff_set"),
    ]
    assert by_admin["items"][0]["after"]["communities"]


def test_the_audit_is_for_the_administrator_and_needs_one_subject(client, visits):
    register(visits, "e-1")
    report(client)
    assert client.get("/audit", query_string={"user": "wang"}, headers=HEAD).status_code == 403
    assert client.get("/audit", query_string={"elder_id": "e-1"}).status_code == 401
    for subject in ({}, {"elder_id": "e-1", "user": "wang"}):
        refused = client.get("/audit", query_string=subject, headers=ADMIN)
        assert refused.status_code == 422
        assert refused.headers["Content-Type"] == "application/problem+json"
    paged = trail(client, user="wang", page_size=1)
    assert (paged["total"], len(paged["items"])) == (1, 1)


def test_reads_of_records_never_show_their_history(client, visits):
    register(visits, "e-1")
    obligation_id = report(client).json["obligation_id"]
    client.post(f"/obligations/{obligation_id}/assign", json={"assignee": "zhao"}, headers=HEAD)
    one = client.get(f"/obligations/{obligation_id}", headers=HEAD).json
    listed = client.get("/obligations", headers=HEAD).json["items"]
    assert "history" not in one and all("history" not in o for o in listed)
    assert len(visits.obligations.history(obligation_id)) == 2
    assert visits.db["obligations"].find_one({"_id": obligation_id})["history"][1]["by"] == "li"
