"""Reorganising communities through intake's API on the real store: a district with real
households (couples, elders living alone, an elder with family), two communities merged and a
third split by a building, each previewed and applied by the worker's duty; the statistics
exact, by households and persons, as of the day before and after; and what it publishes."""

from datetime import UTC, datetime, timedelta

import pytest
from intake_under_test import intake_under_test
from staff import staff_headers
from test_intake_api import outbox_types, registration

from services.intake.domain.district import Community
from services.intake.entrypoints.app import create_app
from services.intake.service_layer.reorganisations import carry_out

NOW = datetime(2026, 12, 5, 2, tzinfo=UTC)
TOKENS = (
    "clerk:clerk:intake_clerk,admin:admin:district_admin,"
    "head3:head3:community_head@c03,visitor2:visitor2:visitor@c02"
)
STAFF = staff_headers(TOKENS)
CLERK, ADMIN, HEAD3 = STAFF["clerk"], STAFF["admin"], STAFF["head3"]


@pytest.fixture
def intake(settings):
    communities = [
        Community("c01", "东坊社区"),
        Community("c02", "西坊社区"),
        Community("c03", "南坊社区"),
    ]
    with intake_under_test(settings, NOW, communities, TOKENS) as service:
        yield service


@pytest.fixture
def client(intake):
    return create_app(intake).test_client()


def register(client, sequence: int, community: str, address: str, **more) -> str:
    body = registration(sequence=sequence, community=community, address=address, **more)
    answer = client.post("/elders", json=body, headers=CLERK)
    assert answer.status_code == 201, answer.json
    return answer.json["elder_id"]


def district_of_households(client) -> dict[str, list[str]]:
    """c01: a couple, an elder alone, an elder living with a son; c02: a couple, an elder
    alone; c03: two elders alone in building 3 (三路3号), one alone at 三路5号."""
    alone = {"circumstances": {"household_type": "living_alone"}}
    son = [{"name": "王强", "relation": "儿子"}]
    return {
        "c01": [
            register(client, 1, "c01", "一路1号"),
            register(client, 2, "c01", "一路1号"),
            register(client, 3, "c01", "一路2号", **alone),
            register(client, 4, "c01", "一路3号", household_members=son),
        ],
        "c02": [
            register(client, 5, "c02", "二路1号"),
            register(client, 6, "c02", "二路1号"),
            register(client, 7, "c02", "二路2号", **alone),
        ],
        "c03": [
            register(client, 8, "c03", "三路3号1-101", **alone),
            register(client, 9, "c03", "三路3号2-201", **alone),
            register(client, 10, "c03", "三路5号", **alone),
        ],
    }


def households(figures: dict, community: str) -> dict[str, tuple[int, int]]:
    """(households, persons) by type, leaving out the types none has."""
    [tally] = [c for c in figures["communities"] if c["community"] == community]
    return {
        kind: (counted["households"], counted["persons"])
        for kind, counted in tally["households"].items()
        if counted["households"]
    }


def elders(figures: dict) -> dict[str, int]:
    return {c["community"]: c["elders"] for c in figures["communities"]}


def planned_and_applied(client, intake, plan: dict) -> dict:
    planned = client.post("/reorganisations", json=plan, headers=ADMIN)
    assert planned.status_code == 201, planned.json
    rid = planned.json["reorganisation_id"]
    moving = client.get(f"/reorganisations/{rid}/elders", headers=ADMIN).json
    assert moving["total"] == sum(e["elders"] for e in planned.json["preview"]["elders"])
    assert len({e["elder_id"] for e in moving["items"]}) == moving["total"]
    body = {"version": planned.json["version"]}
    applied = client.post(f"/reorganisations/{rid}/application", json=body, headers=ADMIN)
    assert applied.status_code == 202, applied.json
    assert applied.json["status"] == "applying"
    carry_out(intake)  # the worker's duty
    done = client.get(f"/reorganisations/{rid}", headers=ADMIN)
    assert done.json["status"] == "applied", done.json
    assert client.get(f"/reorganisations/{rid}/elders", headers=ADMIN).json["total"] == 0
    return {"planned": planned.json, "done": done.json}


