"""The key-target list (一批重点服务对象) on the real store: as JSON, as a workbook and as a PDF
whose text holds the Chinese headings, each limited to a community's staff's own community."""

from dataclasses import replace
from datetime import timedelta

from report_reading import pdf_text, workbook_rows
from test_visits_support import (
    ADMIN,
    DONGFENG_HEAD,
    HEAD,
    NOW,
    VISITOR,
    configure,
    cycle_approved,
    handle,
    incident_event,
    register,
)

from services.visits.service_layer.schedule import generate_month
from shared.clock import FixedClock

pytest_plugins = ["test_visits_support"]  # the fixtures `visits` and `client`
HOUR = timedelta(hours=1)


def district(visits, client):
    configure(client)  # xinhua: worker wang, head li
    register(visits, "e-1", name="张桂英", key_target_reasons=["living_alone"])
    register(visits, "e-2", name="李福生", key_target_reasons=["low_income", "disabled"])
    register(visits, "e-3", name="王平")  # not a key target
    register(visits, "e-4", name="赵兰", community="dongfeng", key_target_reasons=["empty_nest"])
    visit = {
        "visit_id": "v-1",
        "elder_id": "e-1",
        "visitor": "wang",
        "visited_at": (NOW - timedelta(days=3)).isoformat(),
        "kind": "home",
    }
    recorded = client.post("/visits", json=visit, headers=VISITOR)
    assert recorded.status_code == 201, recorded.json


def test_a_communitys_key_targets_with_reasons_and_last_visit_in_each_form(visits, client):
    district(visits, client)
    answer = client.get("/reports/key-targets?community=xinhua", headers=HEAD)
    assert answer.status_code == 200, answer.json
    listed = [(t["elder_id"], t["reasons"], t["last_visitor"]) for t in answer.json["targets"]]
    assert listed == [("e-2", ["low_income", "disabled"], None), ("e-1", ["living_alone"], "wang")]
    assert answer.json["staff"] == [{"community": "xinhua", "worker": "wang", "head": "li"}]

    book = client.get("/reports/key-targets?community=xinhua&format=xlsx", headers=HEAD)
    assert book.status_code == 200 and book.mimetype.endswith("spreadsheetml.sheet")
    rows = workbook_rows(book.data)
    assert rows[0][0] == "重点服务对象名单（xinhua）"
    header = rows.index(next(r for r in rows if r and r[0] == "序号"))
    entries = [dict(zip(rows[header], r, strict=True)) for r in rows[header + 1 :]]
    assert [(e["姓名"], e["重点服务原因"], e["最近走访日期"]) for e in entries] == [
        ("李福生", "低保、残疾", "从未走访"),
        ("张桂英", "独居", "2026-11-26"),
    ]

    printed = client.get("/reports/key-targets?community=xinhua&format=pdf", headers=HEAD)
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"
    text = pdf_text(printed.data)
    for shown in ("重点服务对象名单（xinhua）", "重点服务原因", "李福生", "低保、残疾", "从未走访"):
        assert shown in text, shown


def test_community_staff_get_their_own_community_and_the_district_gets_all(visits, client):
    district(visits, client)
    theirs = client.get("/reports/key-targets", headers=DONGFENG_HEAD).json
    assert theirs["community"] == "dongfeng"
    assert [t["elder_id"] for t in theirs["targets"]] == ["e-4"]
    refused = client.get("/reports/key-targets?community=xinhua", headers=DONGFENG_HEAD)
    assert refused.status_code == 403
    assert refused.mimetype == "application/problem+json" and "dongfeng" in refused.json["detail"]
    everyone = client.get("/reports/key-targets", headers=ADMIN).json
    assert everyone["community"] is None
    assert [t["elder_id"] for t in everyone["targets"]] == ["e-4", "e-2", "e-1"]
    assert client.get("/reports/key-targets?format=doc", headers=ADMIN).status_code == 422


