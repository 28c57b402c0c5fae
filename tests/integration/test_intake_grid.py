"""The grid below the community through intake's API on the real store: a head keeps their
community's resident groups, buildings and courtyards; a clerk places households in them; the
coverage counts what each holds; and the rules answer with clear problems."""

import json
from datetime import UTC, date, datetime

import pytest
from intake_under_test import intake_under_test
from staff import staff_headers
from test_intake_api import registration

from services.intake.domain.district import Community
from services.intake.entrypoints.app import create_app
from shared.outbox import OUTBOX

TOKENS = "clerk:clerk:intake_clerk,head:head:community_head@c01,other:other:community_head@c02"
STAFF = staff_headers(TOKENS)
CLERK, HEAD, OTHER = STAFF["clerk"], STAFF["head"], STAFF["other"]


@pytest.fixture
def intake(settings):
    communities = [Community("c01", "一社区"), Community("c02", "二社区")]
    with intake_under_test(
        settings, datetime(2026, 12, 5, 2, tzinfo=UTC), communities, TOKENS
    ) as service:
        yield service


@pytest.fixture
def client(intake):
    return create_app(intake).test_client()


def opened(client, kind, name, headers=HEAD, **more):
    body = {"community": "c01", "kind": kind, "name": name, **more}
    answer = client.post("/grid", json=body, headers=headers)
    assert answer.status_code == 201, answer.json
    return answer.json


def household_of(client, elder_id):
    answer = client.get(f"/elders/{elder_id}/household", headers=CLERK)
    assert answer.status_code == 200, answer.json
    return answer.json


def test_a_head_keeps_the_grid_and_a_clerk_places_households_in_it(client, intake):
    group = opened(client, "group", "第一居民小组", worker="visitor1")
    leader = {"name": "张大爷", "phone": "13800138000"}
    building = opened(client, "building", "3号楼", group_id=group["cell_id"], leader=leader)
    assert building["group_id"] == group["cell_id"] and building["leader"]["name"] == "张大爷"
    refused = client.post(
        "/grid", json={"community": "c01", "kind": "group", "name": "x"}, headers=OTHER
    )
    assert refused.status_code == 403
    assert client.get(f"/grid/{group['cell_id']}", headers=OTHER).status_code == 404
    wrong_phone = {"name": "王", "phone": "12"}
    body = {"community": "c01", "kind": "building", "name": "4号楼", "leader": wrong_phone}
    bad = client.post("/grid", json=body, headers=HEAD)
    assert bad.status_code == 422 and bad.content_type == "application/problem+json"
    assert "11-digit" in str(bad.json)

    born = date(1950, 1, 1)
    first = client.post(
        "/elders", json=registration(born, 2, address="和平路3号楼101"), headers=CLERK
    )
    second = client.post(
        "/elders", json=registration(born, 3, address="和平路3号楼101"), headers=CLERK
    )
    alone = client.post(
        "/elders", json=registration(born, 4, address="和平路3号楼202"), headers=CLERK
    )
    assert {first.status_code, second.status_code, alone.status_code} == {201}
    home = household_of(client, first.json["elder_id"])
    wrong = client.put(
        f"/households/{home['household_id']}/cell",
        json={"version": home["version"], "cell_id": group["cell_id"]},
        headers=CLERK,
    )
    assert wrong.status_code == 422 and "resident group" in wrong.json["detail"]
    placed = client.put(
        f"/households/{home['household_id']}/cell",
        json={"version": home["version"], "cell_id": building["cell_id"]},
        headers=CLERK,
    )
    assert placed.status_code == 200, placed.json
    assert placed.json["cell_id"] == building["cell_id"]
    stale = client.put(
        f"/households/{home['household_id']}/cell",
        json={"version": home["version"], "cell_id": None},
        headers=CLERK,
    )
    assert stale.status_code == 409

    # the building's address places the other household there at once, and only once
    assert client.put(
        f"/grid/{building['cell_id']}",
        json={"version": 1, "name": "3号楼", "group_id": group["cell_id"], "leader": leader,
              "address": "和平路3号楼"},
        headers=HEAD,
    ).status_code == 200  # fmt: skip
    building["version"] = 2
    placing = client.post(f"/grid/{building['cell_id']}/placement", headers=CLERK)
    assert placing.status_code == 200 and placing.json["placed"] == 1, placing.json
    again = client.post(f"/grid/{building['cell_id']}/placement", headers=CLERK)
    assert again.json["placed"] == 0
    nowhere = client.post(f"/grid/{group['cell_id']}/placement", headers=CLERK)
    assert nowhere.status_code == 422 and "no address" in nowhere.json["detail"]
    covered = client.get("/grid/coverage?community=c01", headers=HEAD).json
    by_id = {c["cell_id"]: c["coverage"] for c in covered["cells"]}
    held = by_id[building["cell_id"]]
    assert (held["households"], held["elders"]) == (2, 3)  # the couple, and their neighbour
    assert by_id[group["cell_id"]] == held
    assert (covered["unplaced"]["households"], covered["unplaced"]["elders"]) == (0, 0)
    listed = client.get(f"/households?cell_id={building['cell_id']}", headers=CLERK).json
    assert home["household_id"] in [h["household_id"] for h in listed["items"]]
    assert listed["total"] == 2

    busy = client.post(f"/grid/{building['cell_id']}/retirement", json={"version": 2}, headers=HEAD)
    assert busy.status_code == 422 and "2 households" in busy.json["detail"]
    renamed = client.put(
        f"/grid/{building['cell_id']}",
        json={"version": 2, "name": "3号楼（东）", "group_id": group["cell_id"], "leader": leader},
        headers=HEAD,
    )
    assert renamed.status_code == 200 and renamed.json["version"] == 3
    kinds = client.get("/grid?community=c01&kind=building", headers=CLERK).json["items"]
    assert [c["name"] for c in kinds] == ["3号楼（东）"]
    document = intake.db["grid_cells"].find_one({"_id": building["cell_id"]})
    waiting = [json.loads(e["value"]) for e in document[OUTBOX]]
    assert [(e["type"], e["data"]["change"]) for e in waiting] == [
        ("grid.cell_changed", "opened"),
        ("grid.cell_changed", "changed"),
        ("grid.cell_changed", "changed"),
    ]
    assert (
        waiting[-1]["data"]["name"] == "3号楼（东）" and waiting[-1]["data"]["leader"] == "张大爷"
    )
