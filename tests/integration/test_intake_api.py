"""Intake's API against the real store, through the Flask test client with a fixed clock."""

import io
import json
from datetime import UTC, date, datetime

import pytest
from intake_under_test import intake_under_test
from openpyxl import Workbook, load_workbook
from report_reading import pdf_text, workbook_rows
from staff import staff_headers

from services.intake.domain.district import Community
from services.intake.domain.national_id import check_character
from services.intake.entrypoints.app import create_app
from shared.outbox import OUTBOX

TOKENS = (
    "clerk:clerk:intake_clerk,admin:admin:district_admin,visitor:visitor:visitor,op:op:operator"
)
STAFF = staff_headers(TOKENS)
CLERK, ADMIN = STAFF["clerk"], STAFF["admin"]


@pytest.fixture
def intake(settings):
    communities = [Community("c01", "一社区"), Community("c02", "二社区")]
    with intake_under_test(
        settings, datetime(2026, 11, 29, 2, tzinfo=UTC), communities, TOKENS
    ) as service:
        yield service


@pytest.fixture
def client(intake):
    return create_app(intake).test_client()


def national_id(born: date, sequence: int = 2, area: str = "330281") -> str:
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def registration(born=date(1944, 3, 7), sequence=2, **changes):
    return {
        "national_id": national_id(born, sequence),
        "name": "王秀英",
        "sex": "male" if sequence % 2 else "female",
        "birth_date": born.isoformat(),
        "community": "c01",
        "address": f"新华路{national_id(born, sequence)[-6:]}号",
        **changes,
    }


def register(client, **changes):
    response = client.post("/elders", json=registration(**changes), headers=CLERK)
    assert response.status_code == 201, response.json
    return response.json


def outbox_types(intake, elder_id, topic="eldercare.intake.elders"):
    """The types of the elder's events waiting in its outbox for `topic`."""
    document = intake.db["elders"].find_one({"_id": elder_id})
    return [json.loads(e["value"])["type"] for e in document[OUTBOX] if e["topic"] == topic]


def test_registration_stores_the_elder_with_its_event_and_history(client, intake):
    elder = register(client, circumstances={"household_type": "living_alone"})
    assert elder["key_target_reasons"] == ["living_alone"]
    assert elder["age"] == 82 and elder["warnings"] == []
    assert outbox_types(intake, elder["elder_id"]) == ["elder.registered"]
    contacts = outbox_types(intake, elder["elder_id"], topic="eldercare.intake.contacts")
    assert contacts == ["elder.contact_changed"]
    history = client.get(f"/elders/{elder['elder_id']}/history", headers=CLERK).json
    assert [(h["by"], h["change"], h["version"]) for h in history] == [("clerk", "registered", 1)]


def test_an_unknown_community_is_refused_and_nothing_is_written(client, intake):
    response = client.post("/elders", json=registration(community="nowhere"), headers=CLERK)
    assert response.status_code == 422
    assert "unknown community 'nowhere'" in response.json["detail"]
    assert intake.db["elders"].count_documents({}) == 0


def test_wrong_types_and_missing_fields_are_listed_field_by_field(client):
    response = client.post(
        "/elders",
        json={
            "national_id": 12,
            "name": "x",
            "sex": "female",
            "birth_date": "1944-13-01",
            "community": "c01",
            "address": "a",
            "phone": "abc",
        },
        headers=CLERK,
    )
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert set(response.json["errors"]) == {"national_id", "birth_date", "phone"}


def test_a_lookalike_is_registered_with_a_warning_and_resolved(client, intake):
    first = register(client)
    second = register(client, sequence=4)  # another ID, same name, birth date, community
    assert second["possible_duplicates"] == [first["elder_id"]]
    assert first["elder_id"] in second["warnings"][0]
    resolved = client.post(
        f"/elders/{second['elder_id']}/duplicates",
        json={"version": 1, "other_elder_id": first["elder_id"], "decision": "distinct"},
        headers=CLERK,
    )
    assert resolved.status_code == 200
    assert resolved.json["possible_duplicates"] == [] and resolved.json["version"] == 2
    history = client.get(f"/elders/{second['elder_id']}/history", headers=CLERK).json
    assert history[-1]["change"] == f"confirmed distinct from {first['elder_id']}"