def test_the_home_care_month_counts_visits_and_services_in_each_form(visits, client):
    configure(client)
    register(visits, "e-1", name="张桂英", home_care=True)
    register(visits, "e-2", name="赵兰", community="dongfeng")
    early = replace(visits, clock=FixedClock(NOW - timedelta(days=20)))  # November the 9th
    assert generate_month(early, "2026-11").created == 1  # e-1's home-care visit, due the 25th
    for elder_id, kind, day, instances in (
        ("e-1", "meals", "2026-11-02", 3),
        ("e-1", "housekeeping", "2026-11-20", 2),
        ("e-2", "medical", "2026-11-15", 1),
        ("e-2", "medical", "2026-10-15", 4),  # October's
    ):
        body = {
            "elder_id": elder_id,
            "service_type": kind,
            "delivered_on": day,
            "instances": instances,
            "provider": "社区卫生站",
        }
        assert client.post("/services", json=body, headers=VISITOR).status_code == 201

    report = client.get("/reports/home-care/2026-11", headers=ADMIN).json
    dongfeng, xinhua = report["communities"]
    assert xinhua["home_care_visits"] == {"due": 1, "made": 0, "overdue": 1}  # not made by the 25th
    assert (xinhua["services"]["meals"], xinhua["services"]["housekeeping"]) == (3, 2)
    assert dongfeng["services"]["medical"] == 1 and dongfeng["home_care_visits"]["due"] == 0
    assert report["district"]["services"]["medical"] == 1
    # due on the 25th with the month's voucher cycle, which is not handed in by the 29th
    assert report["filed"] == {"due_on": "2026-11-25", "handed_in": False, "late": True}
    assert handle(visits, cycle_approved(visits, "2026-11", False, "home_care_voucher"))
    report = client.get("/reports/home-care/2026-11", headers=ADMIN).json
    assert report["filed"] == {"due_on": "2026-11-25", "handed_in": True, "late": False}
    # allowances moved the report day to the 20th for December's cycles: January's report is
    # due on the 20th too, as allowances said, not on visits' own day
    assert handle(visits, cycle_approved(visits, "2026-12", False, "high_age", due_day=20))
    january = client.get("/reports/home-care/2027-01", headers=ADMIN).json
    assert january["filed"] == {"due_on": "2027-01-20", "handed_in": False, "late": False}

    book = client.get("/reports/home-care/2026-11?format=xlsx", headers=ADMIN)
    rows = workbook_rows(book.data)
    header = next(r for r in rows if r and r[0] == "社区")
    total = dict(zip(header, next(r for r in rows if r and r[0] == "全街道合计"), strict=True))
    assert (total["上门走访应访"], total["助餐服务（人次）"], total["医疗保健（人次）"]) == (
        1,
        3,
        1,
    )
    mine = client.get("/reports/home-care/2026-11?format=pdf", headers=DONGFENG_HEAD)
    text = pdf_text(mine.data)
    assert "居家养老月报表（2026年11月）：走访与服务" in text and "xinhua" not in text
    assert "报送截止日期" in text and "2026-11-25" in text


