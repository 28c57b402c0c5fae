"""A round of door-to-door checks (入户走访，核对信息) in visits on the real store: a campaign
whose visits go building by building to each building's worker, met only by a visit that
says what was checked, carrying what was found wrong to intake; and its progress by
community and by building."""

import json

from test_visits_grid_api import cell, home
from test_visits_support import (  # noqa: F401
    HEAD,
    NOW,
    VISITOR,
    client,
    configure,
    register,
    visits,
)

from shared.outbox import OUTBOX


def record(client, elder_id, **extra):  # noqa: F811
    body = {"elder_id": elder_id, "visited_at": NOW.isoformat(), "kind": "home"}
    return client.post("/visits", json=body | extra, headers=VISITOR)


def test_a_round_of_checks_goes_building_by_building_and_carries_the_corrections(
    client,  # noqa: F811
    visits,  # noqa: F811
):
    configure(client)  # xinhua's worker: wang
    cell(visits, "g1", "group", worker="zhao")
    cell(visits, "b1", "building", group_id="g1")
    cell(visits, "b2", "building", worker="sun")
    for elder_id in ("e-1", "e-2", "e-3"):
        register(visits, elder_id)
    home(visits, "h-1", ["e-1"], "b1")
    home(visits, "h-2", ["e-2"], "b2")
    home(visits, "h-3", ["e-3"], None)

    planned = client.post(
        "/campaigns",
        json={
            "name": "2026年入户核对",
            "purpose": "door_check",
            "target": {"communities": ["xinhua"]},
            "due_on": "2026-12-20",
        },
        headers=HEAD,
    )
    assert planned.status_code == 201, planned.json
    assert (planned.json["purpose"], planned.json["gift"]) == ("door_check", "")
    campaign_id = planned.json["campaign_id"]
    launched = client.post(f"/campaigns/{campaign_id}/launch", headers=HEAD).json
    assert launched["created"] == 3
    listed = client.get("/obligations", query_string={"kind": "door_check"}, headers=HEAD).json[
        "items"
    ]
    # the building's worker, else its group's, else the community's
    assert {o["elder_id"]: o["assignee"] for o in listed} == {
        "e-1": "zhao",
        "e-2": "sun",
        "e-3": "wang",
    }

    obligation_id = f"campaign:{campaign_id}:e-1"
    unsaid = record(client, "e-1", meets=[obligation_id])
    assert unsaid.status_code == 422 and unsaid.json["field"] == "door_check"
    wrong_fact = record(
        client,
        "e-1",
        meets=[obligation_id],
        door_check={"corrections": [{"fact": "name", "value": "x"}]},
    )
    assert wrong_fact.status_code == 422
    bad_value = record(
        client,
        "e-1",
        meets=[obligation_id],
        door_check={"corrections": [{"fact": "marital_status", "value": "离婚"}]},
    )
    assert bad_value.status_code == 422 and "one of" in bad_value.json["detail"]
    corrections = [
        {"fact": "phone", "value": "13912345678"},
        {"fact": "party_member", "value": "yes"},
    ]
    checked = record(client, "e-1", meets=[obligation_id], door_check={"corrections": corrections})
    assert checked.status_code == 201, checked.json
    assert checked.json["door_check"] == {"corrections": corrections, "campaign_id": campaign_id}
    all_correct = record(
        client, "e-2", meets=[f"campaign:{campaign_id}:e-2"], door_check={"corrections": []}
    )
    assert all_correct.status_code == 201, all_correct.json

    stored = visits.db["visits"].find_one({"_id": checked.json["visit_id"]})
    [event] = [json.loads(e["value"]) for e in stored[OUTBOX]]
    assert event["type"] == "visit.recorded"
    assert event["data"]["door_check"]["campaign_id"] == campaign_id

    progress = client.get(f"/campaigns/{campaign_id}", headers=HEAD).json
    assert (progress["targeted"], progress["met"], progress["open"]) == (3, 2, 1)
    assert progress["communities"] == [
        {"community": "xinhua", "targeted": 3, "met": 2, "open": 1, "cancelled": 0}
    ]
    by_cell = {c["cell_id"]: (c["name"], c["met"], c["open"]) for c in progress["cells"]}
    assert by_cell == {"b1": ("b1号", 1, 0), "b2": ("b2号", 1, 0), None: (None, 0, 1)}