def test_a_stale_version_gets_409_and_changes_nothing(client, intake):
    elder = register(client)
    path = f"/elders/{elder['elder_id']}"
    assert (
        client.patch(path, json={"version": 1, "phone": "13800000001"}, headers=CLERK).status_code
        == 200
    )
    history = client.get(f"{path}/history", headers=CLERK).json
    assert history[-1]["before"] == {"phone": None}
    assert history[-1]["after"] == {"phone": "13800000001"}
    stale = client.patch(path, json={"version": 1, "phone": "13800000002"}, headers=CLERK)
    assert stale.status_code == 409
    assert stale.json["current_version"] == 2
    assert client.get(path, headers=CLERK).json["phone"] == "13800000001"


def test_assessment_death_and_card_flow(client, intake):
    elder = register(client)
    path = f"/elders/{elder['elder_id']}"
    assessed = client.post(
        f"{path}/assessments",
        json={
            "version": 1,
            "scale": "barthel",
            "score": 40,
            "chronic_illnesses": ["高血压"],
            "assessor": "社区医生",
            "assessed_on": "2026-11-01",
        },
        headers=CLERK,
    )
    assert assessed.status_code == 200, assessed.json
    assert assessed.json["key_target_reasons"] == ["chronic_illness_low_self_care"]
    carded = client.post(f"{path}/card", json={"version": 2}, headers=CLERK)
    assert carded.json["card"]["category"] == "70"
    assert carded.json["card"]["number"].endswith("-70-000001")
    again = client.post(f"{path}/card", json={"version": 3}, headers=CLERK)
    assert again.status_code == 409
    died = client.post(f"{path}/death", json={"version": 3, "died_on": "2026-11-28"}, headers=CLERK)
    assert died.status_code == 200
    assert died.json["status"] == "deceased" and died.json["card"] is None
    assert outbox_types(intake, elder["elder_id"]) == [
        "elder.registered",
        "elder.assessed",
        "elder.card_issued",
        "elder.deceased",
        "elder.card_cancelled",
    ]
    closed = client.patch(path, json={"version": 4, "phone": "1380000"}, headers=CLERK)
    assert closed.status_code == 422 and "closed" in closed.json["detail"]
    assert len(client.get(f"{path}/history", headers=CLERK).json) == 4


def test_moves_within_and_out_of_the_district(client, intake):
    elder = register(client)
    path = f"/elders/{elder['elder_id']}"
    moved = client.post(
        f"{path}/moves",
        json={"version": 1, "moved_on": "2026-11-02", "to_community": "c02", "address": "新村1号"},
        headers=CLERK,
    )
    assert moved.json["community"] == "c02" and moved.json["address"] == "新村1号"
    future = client.post(
        f"{path}/moves", json={"version": 2, "moved_on": "2026-12-02"}, headers=CLERK
    )
    assert future.status_code == 422 and "future" in future.json["detail"]
    same = {"version": 2, "moved_on": "2026-11-10", "to_community": "c02"}
    refused = client.post(f"{path}/moves", json=same, headers=CLERK)
    assert refused.status_code == 422 and "new address" in refused.json["detail"]
    rehoused = client.post(f"{path}/moves", json={**same, "address": "新村9号"}, headers=CLERK)
    assert rehoused.status_code == 200, rehoused.json
    assert (rehoused.json["community"], rehoused.json["address"]) == ("c02", "新村9号")
    assert outbox_types(intake, elder["elder_id"])[-1] == "elder.moved"
    out = client.post(f"{path}/moves", json={"version": 3, "moved_on": "2026-11-20"}, headers=CLERK)
    assert out.json["status"] == "moved_out" and out.json["moved_out_on"] == "2026-11-20"