def test_the_years_figures_count_must_visits_made_by_trigger_and_services_by_type(visits, client):
    district(visits, client)
    handle(visits, incident_event(visits, "adm-y", "e-1", "hospitalised", NOW - 2 * HOUR))
    visit = {
        "visit_id": "v-y",
        "elder_id": "e-1",
        "visitor": "wang",
        "visited_at": (NOW - HOUR).isoformat(),
        "kind": "hospital",
        "meets": ["incident:adm-y"],
        "services": [{"service_type": "medical", "instances": 2}],
    }
    assert client.post("/visits", json=visit, headers=VISITOR).status_code == 201
    patrol = {"community": "xinhua", "kind": "volunteer_service", "activity": "public_order",
              "name": "巡逻队", "founded_on": "2026-01-05"}  # fmt: skip
    team = client.post("/teams", json=patrol, headers=HEAD).json
    member = {"elder_id": "e-1", "joined_on": "2026-02-01"}
    assert (
        client.post(f"/teams/{team['team_id']}/members", json=member, headers=HEAD).status_code
        == 200
    )
    fair = {"community": "xinhua", "title": "重阳联欢", "category": "singing",
            "held_on": "2026-10-29", "head_count": 60}  # fmt: skip
    assert client.post("/occasions", json=fair, headers=VISITOR).status_code == 201
    served = {"community": "xinhua", "elder_id": "e-1", "service": "public_order",
              "served_on": "2026-05-02", "hours": 2.5, "team_id": team["team_id"]}  # fmt: skip
    assert client.post("/volunteer-service", json=served, headers=VISITOR).status_code == 201
    summary = client.get("/reports/year/2026", headers=ADMIN).json
    assert summary["teams"]["volunteer_service"] == {"teams": 1, "members": 1}
    assert summary["teams"]["culture_sports"] == {"teams": 0, "members": 0}
    assert (summary["activity_person_times"], summary["learning_person_times"]) == (60, 0)
    assert summary["volunteer_hours"] == 2.5
    assert summary["must_visits_made"]["hospitalised"] == 1 and summary["must_visits_total"] == 1
    assert summary["services"]["medical"] == 2 and summary["services_total"] == 2
    assert client.get("/reports/year/2025", headers=ADMIN).json["must_visits_total"] == 0
    book = client.get("/reports/year/2026?format=xlsx", headers=ADMIN)
    rows = workbook_rows(book.data)
    assert ["必访已走访（人次）", "生病住院", 1] in rows and [
        "提供服务（人次）",
        "医疗保健",
        2,
    ] in rows
    assert ["队伍（支）", "老年志愿服务队", 1] in rows and [
        "队员（人）",
        "老年志愿服务队",
        1,
    ] in rows
    assert ["学习活动（人次）", "文体活动", 60] in rows and [
        "志愿服务（小时）",
        "合计",
        2.5,
    ] in rows
    printed = client.get("/reports/year/2026?format=pdf", headers=HEAD)
    text = pdf_text(printed.data)
    assert "2026年度工作总结数据：走访与服务" in text and "生病住院" in text
    xinhua = client.get("/reports/year/2026?community=xinhua", headers=ADMIN).json
    assert {k: v for k, v in xinhua.items() if k != "community"} == {
        k: v for k, v in summary.items() if k != "community"
    }  # every figure of the district is xinhua's
    other = client.get("/reports/year/2026", headers=DONGFENG_HEAD).json  # their community's
    assert other["community"] == "dongfeng"
    assert (other["must_visits_total"], other["services_total"], other["volunteer_hours"]) == (
        0,
        0,
        0,
    )
    mine = client.get("/reports/year/2026?format=pdf", headers=DONGFENG_HEAD)
    assert "社区：dongfeng" in pdf_text(mine.data)
    refused = client.get("/reports/year/2026?community=xinhua", headers=DONGFENG_HEAD)
    assert refused.status_code == 403


def test_the_public_notice_prints_the_staff_the_items_and_the_deadlines_as_configured(
    visits, client
):
    configure(client)  # xinhua: worker wang, head li
    visits.staff_contacts.apply("li", 1, "contact-1", {"mobile": "13800000001"})
    body = {"triggers": {"hospitalised": 48}, "help_requests": {"urgent": 1}}
    assert client.put("/config/deadlines", json=body, headers=ADMIN).status_code == 200
    printed = client.get("/reports/public-notice/xinhua?name=新华社区", headers=HEAD)
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"
    text = pdf_text(printed.data)
    assert "新华社区为老服务公示" in text
    assert "社区负责人li13800000001" in text and "走访员wang—" in text
    assert "生病住院48" in text and "紧急1" in text and "72小时内答复" in text
    assert "医疗保健" in text
    theirs = client.get("/reports/public-notice/xinhua", headers=DONGFENG_HEAD)
    assert theirs.status_code == 403
