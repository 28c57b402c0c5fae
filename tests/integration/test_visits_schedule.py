"""The scheduled duties with the injectable clock: overdue detection and escalation, and the
monthly generation of routine visits, through the operator's endpoints and the worker's jobs."""

from datetime import UTC, date, datetime, timedelta

from test_visits_support import (
    ADMIN,
    HEAD,
    NOW,
    OPERATOR,
    VISITOR,
    configure,
    elder_event,
    handle,
    pending_events,
    register,
    report,
)

from services.visits.bootstrap import worker

HOUR = timedelta(hours=1)
EARLY_NOVEMBER = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # before November's due day

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
    visits.clock.move_to(EARLY_NOVEMBER)
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
    assert first.json == {"month": "2026-11", "created": 4, "existing": 0, "past_due": 0}
    assert client.post("/jobs/monthly", headers=OPERATOR).json == {
        "month": "2026-11",
        "created": 0,
        "existing": 4,
        "past_due": 0,
    }
    routine = client.get("/obligations/routine:e-1:2026-11", headers=HEAD).json
    assert routine["due_at"] == "2026-11-25T16:00:00+00:00"  # the 25th's end in Shanghai
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
    assert routine["due_at"] == "2026-12-25T16:00:00+00:00"
    ahead = client.post("/jobs/monthly", query_string={"month": "2027-01"}, headers=OPERATOR)
    assert ahead.json == {"month": "2027-01", "created": 1, "existing": 0, "past_due": 0}
    past = client.post("/jobs/monthly", query_string={"month": "2026-11"}, headers=OPERATOR)
    assert past.status_code == 422 and "has passed" in past.json["detail"]


def test_routine_visits_fall_due_by_the_day_the_district_sets(client, visits):
    visits.clock.move_to(EARLY_NOVEMBER)
    assert client.get("/config", headers=HEAD).json["routine"]["due_day"] == 25
    for day in (0, 29):
        refused = client.put("/config/routine", json={"due_day": day}, headers=ADMIN)
        assert refused.status_code == 422
        assert refused.content_type == "application/problem+json"
        assert "1 to 28" in refused.json["detail"]
    assert client.put("/config/routine", json={"due_day": 20}, headers=HEAD).status_code == 403
    changed = client.put("/config/routine", json={"due_day": 20}, headers=ADMIN)
    assert changed.status_code == 200 and changed.json["routine"]["due_day"] == 20
    register(visits, "e-1", home_care=True)
    register(visits, "e-2", key_target_reasons=["living_alone"])
    assert client.post("/jobs/monthly", headers=OPERATOR).json["created"] == 2
    for obligation_id in ("routine:e-1:2026-11", "key_target:e-2:2026-11"):
        due = client.get(f"/obligations/{obligation_id}", headers=HEAD).json["due_at"]
        assert due == "2026-11-20T16:00:00+00:00"  # the 20th's end in Shanghai


def test_an_elder_who_becomes_due_after_the_due_day_is_first_visited_next_month(client, visits):
    register(visits, "e-1", home_care=True)  # on the 29th: November's report is closed
    register(visits, "e-2", key_target_reasons=["low_income"])
    assert client.post("/jobs/monthly", headers=OPERATOR).json == {
        "month": "2026-11",
        "created": 0,
        "existing": 0,
        "past_due": 2,
    }
    assert (
        client.get("/obligations", query_string={"elder_id": "e-1"}, headers=HEAD).json["total"]
        == 0
    )
    ahead = client.post("/jobs/monthly", query_string={"month": "2026-12"}, headers=OPERATOR)
    assert ahead.json["created"] == 2


def test_key_targets_get_one_visit_per_period_at_their_most_frequent_reason(client, visits):
    visits.clock.move_to(EARLY_NOVEMBER)
    configure(client)
    frequencies = {"low_income": "quarterly", "disabled": "none"}
    changed = client.put("/config/routine", json={"key_targets": frequencies}, headers=ADMIN)
    assert changed.status_code == 200, changed.json
    shown = {k["reason"]: k["frequency"] for k in changed.json["routine"]["key_targets"]}
    assert shown["low_income"] == "quarterly" and shown["living_alone"] == "monthly"
    unknown = client.put(
        "/config/routine", json={"key_targets": {"low_income": "weekly"}}, headers=ADMIN
    )
    assert unknown.status_code == 422 and "key_targets" in unknown.json["errors"]

    register(visits, "e-1", key_target_reasons=["living_alone", "low_income"])  # monthly
    register(visits, "e-2", key_target_reasons=["low_income"])  # quarterly
    register(visits, "e-3", key_target_reasons=["disabled"])  # not routinely
    register(visits, "e-4", home_care=True, key_target_reasons=["living_alone"])
    register(visits, "e-5", key_target_reasons=["living_alone"], status="deceased")
    register(visits, "e-6")  # not a key target
    assert client.post("/jobs/monthly", headers=OPERATOR).json["created"] == 3

    listed = client.get("/obligations", query_string={"kind": "routine"}, headers=HEAD).json
    assert sorted((o["obligation_id"], o["source"], o["due_at"]) for o in listed["items"]) == [
        ("key_target:e-1:2026-11", "key_target", "2026-11-25T16:00:00+00:00"),
        ("key_target:e-2:2026-10", "key_target", "2026-12-25T16:00:00+00:00"),
        ("routine:e-4:2026-11", "home_care", "2026-11-25T16:00:00+00:00"),
    ]
    assert client.get("/obligations/key_target:e-1:2026-11", headers=HEAD).json["assignee"] == (
        "wang"
    )
    assert pending_events(visits, "obligations", "key_target:e-1:2026-11") == ["obligation.created"]
    december = client.post("/jobs/monthly", query_string={"month": "2026-12"}, headers=OPERATOR)
    assert december.json == {"month": "2026-12", "created": 2, "existing": 1, "past_due": 0}
    assert client.get("/obligations/key_target:e-1:2026-12", headers=HEAD).status_code == 200


