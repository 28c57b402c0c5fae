"""The scheduled duties with the injectable clock: overdue detection and escalation, and the
monthly generation of routine visits, through the operator's endpoints and the worker's jobs."""

from datetime import UTC, datetime, timedelta

from test_visits_support import (
    HEAD,
    NOW,
    OPERATOR,
    VISITOR,
    configure,
    pending_events,
    register,
    report,
)

from services.visits.bootstrap import worker

HOUR = timedelta(hours=1)

pytest_plugins = ["test_visits_support"]  # the fixtures `visits` and `client`


def test_an_unmet_obligation_is_flagged_overdue_and_escalated_once(client, visits):
    register(visits, "e-1")
    configure(client)
    late = report(client, occurred_at=NOW).json["obligation_id"]
    met = report(client, trigger="worries", occurred_at=NOW).json["obligation_id"]
    visit = {"elder_id": "e-1", "visited_at": NOW.isoformat(), "kind": "home", "meets": [met]}
    assert client.post("/visits", json=visit, headers=VISITOR).status_code == 201

    visits.clock.move_to(NOW + 72 * HOUR)  # due exactly now: not yet overdue
    assert client.post("/jobs/overdue", headers=OPERATOR).json["overdue"] == 0
    visits.clock.move_to(NOW + 73 * HOUR)
    first = client.post("/jobs/overdue", headers=OPERATOR)
    assert first.status_code == 200
    assert first.json == {"overdue": 1, "escalated": 1, "unescalated": 0}
    again = client.post("/jobs/overdue", headers=OPERATOR).json
    assert again == {"overdue": 0, "escalated": 0, "unescalated": 0}

    obligation = client.get(f"/obligations/{late}", headers=HEAD).json
    assert (obligation["overdue"], obligation["escalated_to"]) == (True, "li")
    assert obligation["escalated_at"] == (NOW + 73 * HOUR).isoformat()
    assert pending_events(visits, "obligations", late) == [
        "obligation.created",
        "obligation.overdue",
        "obligation.escalated",
    ]
    assert client.get(f"/obligations/{met}", headers=HEAD).json["overdue"] is False
    heads_list = client.get("/obligations", query_string={"overdue": "true"}, headers=HEAD).json
    assert [o["obligation_id"] for o in heads_list["items"]] == [late]
    assert client.post("/jobs/overdue", headers=VISITOR).status_code == 403


def test_without_a_community_head_overdue_work_is_escalated_once_one_is_named(client, visits):
    register(visits, "e-1")
    late = report(client, occurred_at=NOW).json["obligation_id"]
    visits.clock.move_to(NOW + 100 * HOUR)
    assert client.post("/jobs/overdue", headers=OPERATOR).json == {
        "overdue": 1,
        "escalated": 0,
        "unescalated": 1,
    }
    configure(client, head="li")
    assert client.post("/jobs/overdue", headers=OPERATOR).json == {
        "overdue": 0,
        "escalated": 1,
        "unescalated": 0,
    }
    assert pending_events(visits, "obligations", late)[1:] == [
        "obligation.overdue",
        "obligation.escalated",
    ]


def test_monthly_visits_are_generated_once_for_home_care_and_pairings(client, visits):
    configure(client)
    register(visits, "e-1", home_care=True)
    register(visits, "e-2", home_care=True, community="dongfeng")
    register(visits, "e-3")  # not a home-care household
    register(visits, "e-4", home_care=True, status="deceased")
    pairing = {
        "elder_id": "e-3",
        "partner_id": "cadre-li",
        "partner_name": "李干部",
        "partner_kind": "cadre",
        "visits_per_month": 2,
    }
    assert client.post("/pairings", json=pairing, headers=HEAD).status_code == 201

    first = client.post("/jobs/monthly", headers=OPERATOR)
    assert first.status_code == 200
    assert first.json == {"month": "2026-11", "created": 4, "existing": 0}
    assert client.post("/jobs/monthly", headers=OPERATOR).json == {
        "month": "2026-11",
        "created": 0,
        "existing": 4,
    }
    routine = client.get("/obligations/routine:e-1:2026-11", headers=HEAD).json
    assert routine["due_at"] == "2026-11-30T16:00:00+00:00"  # 1 December, 00:00 in Shanghai
    assert routine["assignee"] == "wang"
    assert client.get("/obligations/routine:e-2:2026-11", headers=HEAD).json["assignee"] is None
    paired = client.get(
        "/obligations", query_string={"kind": "pairing", "elder_id": "e-3"}, headers=HEAD
    ).json["items"]
    assert [(o["assignee"], o["due_at"]) for o in paired] == [
        ("cadre-li", "2026-11-15T16:00:00+00:00"),
        ("cadre-li", "2026-11-30T16:00:00+00:00"),
    ]
    assert (
        client.get("/obligations", query_string={"elder_id": "e-4"}, headers=HEAD).json["total"]
        == 0
    )


def test_the_month_generated_is_the_districts_month(client, visits):
    register(visits, "e-1", home_care=True)
    visits.clock.move_to(datetime(2026, 11, 30, 16, 30, tzinfo=UTC))  # 1 Dec, 00:30 in Shanghai
    assert client.post("/jobs/monthly", headers=OPERATOR).json["month"] == "2026-12"
    routine = client.get("/obligations/routine:e-1:2026-12", headers=HEAD).json
    assert routine["due_at"] == "2026-12-31T16:00:00+00:00"
    ahead = client.post("/jobs/monthly", query_string={"month": "2027-01"}, headers=OPERATOR)
    assert ahead.json == {"month": "2027-01", "created": 1, "existing": 0}
    past = client.post("/jobs/monthly", query_string={"month": "2026-11"}, headers=OPERATOR)
    assert past.status_code == 422 and "has passed" in past.json["detail"]


def test_the_worker_runs_both_duties_on_its_schedule(visits):
    register(visits, "e-1", home_care=True)
    duties = {name: (every, job) for name, every, job in worker(visits).periodic}
    assert set(duties) == {"overdue", "monthly"}
    assert duties["overdue"][0] <= 300  # overdue work is noticed within minutes
    assert duties["monthly"][1]().created == 1
    visits.clock.move_to(NOW + 40 * 24 * HOUR)  # 8 January: November's visit is long overdue
    result = duties["overdue"][1]()
    assert (result.overdue, result.unescalated) == (1, 1)
