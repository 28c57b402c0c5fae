"""Who acted is the signed-in user, never a name in the body; a community head plans and
launches campaigns for their own community only."""

from test_visits_support import DONGFENG_HEAD, HEAD, NOW, VISITOR, register

pytest_plugins = ["test_visits_support"]  # the fixtures `visits` and `client`


def campaign(**target) -> dict:
    return {
        "name": "重阳节慰问",
        "festival": "double_ninth",
        "target": target,
        "gift": "重阳糕一盒",
        "due_on": "2026-12-10",
    }


def test_a_visit_is_recorded_as_the_signed_in_visitor_never_a_colleague(client, visits):
    register(visits, "e-1")
    body = {"elder_id": "e-1", "visited_at": NOW.isoformat(), "kind": "home"}

    forged = client.post("/visits", json=body | {"visitor": "zhao"}, headers=VISITOR)
    assert forged.status_code == 422
    assert forged.json["field"] == "visitor" and "wang" in forged.json["detail"]
    assert client.get("/visits", headers=VISITOR).json["total"] == 0

    mine = client.post("/visits", json=body | {"visitor": "wang"}, headers=VISITOR)
    assert mine.status_code == 201, mine.json
    assert (mine.json["visitor"], mine.json["recorded_by"]) == ("wang", "wang")


def test_a_help_request_is_taken_by_the_signed_in_user_never_a_colleague(client, visits):
    register(visits, "e-1")
    body = {"elder_id": "e-1", "channel": "hotline", "description": "家中断水"}
    request_id = client.post("/help-requests", json=body, headers=VISITOR).json["request_id"]
    path = f"/help-requests/{request_id}/respond"

    forged = client.post(path, json={"responder": "zhao"}, headers=VISITOR)
    assert forged.status_code == 422 and forged.json["field"] == "responder"
    assert client.get(f"/help-requests/{request_id}", headers=VISITOR).json["status"] == "open"

    taken = client.post(path, json={}, headers=VISITOR)
    assert taken.status_code == 200 and taken.json["responder"] == "wang"


def test_a_service_names_its_provider_but_is_recorded_by_the_signed_in_user(client, visits):
    register(visits, "e-1")
    body = {"elder_id": "e-1", "service_type": "medical", "provider": "社区卫生站"}
    delivered = client.post("/services", json=body, headers=VISITOR)
    assert delivered.status_code == 201, delivered.json
    assert (delivered.json["provider"], delivered.json["recorded_by"]) == ("社区卫生站", "wang")


def test_a_community_head_plans_and_launches_campaigns_for_their_community_only(client, visits):
    register(visits, "e-1", low_income=True)  # xinhua
    register(visits, "e-2", low_income=True, community="dongfeng")

    other = client.post("/campaigns", json=campaign(communities=["xinhua"]), headers=DONGFENG_HEAD)
    assert other.status_code == 403 and "dongfeng" in other.json["detail"]

    mine = client.post("/campaigns", json=campaign(low_income=True), headers=DONGFENG_HEAD)
    assert mine.status_code == 201, mine.json
    assert mine.json["target"]["communities"] == ["dongfeng"]
    launched = client.post(f"/campaigns/{mine.json['campaign_id']}/launch", headers=DONGFENG_HEAD)
    assert launched.status_code == 200 and launched.json["created"] == 1

    district = client.post("/campaigns", json=campaign(low_income=True), headers=HEAD).json
    refused = client.post(f"/campaigns/{district['campaign_id']}/launch", headers=DONGFENG_HEAD)
    assert refused.status_code == 403 and "beyond community dongfeng" in refused.json["detail"]
    assert (
        client.get(f"/obligations/campaign:{district['campaign_id']}:e-1", headers=HEAD).status_code
        == 404
    )
    assert (
        client.post(f"/campaigns/{district['campaign_id']}/launch", headers=HEAD).json["created"]
        == 2
    )
