"""Feedback and complaints in visits on the real store, through its HTTP API: a rating of a
visit rates its visitor and is recorded once however often sent; a complaint is answered and
closed, not by the worker it is about, and another community's staff neither see nor close
it; and the period's satisfaction, counted exactly, as JSON and as a workbook."""

from datetime import timedelta
from io import BytesIO

from openpyxl import load_workbook
from test_visits_support import (  # noqa: F401
    ADMIN,
    DONGFENG_HEAD,
    DONGFENG_VISITOR,
    HEAD,
    NOW,
    VISITOR,
    client,
    register,
    visits,
)


def sent(client, path: str, body: dict, headers=VISITOR, status: int = 201) -> dict:  # noqa: F811
    answer = client.post(path, json=body, headers=headers)
    assert answer.status_code == status, answer.json
    return answer.json


def test_a_rating_of_a_visit_rates_its_visitor_once_however_often_it_is_sent(client, visits):  # noqa: F811
    register(visits, "e-1")
    visit = {"visit_id": "v-1", "elder_id": "e-1", "visitor": "wang",
             "visited_at": (NOW - timedelta(hours=1)).isoformat(), "kind": "home"}  # fmt: skip
    sent(client, "/visits", visit)
    rating = {"feedback_id": "phone-1", "elder_id": "e-1", "subject": "visit", "reference": "v-1",
              "rating": 5, "given_by": "family", "remarks": "小王很耐心"}  # fmt: skip
    first = sent(client, "/feedback", rating)
    assert (first["worker"], first["community"], first["recorded_by"]) == ("wang", "xinhua", "wang")
    assert sent(client, "/feedback", rating) == first  # the phone sent it again
    listed = client.get("/feedback", query_string={"worker": "wang"}, headers=HEAD).json
    assert listed["total"] == 1
    for wrong in ({"rating": 6}, {"rating": "5"}, {"given_by": "neighbour"}, {"subject": "x"}):
        answer = client.post("/feedback", json={**rating, "feedback_id": "p2", **wrong},
                             headers=VISITOR)  # fmt: skip
        assert answer.status_code == 422, wrong
    theirs = client.get("/feedback", headers=DONGFENG_HEAD).json
    assert theirs["total"] == 0  # another community's staff see none of xinhua's


def test_a_complaint_is_closed_by_someone_else_than_the_worker_it_is_about(client, visits):  # noqa: F811
    register(visits, "e-1")
    complaint = sent(
        client,
        "/complaints",
        {"elder_id": "e-1", "channel": "hotline", "about": "走访员王", "worker": "wang",
         "description": "说好周二来，没有来"},
        headers=HEAD,
    )  # fmt: skip
    assert complaint["status"] == "open" and complaint["overdue"] is False
    assert complaint["answer_by"].startswith((NOW + timedelta(hours=72)).date().isoformat())
    path = f"/complaints/{complaint['complaint_id']}"
    refused = client.post(f"{path}/close", json={"answer": "已解释"}, headers=VISITOR)
    assert refused.status_code == 422 and "someone else" in refused.json["detail"]
    assert (
        client.post(f"{path}/close", json={"answer": "x"}, headers=DONGFENG_VISITOR).status_code
        == 404
    )
    closed = sent(client, f"{path}/close", {"answer": "已道歉并补访"}, HEAD, 200)
    assert (closed["status"], closed["closed_by"], closed["answered_in_time"]) == (
        "closed",
        "li",
        True,
    )
    again = client.post(f"{path}/close", json={"answer": "again"}, headers=HEAD)
    assert again.status_code == 409
    nowhere = client.post("/complaints", json={"channel": "letter", "about": "x",
                                               "description": "y"}, headers=ADMIN)  # fmt: skip
    assert nowhere.status_code == 422 and "community" in nowhere.json["detail"]


def test_the_periods_satisfaction_is_counted_exactly_as_json_and_as_a_workbook(client, visits):  # noqa: F811
    register(visits, "e-1")
    register(visits, "e-2")
    for n, (elder, rating, service) in enumerate((("e-1", 5, "medical"), ("e-2", 2, "medical"),
                                                  ("e-2", 4, "housekeeping"))):  # fmt: skip
        body = {"elder_id": elder, "subject": "service", "worker": "wang", "rating": rating,
                "given_by": "elder", "service_type": service, "feedback_id": f"f{n}"}  # fmt: skip
        sent(client, "/feedback", body)
    sent(client, "/complaints", {"community": "xinhua", "channel": "letter", "about": "活动室",
                                 "description": "太吵"}, HEAD)  # fmt: skip
    asked = {"first": "2026-11-01", "last": "2026-11-30"}
    report = client.get("/reports/satisfaction", query_string=asked, headers=HEAD).json
    assert report["total"] == {"ratings": 3, "satisfied": 2, "mean": 3.67, "share": 66.7}
    assert report["by_service_type"]["medical"]["share"] == 50.0
    assert report["by_worker"]["wang"]["ratings"] == 3
    assert report["complaints"]["received"] == 1 and report["complaints"]["open"] == 1
    book = client.get("/reports/satisfaction", query_string={**asked, "format": "xlsx"},
                      headers=HEAD)  # fmt: skip
    assert book.status_code == 200
    rows = [list(r) for r in load_workbook(BytesIO(book.data)).active.iter_rows(values_only=True)]
    assert ["合计", "全部", 3, 2, 3.67, 66.7] in rows
    assert ["服务类别", "医疗保健", 2, 1, 3.5, 50.0] in rows
    backwards = client.get("/reports/satisfaction", query_string={"first": "2026-11-30",
                                                                  "last": "2026-11-01"},
                           headers=HEAD)  # fmt: skip
    assert backwards.status_code == 422
    theirs = client.get("/reports/satisfaction", query_string=asked, headers=DONGFENG_HEAD).json
    assert theirs["total"]["ratings"] == 0


def test_the_district_sets_how_long_a_complaint_may_wait(client, visits):  # noqa: F811
    register(visits, "e-1")
    for wrong in (0, "48", 10_000):
        answer = client.put("/config/deadlines", json={"complaints": wrong}, headers=ADMIN)
        assert answer.status_code == 422, wrong
    assert client.put("/config/deadlines", json={"complaints": 48}, headers=HEAD).status_code == 403
    set_ = client.put("/config/deadlines", json={"complaints": 48}, headers=ADMIN)
    assert set_.status_code == 200 and set_.json["complaint_answer_hours"] == 48
    assert client.get("/config", headers=HEAD).json["complaint_answer_hours"] == 48
    complaint = sent(
        client,
        "/complaints",
        {"elder_id": "e-1", "channel": "letter", "about": "活动室", "description": "太吵"},
        headers=HEAD,
    )
    assert complaint["answer_by"].startswith((NOW + timedelta(hours=48)).date().isoformat())
