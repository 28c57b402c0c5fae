"""The yearly evaluation in visits on the real store, through its HTTP API: a community's card
counted exactly from its records, each point traced to them; the cycles allowances announces
kept once; a visitor sees their own card, another community's head none; the district's
weights; and the year frozen after its end, a later correction shown beside it."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from test_visits_support import (  # noqa: F401
    ADMIN,
    DONGFENG_HEAD,
    HEAD,
    NOW,
    VISITOR,
    client,
    configure,
    cycle_approved,
    handle,
    register,
    report,
    visits,
)

from services.visits.entrypoints.app import create_app
from shared.clock import FixedClock


def made_in_time(client, obligation_id: str, visit_id: str) -> None:  # noqa: F811
    visit = {"visit_id": visit_id, "elder_id": "e-1", "visitor": "wang",
             "visited_at": (NOW - timedelta(minutes=30)).isoformat(), "kind": "home"}  # fmt: skip
    assert client.post("/visits", json=visit, headers=VISITOR).status_code == 201
    done = client.post(
        f"/obligations/{obligation_id}/complete", json={"visit_id": visit_id}, headers=VISITOR
    )
    assert done.status_code == 200, done.json


def a_year(client, visits) -> str:  # noqa: F811
    """xinhua's year: a must-visit made in time, one left open past its deadline, a rating of
    five, and two months' high-age cycles, one late. Returns the open one's id."""
    configure(client)
    configure(client, "dongfeng", "zhao", "sun")
    register(visits, "e-1", key_target_reasons=["living_alone"], priority_card=True)
    made = report(client, reference="h-1").json["obligation_id"]
    made_in_time(client, made, "v-1")
    missed = report(client, occurred_at=NOW - timedelta(days=10), reference="h-2")
    assert missed.status_code == 201, missed.json
    rating = {"feedback_id": "p-1", "elder_id": "e-1", "subject": "visit", "reference": "v-1",
              "rating": 5, "given_by": "elder"}  # fmt: skip
    assert client.post("/feedback", json=rating, headers=VISITOR).status_code == 201
    for month, late in (("2026-09", False), ("2026-10", True)):
        assert handle(visits, cycle_approved(visits, month, late))
        assert not handle(visits, cycle_approved(visits, month, late))  # delivered again
    return missed.json["obligation_id"]


def scores(card: dict) -> dict[str, tuple[int, int]]:
    return {s["measure"]: (s["counted"], s["lines"]) for s in card["scores"] if s["lines"]}


def test_a_communitys_card_is_counted_from_its_records_and_explained(client, visits):  # noqa: F811
    missed = a_year(client, visits)
    read = client.get("/scorecards/xinhua/2026", headers=HEAD)
    assert read.status_code == 200, read.json
    [card] = read.json["communities"]
    assert scores(card) == {
        "must_visits_in_time": (1, 2),
        "no_overdue_work": (1, 2),
        "reports_on_time": (1, 3),  # September in time, October late, November's not in
        "satisfaction": (1, 1),
        "five_ones": (2, 5),  # the key-target list and a priority card
    }
    # judged weights 25 + 10 + 10 + 10 + 10 = 65
    assert card["total"] == round(
        round(100 * 25 * 0.5 / 65, 1) + round(100 * 10 * 0.5 / 65, 1)
        + round(100 * 10 / 3 / 65, 1) + round(100 * 10 / 65, 1)
        + round(100 * 10 * 0.4 / 65, 1),
        1,
    )  # fmt: skip
    assert card["frozen_total"] is None
    assert [w["subject"] for w in read.json["workers"]] == ["wang"]
    behind = client.get("/scorecards/xinhua/2026/must_visits_in_time", headers=HEAD).json
    first = behind["lines"][0]
    assert (first["record"], first["counted"], first["worker"]) == (missed, False, "wang")
    assert first["why"].startswith("未走访，已过期限 7 天") and "住院" in first["label"]
    assert [line["counted"] for line in behind["lines"]] == [False, True]
    five = client.get("/scorecards/xinhua/2026/five_ones", headers=VISITOR).json["lines"]
    assert {line["record"] for line in five if not line["counted"]} == {
        "service_guide", "hotline", "volunteer_team",
    }  # fmt: skip
    assert client.get("/scorecards/xinhua/2026", headers=DONGFENG_HEAD).status_code == 403
    assert client.get("/scorecards/xinhua/2026/speed", headers=HEAD).status_code == 404


def test_a_visitor_sees_their_own_card_and_the_district_compares_communities(client, visits):  # noqa: F811
    a_year(client, visits)
    mine = client.get("/scorecards/xinhua/2026", headers=VISITOR).json
    assert [w["subject"] for w in mine["workers"]] == ["wang"]
    theirs = client.get(
        "/scorecards/xinhua/2026/satisfaction", query_string={"worker": "li"}, headers=VISITOR
    ).json
    assert theirs["worker"] == "wang"  # a visitor's drill-down is their own work
    district = client.get("/scorecards/district/2026", headers=ADMIN).json
    totals = {c["subject"]: c["total"] for c in district["communities"]}
    assert sorted(totals) == ["dongfeng", "xinhua"]
    assert totals["xinhua"] == mine["communities"][0]["total"]
    dongfeng = next(c for c in district["communities"] if c["subject"] == "dongfeng")
    assert scores(dongfeng) == {"reports_on_time": (1, 3), "five_ones": (0, 5)}
    assert district["workers"] == [] and district["counted_at"]


def test_the_district_sets_the_weights(client, visits):  # noqa: F811
    a_year(client, visits)
    assert client.put("/scorecards/weights", json={"weights": {"five_ones": 0}},
                      headers=HEAD).status_code == 403  # fmt: skip
    for wrong in ({"speed": 5}, {"five_ones": 101}, {"five_ones": "5"}):
        answer = client.put("/scorecards/weights", json={"weights": wrong}, headers=ADMIN)
        assert answer.status_code == 422, wrong
        assert answer.headers["Content-Type"] == "application/problem+json"
    zero = {m: 0 for m in client.get("/scorecards/weights", headers=HEAD).json["weights"]}
    assert (
        client.put("/scorecards/weights", json={"weights": zero}, headers=ADMIN).status_code == 422
    )
    set_ = client.put("/scorecards/weights", json={"weights": {"five_ones": 0}}, headers=ADMIN)
    assert set_.status_code == 200 and set_.json["weights"]["five_ones"] == 0
    card = client.get("/scorecards/xinhua/2026", headers=HEAD).json["communities"][0]
    # judged weights now 25 + 10 + 10 + 10 (+ 0): the five ones earn nothing
    assert card["total"] == round(
        round(100 * 25 * 0.5 / 55, 1) + round(100 * 10 * 0.5 / 55, 1)
        + round(100 * 10 / 3 / 55, 1) + round(100 * 10 / 55, 1),
        1,
    )  # fmt: skip


def test_the_year_is_frozen_after_it_ends_and_corrections_show_beside_it(client, visits):  # noqa: F811
    missed = a_year(client, visits)
    early = client.post("/scorecards/district/2026/freeze", headers=ADMIN)
    assert early.status_code == 422 and "not over" in early.json["detail"]
    assert client.post("/scorecards/district/2026/freeze", headers=HEAD).status_code == 403
    january = create_app(replace(visits, clock=FixedClock(datetime(2027, 1, 4, 2, tzinfo=UTC))))
    later = january.test_client()
    frozen = later.post("/scorecards/district/2026/freeze", headers=ADMIN)
    assert frozen.status_code == 201, frozen.json
    assert frozen.json["frozen_by"] == "admin" and frozen.json["workers"]
    xinhua = next(c for c in frozen.json["communities"] if c["subject"] == "xinhua")
    assert xinhua["frozen_total"] == xinhua["total"]
    assert later.post("/scorecards/district/2026/freeze", headers=ADMIN).status_code == 409
    # the missed must-visit is made after all (late): the work is no longer left open
    made_in_time(client, missed, "v-2")
    now = later.get("/scorecards/xinhua/2026", headers=HEAD).json["communities"][0]
    assert now["frozen_total"] == xinhua["frozen_total"]
    assert now["total"] > now["frozen_total"]
    assert scores({"scores": now["frozen"]})["no_overdue_work"] == (1, 2)
    assert scores(now)["no_overdue_work"] == (2, 2)