def test_search_filters_and_pagination(client):
    register(client, born=date(1944, 3, 7), sequence=2)
    register(
        client,
        born=date(1960, 1, 1),
        sequence=12,
        community="c02",
        circumstances={"low_income": True},
    )
    register(
        client, born=date(1925, 6, 1), sequence=22, circumstances={"household_type": "empty_nest"}
    )

    def ids(query):
        response = client.get(f"/elders?{query}", headers=CLERK)
        assert response.status_code == 200, response.json
        return response.json

    assert ids("age_band=80-89")["total"] == 1
    assert ids("age_band=100%2B")["total"] == 1
    assert ids("community=c02&low_income=true")["total"] == 1
    assert ids("key_target=true")["total"] == 2
    assert ids("household_type=empty_nest")["items"][0]["birth_date"] == "1925-06-01"
    page = ids("page=2&page_size=2")
    assert (page["total"], len(page["items"]), page["page"]) == (3, 1, 2)
    assert client.get("/elders?page_size=1000", headers=CLERK).status_code == 422


def test_roles_are_enforced(client):
    assert client.get("/elders").status_code == 401
    visitor = STAFF["visitor"]
    assert client.get("/elders", headers=visitor).status_code == 200
    assert client.post("/elders", json=registration(), headers=visitor).status_code == 403
    communities = {"communities": [{"code": "c09", "name": "九"}]}
    assert client.put("/district/communities", json=communities, headers=CLERK).status_code == 403
    assert client.put("/district/communities", json=communities, headers=ADMIN).status_code == 200


def test_volunteers_of_any_age(client, intake):
    young = client.post(
        "/volunteers",
        json={"name": "小李", "community": "c01", "skills": ["法律咨询", "维修"]},
        headers=CLERK,
    )
    assert young.status_code == 201
    assert young.json["skills"] == ["法律咨询", "维修"]
    listed = client.get("/volunteers?skill=维修", headers=CLERK).json
    assert listed["total"] == 1
    unknown = client.post(
        "/volunteers", json={"name": "x", "community": "c01", "elder_id": "nobody"}, headers=CLERK
    )
    assert unknown.status_code == 404


def survey_csv(rows):
    header = "身份证号,姓名,性别,出生日期,社区,地址,户型,低保\n"
    return (header + "\n".join(rows) + "\n").encode("utf-8")


def test_survey_import_reports_every_row_and_reimport_changes_nothing(client, intake):
    rows = [
        f"{national_id(date(1940, 1, 1), 3)},张三,男,1940-01-01,c01,一号,独居,否",
        f"{national_id(date(1941, 2, 2), 4)},李四,女,1941-02-02,c02,二号,空巢,是",
        f"{national_id(date(1941, 2, 2), 4)},李四,女,1941-02-02,c02,二号,空巢,是",
        "110105194403070022,坏号,女,1944-03-07,c01,三号,,否",
        f"{national_id(date(1990, 1, 1), 6)},年轻,女,1990-01-01,c01,四号,,否",
        f"{national_id(date(1942, 3, 3), 8)},王五,女,1942-03-03,nowhere,五号,,否",
    ]
    upload = {"file": (io.BytesIO(survey_csv(rows)), "survey.csv")}
    report = client.post(
        "/imports", data=upload, headers=CLERK, content_type="multipart/form-data"
    ).json
    assert (report["rows"], report["imported"], report["unchanged"]) == (6, 2, 0)
    reasons = {r["row"]: r["reason"] for r in report["rejected"]}
    assert "same ID number is on row 3" in reasons[4]
    assert "check character" in reasons[5]
    assert "from age 60" in reasons[6]
    assert "unknown community" in reasons[7]
    stored = intake.db["elders"].find_one({"name": "李四"})
    assert stored["circumstances"] == {
        **stored["circumstances"],
        "household_type": "empty_nest",
        "low_income": True,
    }

    again = client.post(
        "/imports", data=survey_csv(rows), headers=CLERK, content_type="text/csv"
    ).json
    assert (again["imported"], again["unchanged"], len(again["rejected"])) == (0, 2, 4)
    assert intake.db["elders"].count_documents({}) == 2