def test_a_merge_and_a_split_move_households_and_persons_exactly(client, intake):
    district = district_of_households(client)
    building = client.post(
        "/grid",
        json={"community": "c03", "kind": "building", "name": "3号楼", "address": "三路3号"},
        headers=HEAD3,
    )
    assert building.status_code == 201, building.json
    placed = client.post(f"/grid/{building.json['cell_id']}/placement", headers=HEAD3)
    assert placed.json["placed"] == 2
    first_day = client.get("/statistics", headers=CLERK).json
    assert elders(first_day) == {"c01": 4, "c02": 3, "c03": 3}
    assert households(first_day, "c01") == {
        "empty_nest": (1, 2),
        "living_alone": (1, 1),
        "with_family": (1, 2),
    }

    intake.clock.move_to(NOW + timedelta(days=1))
    merge = {"kind": "merge", "sources": ["c01", "c02"], "target": "c09", "name": "东西坊社区"}
    merged = planned_and_applied(client, intake, merge)
    preview = merged["planned"]["preview"]
    assert preview["elders"] == [
        {"community": "c01", "elders": 4},
        {"community": "c02", "elders": 3},
    ]
    assert (preview["households"], preview["cells"]) == (5, 0)
    assert {(s["username"], s["becomes"]) for s in merged["planned"]["staff"]} == {
        ("visitor2", "c09")
    }
    assert merged["done"]["moved"]["elders"] == preview["elders"]
    split = {
        "kind": "split",
        "sources": ["c03"],
        "target": "c10",
        "name": "三路社区",
        "cells": [building.json["cell_id"]],
    }
    parted = planned_and_applied(client, intake, split)
    assert parted["done"]["moved"]["elders"] == [{"community": "c03", "elders": 2}]
    assert parted["done"]["moved"]["cells"] == 1

    after = client.get("/statistics", headers=CLERK).json
    assert elders(after) == {"c03": 1, "c09": 7, "c10": 2}
    assert households(after, "c09") == {
        "empty_nest": (2, 4),
        "living_alone": (2, 2),
        "with_family": (1, 2),
    }
    assert households(after, "c10") == {"living_alone": (2, 2)}
    day_before = client.get("/statistics", query_string={"as_of": "2026-12-05"}, headers=CLERK)
    assert day_before.status_code == 200, day_before.json
    assert elders(day_before.json) == elders(first_day)
    assert households(day_before.json, "c01") == households(first_day, "c01")
    one = client.get(
        "/statistics", query_string={"as_of": "2026-12-05", "community": "c02"}, headers=CLERK
    )
    assert elders(one.json) == {"c02": 3}  # a community merged away, as it was
    today = client.get("/statistics", query_string={"as_of": "2026-12-06"}, headers=CLERK)
    assert elders(today.json) == elders(after)  # today: so far
    future = client.get("/statistics", query_string={"as_of": "2026-12-07"}, headers=CLERK)
    assert future.status_code == 422 and "time past" in future.json["detail"]

    moved = [district["c01"][0], district["c03"][0]]
    for elder_id, community in zip(moved, ("c09", "c10"), strict=True):
        record = client.get(f"/elders/{elder_id}", headers=CLERK).json
        assert record["community"] == community
        waiting = outbox_types(intake, elder_id)
        assert [t for t in waiting if t == "elder.reorganised"] == ["elder.reorganised"]
    # a clerk who still writes a merged community's code or name means the one it joined
    for sequence, written in ((11, "c01"), (12, "西坊")):
        body = registration(sequence=sequence, community=written)
        answer = client.post("/elders", json=body, headers=CLERK)
        assert answer.status_code == 201 and answer.json["community"] == "c09", answer.json
    district_now = client.get("/district", headers=CLERK).json
    assert [c["code"] for c in district_now["communities"]] == ["c03", "c09", "c10"]
    assert {r["code"]: r["successor"] for r in district_now["retired"]} == {
        "c01": "c09",
        "c02": "c09",
    }


def test_plans_the_district_cannot_take_are_refused_and_only_the_administrator_plans(client):
    merge = {"kind": "merge", "sources": ["c01"], "target": "c09", "name": "新"}
    refused = client.post("/reorganisations", json=merge, headers=ADMIN)
    assert refused.status_code == 422 and "two communities or more" in refused.json["detail"]
    unknown = {**merge, "sources": ["c01", "c77"]}
    assert "c77" in client.post("/reorganisations", json=unknown, headers=ADMIN).json["detail"]
    by_clerk = client.post(
        "/reorganisations", json={**merge, "sources": ["c01", "c02"]}, headers=CLERK
    )
    assert by_clerk.status_code == 403
    assert client.get("/reorganisations", headers=ADMIN).json["total"] == 0