def test_key_target_visits_end_when_the_elder_no_longer_owes_them(client, visits):
    visits.clock.move_to(EARLY_NOVEMBER)
    configure(client)
    configure(client, community="dongfeng", worker="zhao", head="sun")
    for elder_id in ("e-1", "e-2", "e-3", "e-4"):
        register(visits, elder_id, key_target_reasons=["living_alone"])
    register(visits, "e-5", home_care=True)
    assert client.post("/jobs/monthly", headers=OPERATOR).json["created"] == 5

    def changed(elder_id: str, type_: str = "elder.updated", **fields) -> None:
        assert handle(visits, elder_event(visits, type_, elder_id, 2, **fields)) is True

    changed("e-1", key_target_reasons=[], changed=["key_target_reasons"])
    changed("e-2", home_care=True, key_target_reasons=["living_alone"], changed=["home_care"])
    changed(
        "e-3",
        "elder.deceased",
        status="deceased",
        died_on=date(2026, 11, 3),
        reported_by="death-registry",
    )
    changed(
        "e-4",
        "elder.moved",
        community="dongfeng",
        from_community="xinhua",
        to_community="dongfeng",
        moved_on=date(2026, 11, 3),
        key_target_reasons=["living_alone"],
    )
    changed("e-5", home_care=False, changed=["home_care"])
    reasons = {
        elder_id: client.get(f"/obligations/{obligation_id}", headers=HEAD).json
        for elder_id, obligation_id in [
            ("e-1", "key_target:e-1:2026-11"),
            ("e-2", "key_target:e-2:2026-11"),
            ("e-3", "key_target:e-3:2026-11"),
            ("e-5", "routine:e-5:2026-11"),
        ]
    }
    assert {e: (o["status"], o["cancelled_reason"]) for e, o in reasons.items()} == {
        "e-1": ("cancelled", "no_longer_key_target"),
        "e-2": ("cancelled", "home_care_visits"),
        "e-3": ("cancelled", "deceased"),
        "e-5": ("cancelled", "no_longer_home_care"),
    }
    assert pending_events(visits, "obligations", "key_target:e-1:2026-11")[-1] == (
        "obligation.cancelled"
    )
    moved = client.get("/obligations/key_target:e-4:2026-11", headers=HEAD).json
    assert (moved["status"], moved["community"], moved["assignee"]) == ("open", "dongfeng", "zhao")
    # generating again opens nothing for those who no longer owe it; e-2 is now a household
    again = client.post("/jobs/monthly", headers=OPERATOR).json
    assert (again["created"], again["existing"]) == (1, 1)
    assert client.get("/obligations/routine:e-2:2026-11", headers=HEAD).json["status"] == "open"


def test_the_worker_runs_its_duties_on_their_schedule(visits):
    visits.clock.move_to(EARLY_NOVEMBER)
    register(visits, "e-1", home_care=True)
    duties = {name: (every, job) for name, every, job in worker(visits).periodic}
    assert set(duties) == {"overdue", "monthly", "reminders", "scorecards"}
    assert duties["overdue"][0] <= 300  # overdue work is noticed within minutes
    assert duties["reminders"][0] <= 60  # and whoever must act is told within a minute
    assert duties["scorecards"][0] == visits.settings.scorecard_count_seconds
    assert duties["monthly"][1]().created == 1
    counted = duties["scorecards"][1]()  # the year of the district's clock, counted
    assert counted.year == EARLY_NOVEMBER.year and visits.scorecard_counts.get(counted.year_id)
    visits.clock.move_to(NOW + 40 * 24 * HOUR)  # 8 January: November's visit is long overdue
    result = duties["overdue"][1]()
    assert (result.overdue, result.unescalated) == (1, 1)
