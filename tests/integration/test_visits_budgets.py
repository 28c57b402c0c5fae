"""The yearly elder-work budget in visits on the real store, through its HTTP API: the head
sets the community's lines and partner units, records spending once however often it is sent,
and reads planned, spent and left to the fen; the district's own budget is the
administrator's; another community's head may neither read nor set it; the district reads the
year's budgets together."""

from test_visits_support import (  # noqa: F401
    ADMIN,
    DONGFENG_HEAD,
    HEAD,
    VISITOR,
    client,
    visits,
)

BUDGET = {
    "lines": [
        {"line": "equipment", "planned_fen": 500_000},
        {"line": "periodicals", "planned_fen": 120_050},
        {"line": "activities", "planned_fen": 300_000},
    ],
    "partners": [
        {"name": "区人民医院", "gives": "money", "amount_fen": 200_000},
        {"name": "第一小学", "gives": "venue", "venue": "操场"},
    ],
}


def test_the_head_keeps_the_budget_and_its_spending_to_the_fen(client, visits):  # noqa: F811
    made = client.put("/budgets/xinhua/2026", json=BUDGET, headers=HEAD)
    assert made.status_code == 200, made.json
    assert (made.json["version"], made.json["planned_fen"]) == (1, 920_050)
    assert client.put("/budgets/xinhua/2026", json=BUDGET, headers=HEAD).status_code == 409
    spent = {"spending_id": "s-1", "line": "periodicals", "amount_fen": 130_000,
             "spent_on": "2026-03-02", "what": "订阅《中国老年报》"}  # fmt: skip
    first = client.post("/budgets/xinhua/2026/spending", json=spent, headers=HEAD)
    assert first.status_code == 201, first.json
    again = client.post("/budgets/xinhua/2026/spending", json=spent, headers=HEAD)
    assert again.json["spent_fen"] == 130_000  # sent twice, recorded once
    read = client.get("/budgets/xinhua/2026", headers=VISITOR).json
    periodicals = next(line for line in read["lines"] if line["line"] == "periodicals")
    assert (periodicals["spent_fen"], periodicals["left_fen"]) == (130_000, -9_950)  # overspent
    assert read["left_fen"] == 920_050 + 200_000 - 130_000
    assert read["spending"][0]["recorded_by"] == "li"
    for wrong in (
        {**spent, "spending_id": "s-2", "line": "training"},  # not a line of the budget
        {**spent, "spending_id": "s-3", "amount_fen": 0},
        {**spent, "spending_id": "s-4", "amount_fen": "100"},
        {**spent, "spending_id": "s-5", "spent_on": "2025-12-31"},
    ):
        answer = client.post("/budgets/xinhua/2026/spending", json=wrong, headers=HEAD)
        assert answer.status_code == 422, wrong
        assert answer.headers["Content-Type"] == "application/problem+json"
    dropped = {**BUDGET, "lines": BUDGET["lines"][:1], "version": 2}
    kept = client.put("/budgets/xinhua/2026", json=dropped, headers=HEAD)
    assert kept.status_code == 422 and "periodicals" in kept.json["detail"]


def test_who_may_set_and_read_a_budget_and_the_districts_sum(client, visits):  # noqa: F811
    assert client.put("/budgets/xinhua/2026", json=BUDGET, headers=DONGFENG_HEAD).status_code == 403
    assert client.put("/budgets/xinhua/2026", json=BUDGET, headers=VISITOR).status_code == 403
    assert client.put("/budgets/district/2026", json=BUDGET, headers=HEAD).status_code == 403
    assert client.put("/budgets/xinhua/2026", json=BUDGET, headers=HEAD).status_code == 200
    assert client.get("/budgets/xinhua/2026", headers=DONGFENG_HEAD).status_code == 403
    assert client.get("/budgets/dongfeng/2026", headers=ADMIN).status_code == 404
    own = {"lines": [{"line": "training", "planned_fen": 1_000_000}], "partners": []}
    assert client.put("/budgets/district/2026", json=own, headers=ADMIN).status_code == 200
    summed = client.get("/budgets/district/2026", headers=ADMIN).json
    assert [c["owner"] for c in summed["communities"]] == ["xinhua"]
    assert summed["district"]["planned_fen"] == 1_000_000
    assert summed["total"]["planned_fen"] == 1_920_050
    assert summed["total"]["partner_money_fen"] == 200_000
    assert summed["total"]["partner_units"] == 2
    bad = {"lines": [{"line": "yachts", "planned_fen": 1}]}
    assert client.put("/budgets/xinhua/2027", json=bad, headers=HEAD).status_code == 422
