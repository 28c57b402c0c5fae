"""Yearly service plans in visits on the real store, through its HTTP API: the head sets the
community's targets, each with the person responsible; progress is worked out from the
records when read; the district rolls the communities up; another community's head may not set
it, and a plan changed meanwhile is refused."""

from test_visits_support import (  # noqa: F401
    ADMIN,
    DONGFENG_HEAD,
    HEAD,
    VISITOR,
    client,
    visits,
)


def test_a_plans_progress_is_worked_out_from_the_records(client, visits):  # noqa: F811
    targets = [
        {"measure": "activities", "target": 2, "responsible": "李主任"},
        {"measure": "volunteer_teams", "target": 1, "responsible": "王"},
    ]
    made = client.put("/plans/xinhua/2026", json={"targets": targets}, headers=HEAD)
    assert made.status_code == 200, made.json
    assert made.json["version"] == 1
    assert (
        client.put("/plans/xinhua/2026", json={"targets": targets}, headers=HEAD).status_code == 409
    )
    theirs = client.put("/plans/xinhua/2026", json={"targets": targets}, headers=DONGFENG_HEAD)
    assert theirs.status_code == 403
    for n, day in enumerate(("2026-03-01", "2026-05-01")):
        fair = {"community": "xinhua", "title": f"联欢{n}", "category": "singing", "held_on": day}
        assert client.post("/occasions", json=fair, headers=VISITOR).status_code == 201
    patrol = {"community": "xinhua", "kind": "volunteer_service", "activity": "public_order",
              "name": "巡逻队", "founded_on": "2026-01-05"}  # fmt: skip
    assert client.post("/teams", json=patrol, headers=HEAD).status_code == 201
    read = client.get("/plans/xinhua/2026", headers=VISITOR).json
    assert [(p["measure"], p["value"], p["reached"]) for p in read["progress"]] == [
        ("activities", 2.0, True),
        ("volunteer_teams", 1.0, True),
    ]
    district = client.get("/plans/district/2026", headers=ADMIN).json
    assert [c["community"] for c in district["communities"]] == ["xinhua"]
    assert {p["measure"]: p["numerator"] for p in district["district"]} == {
        "activities": 2,
        "volunteer_teams": 1,
    }
    assert client.get("/plans/dongfeng/2026", headers=ADMIN).status_code == 404
    wrong = {"targets": [{"measure": "happiness", "target": 1, "responsible": "x"}]}
    assert client.put("/plans/xinhua/2027", json=wrong, headers=HEAD).status_code == 422