def test_survey_import_from_xlsx(client, intake):
    book = Workbook()
    sheet = book.active
    sheet.append(["national_id", "name", "sex", "birth_date", "community", "address"])
    sheet.append(
        [national_id(date(1939, 9, 9), 5), "赵六", "male", datetime(1939, 9, 9), "c01", "六号"]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    report = client.post(
        "/imports",
        data={"file": (io.BytesIO(buffer.getvalue()), "survey.xlsx")},
        headers=CLERK,
        content_type="multipart/form-data",
    ).json
    assert report["imported"] == 1, report
    assert intake.db["elders"].find_one({"name": "赵六"})["birth_date"] == "1939-09-09"


def test_statistics_as_json_and_xlsx(client):
    register(
        client, born=date(1944, 3, 7), sequence=2, circumstances={"household_type": "living_alone"}
    )
    register(client, born=date(1960, 1, 1), sequence=12, community="c02")
    stats = client.get("/statistics", headers=CLERK).json
    assert stats["district"]["elders"] == 2
    assert stats["district"]["age_bands"]["80-89"] == 1
    assert stats["district"]["household_types"]["living_alone"] == 1
    assert [c["community"] for c in stats["communities"]] == ["c01", "c02"]
    only = client.get("/statistics?community=c02", headers=CLERK).json
    assert only["district"]["elders"] == 1
    workbook = client.get("/statistics?format=xlsx", headers=CLERK)
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(workbook.data))["Age bands"]
    rows = list(sheet.values)
    assert rows[0] == ("community", "elders", "60-69", "70-79", "80-89", "90-99", "100+")
    assert rows[-1] == ("district total", 2, 1, 0, 1, 0, 0)


def test_changes_to_the_district_configuration_are_on_its_history(client):
    held = client.get("/district", headers=CLERK).json
    before = held["communities"]
    communities = {"communities": [*before, {"code": "c09", "name": "九", "kind": "village"}]}
    answer = client.put("/district/communities", json=communities, headers=ADMIN)
    assert (answer.status_code, answer.json["version"]) == (200, held["version"] + 1)
    assert client.get("/district/history", headers=CLERK).status_code == 403
    history = client.get("/district/history", headers=ADMIN).json
    latest = history[0]
    assert (latest["by"], latest["from"], latest["change"]) == (
        "admin",
        "127.0.0.1",
        "district.communities_set",
    )
    assert latest["before"]["communities"] == before
    assert latest["after"]["communities"][-1] == {
        "code": "c09",
        "name": "九",
        "kind": "village",
        "former_names": [],
    }
    assert "history" not in client.get("/district", headers=ADMIN).json
    # and on the administrator's audit trail, beside their other changes
    trail = client.get("/audit", query_string={"user": "admin"}, headers=ADMIN).json["items"]
    latest = trail[0]
    assert (latest["kind"], latest["change"]) == ("district", "district.communities_set")


