"""Supervision in visits on the real store, through its HTTP API: the district records an
inspection with its corrections; the community's head puts one right, once; a correction
open past its due date is overdue; another community's staff see none of it."""

from test_visits_support import (  # noqa: F401
    ADMIN,
    DONGFENG_HEAD,
    HEAD,
    VISITOR,
    client,
    visits,
)


def test_an_inspections_corrections_are_followed_up_to_closure(client, visits):  # noqa: F811
    body = {
        "community": "xinhua",
        "inspected_on": "2026-11-20",
        "inspectors": "街道驻片工作组",
        "findings": "重点对象名单三个月未更新；两户走访记录缺失",
        "corrections": [
            {"what": "更新重点对象名单", "due_on": "2026-11-25"},
            {"what": "补齐走访记录", "due_on": "2026-12-20"},
        ],
    }
    assert client.post("/inspections", json=body, headers=HEAD).status_code == 403
    made = client.post("/inspections", json=body, headers=ADMIN)
    assert made.status_code == 201, made.json
    inspection = made.json
    overdue = [(c["number"], c["overdue"]) for c in inspection["corrections"]]
    assert overdue == [(1, True), (2, False)]  # today is 2026-11-29
    path = f"/inspections/{inspection['inspection_id']}/corrections/1/done"
    assert client.post(path, json={"how": "已更新"}, headers=VISITOR).status_code == 403
    done = client.post(path, json={"how": "已更新并报街道"}, headers=HEAD)
    assert done.status_code == 200, done.json
    assert done.json["corrections"][0]["status"] == "done"
    assert done.json["corrections"][0]["overdue"] is False
    assert client.post(path, json={"how": "again"}, headers=HEAD).status_code == 409
    listed = client.get("/inspections", query_string={"open": "true"}, headers=HEAD).json
    assert listed["total"] == 1
    assert client.get("/inspections", headers=DONGFENG_HEAD).json["total"] == 0
    backwards = {**body, "corrections": [{"what": "x", "due_on": "2026-11-01"}]}
    refused = client.post("/inspections", json=backwards, headers=ADMIN)
    assert refused.status_code == 422 and "before the inspection" in refused.json["detail"]
