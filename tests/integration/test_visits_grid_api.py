"""Visits and the grid below the community on the real store: households and cells from
intake's events; a worklist, caseloads and reassignment by building and group over the API;
and a pairing with the leader of the elder's building."""

from typing import Any

from test_visits_support import (  # noqa: F401
    DONGFENG_HEAD,
    HEAD,
    NOW,
    VISITOR,
    client,
    configure,
    handle,
    pending_events,
    register,
    report,
    visits,
)

from shared.events import new_event


def intake_event(visits, type_: str, subject: str, data: dict[str, Any]):  # noqa: F811
    return new_event(type_, subject, data, source="urn:eldercare:d1:intake", district="d1", at=NOW)


def cell(visits, cell_id, kind, **more):  # noqa: F811
    data = {
        "cell_id": cell_id,
        "version": 1,
        "community": "xinhua",
        "kind": kind,
        "name": f"{cell_id}号",
        "status": "active",
        "change": "opened",
        **more,
    }
    assert handle(visits, intake_event(visits, "grid.cell_changed", cell_id, data))


def home(visits, household_id, members, cell_id):  # noqa: F811
    data = {
        "household_id": household_id,
        "version": 1,
        "community": "xinhua",
        "household_type": "with_family",
        "type_source": "rules",
        "members": members,
        "persons": len(members),
        "status": "active",
        "cell_id": cell_id,
    }
    assert handle(visits, intake_event(visits, "household.formed", household_id, data))


def test_work_by_building_and_group_and_a_buildings_work_to_its_worker(client, visits):  # noqa: F811
    configure(client)
    cell(visits, "g1", "group")
    cell(visits, "b1", "building", group_id="g1", worker="zhao", leader="孙师傅",
         leader_phone="13900139000")  # fmt: skip
    cell(visits, "b2", "courtyard", group_id="g1")
    for n, where in ((1, "b1"), (2, "b1"), (3, "b2"), (4, None)):
        register(visits, f"e-{n}")
        home(visits, f"h-{n}", [f"e-{n}"], where)
        assert report(client, f"e-{n}").status_code == 201

    listed = client.get("/obligations?cell_id=g1&status=open", headers=VISITOR).json
    assert sorted(o["elder_id"] for o in listed["items"]) == ["e-1", "e-2", "e-3"]
    loads = client.get("/caseload/cells?community=xinhua", headers=HEAD).json
    by_cell = {row.get("cell_id"): row for row in loads}
    assert [by_cell[k]["open"] for k in ("g1", "b1", "b2", None)] == [3, 2, 1, 1]
    assert by_cell["b1"]["worker"] == "zhao" and by_cell["b1"]["name"] == "b1号"
    assert client.get("/caseload/cells?community=xinhua", headers=DONGFENG_HEAD).status_code == 403

    moved = client.post("/caseload/cells/b1/assign", json={}, headers=HEAD)
    assert moved.status_code == 200 and moved.json == {
        "cell_id": "b1",
        "assignee": "zhao",
        "moved": 2,
    }
    mine = client.get("/obligations?assignee=zhao&status=open", headers=HEAD).json["items"]
    assert sorted(o["elder_id"] for o in mine) == ["e-1", "e-2"]
    assert pending_events(visits, "obligations", mine[0]["obligation_id"])[-1] == (
        "obligation.reassigned"
    )
    nobody = client.post("/caseload/cells/b2/assign", json={}, headers=HEAD)
    assert nobody.status_code == 422 and "no responsible worker" in nobody.json["detail"]
    assert client.post("/caseload/cells/zz/assign", json={}, headers=HEAD).status_code == 404

    body = {"elder_id": "e-1", "partner_kind": "building_leader", "visits_per_month": 2}
    paired = client.post("/pairings", json=body, headers=HEAD)
    assert paired.status_code == 201, paired.json
    assert paired.json["partner_name"] == "孙师傅"
    refused = client.post("/pairings", json={**body, "elder_id": "e-4"}, headers=HEAD)
    assert refused.status_code == 422 and "no leader" in refused.json["detail"]