def test_the_daily_review_takes_lapsed_assessments_off_the_key_target_list(intake, client):
    lapsing = register(client)
    lasting = register(client, sequence=4)
    for elder, assessed_on in ((lapsing, "2025-12-01"), (lasting, "2026-11-01")):
        body = {
            "version": 1,
            "scale": "barthel",
            "score": 40,
            "chronic_illnesses": ["高血压"],
            "assessor": "社区医生",
            "assessed_on": assessed_on,
        }
        assessed = client.post(f"/elders/{elder['elder_id']}/assessments", json=body, headers=CLERK)
        assert assessed.json["key_target_reasons"] == ["chronic_illness_low_self_care"]
    listed = "/elders?key_target_reason=chronic_illness_low_self_care"
    assert client.get(listed, headers=CLERK).json["total"] == 2

    intake.clock.move_to(datetime(2026, 12, 2, 2, tzinfo=UTC))  # 2025-12-01's lapsed
    run = client.post("/jobs/key-targets", headers=STAFF["op"])
    assert run.status_code == 200 and run.json == {"reviewed": 1}
    assert [e["elder_id"] for e in client.get(listed, headers=CLERK).json["items"]] == [
        lasting["elder_id"]
    ]
    reviewed = client.get(f"/elders/{lapsing['elder_id']}", headers=CLERK).json
    assert reviewed["key_target_reasons"] == [] and reviewed["version"] == 3
    assert outbox_types(intake, lapsing["elder_id"])[-1] == "elder.updated"
    document = intake.db["elders"].find_one({"_id": lapsing["elder_id"]})
    assert json.loads(document[OUTBOX][-1]["value"])["data"]["changed"] == ["key_target_reasons"]
    history = client.get(f"/elders/{lapsing['elder_id']}/history", headers=CLERK).json
    assert history[-1]["by"] == "system:key-target-review"
    assert client.post("/jobs/key-targets", headers=STAFF["op"]).json == {"reviewed": 0}


def test_the_years_figures_of_the_register_cards_and_volunteers(client, intake):
    living_alone = {"household_type": "living_alone"}
    first = register(client, circumstances=living_alone)
    register(client, born=date(1934, 5, 1), sequence=4, community="c02")  # 92
    carded = client.post(f"/elders/{first['elder_id']}/card", json={"version": 1}, headers=CLERK)
    assert carded.status_code == 200, carded.json
    lost = {"version": 2, "reason": "遗失"}  # a card reissued is a second card issued
    reissued = client.post(f"/elders/{first['elder_id']}/card/reissue", json=lost, headers=CLERK)
    assert reissued.status_code == 200, reissued.json
    volunteer = {"name": "小李", "community": "c01", "skills": ["维修"]}
    assert client.post("/volunteers", json=volunteer, headers=CLERK).status_code == 201

    summary = client.get("/reports/year/2026", headers=CLERK).json
    assert (summary["elders"], summary["key_targets"]) == (2, 1)
    assert summary["age_bands"]["80-89"] == 1 and summary["age_bands"]["90-99"] == 1
    assert summary["household_types"]["living_alone"] == 1
    assert summary["households"]["living_alone"] == {"households": 1, "elders": 1, "persons": 1}
    assert summary["cards_issued"] == {"70": 2} and summary["cards_held"] == {"70": 1}
    assert (summary["volunteers"], summary["volunteers_new"]) == (1, 1)
    assert client.get("/reports/year/2025", headers=CLERK).json["cards_issued"] == {}
    book = client.get("/reports/year/2026?format=xlsx", headers=CLERK)
    rows = workbook_rows(book.data)
    assert ["家庭类型（户）", "独居", 1] in rows and ["家庭类型（户内人数）", "独居", 1] in rows
    assert ["老年人按家庭类型（人）", "独居", 1] in rows and [
        "志愿者（人）",
        "本年新登记",
        1,
    ] in rows
    printed = client.get("/reports/year/2026?format=pdf", headers=CLERK)
    assert printed.status_code == 200 and printed.data[:5] == b"%PDF-"
    assert client.get("/reports/year/2030", headers=CLERK).status_code == 422
    c02 = client.get("/reports/year/2026?community=c02", headers=CLERK).json
    assert (c02["community"], c02["elders"], c02["age_bands"]["90-99"]) == ("c02", 1, 1)
    assert (c02["cards_issued"], c02["volunteers"]) == ({}, 0)  # the card and volunteer: c01
    unknown = client.get("/reports/year/2026?community=c99", headers=CLERK)
    assert unknown.status_code == 422 and "c99" in unknown.json["detail"]
    named = client.get("/reports/year/2026?community=c02&format=pdf", headers=CLERK)
    assert "社区：二社区" in pdf_text(named.data)
