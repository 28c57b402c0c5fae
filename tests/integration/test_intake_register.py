"""Corrections to the register through intake's API against the real store: partial changes
of circumstances, elder-card upgrades, ID numbers and community names as clerks write them."""

import io
import json
from datetime import date

import pytest
from openpyxl import Workbook
from test_intake_api import ADMIN, CLERK, national_id, register, registration, survey_csv

from shared.outbox import OUTBOX

pytest_plugins = ["test_intake_api"]  # the fixtures `intake` and `client`


def published(intake, elder_id):
    """The events waiting in the elder's outbox, oldest first: (type, data)."""
    document = intake.db["elders"].find_one({"_id": elder_id})
    return [(e["type"], e["data"]) for e in (json.loads(m["value"]) for m in document[OUTBOX])]


def test_a_partial_patch_of_circumstances_changes_only_the_fields_sent(client, intake):
    elder = register(
        client,
        circumstances={
            "household_type": "living_alone",
            "disabled": True,
            "retired_cadre_employer": "市机械厂",
            "skills": ["书法"],
        },
    )
    path = f"/elders/{elder['elder_id']}"
    patched = client.patch(
        path, json={"version": 1, "circumstances": {"low_income": True}}, headers=CLERK
    )
    assert patched.status_code == 200, patched.json
    assert patched.json["circumstances"] == {
        **elder["circumstances"],
        "low_income": True,
    }
    assert patched.json["key_target_reasons"] == ["living_alone", "low_income", "disabled"]
    kind, data = published(intake, elder["elder_id"])[-1]
    assert kind == "elder.updated" and data["changed"] == ["circumstances"]
    assert data["household_type"] == "living_alone" and data["disabled"] is True
    assert data["key_target_reasons"] == ["living_alone", "low_income", "disabled"]
    line = client.get(f"{path}/history", headers=CLERK).json[-1]
    assert line["before"]["circumstances"]["low_income"] is False
    assert line["after"]["circumstances"]["household_type"] == "living_alone"

    same = client.patch(
        path,
        json={"version": 2, "circumstances": {"household_type": "living_alone"}},
        headers=CLERK,
    )
    assert same.status_code == 422 and "nothing to change" in same.json["detail"]
    wrong = client.patch(
        path, json={"version": 2, "circumstances": {"low_income": None}}, headers=CLERK
    )
    assert wrong.status_code == 422 and "low_income" in wrong.json["errors"]["circumstances"]
    assert client.get(path, headers=CLERK).json["version"] == 2


def legacy(eighteen: str) -> str:
    """The 15-digit number of someone born in the 1900s, as issued before 1999."""
    return eighteen[:6] + eighteen[8:17]


def test_a_legacy_15_digit_number_registers_the_same_elder_as_its_18_characters(client):
    eighteen = national_id(date(1944, 3, 7))
    elder = register(client, national_id=legacy(eighteen))
    assert elder["national_id"] == eighteen
    again = client.post("/elders", json=registration(), headers=CLERK)
    assert again.status_code == 409 and again.json["existing_elder_id"] == elder["elder_id"]


@pytest.mark.parametrize(
    ("area", "born", "reason"),
    [
        ("990105", date(1944, 3, 7), "99 is not a province code"),
        ("330281", date(1899, 3, 7), "birth year 1899 is not plausible"),
    ],
)
def test_impossible_id_numbers_are_refused_with_the_reason(client, intake, area, born, reason):
    body = registration(born=born, national_id=national_id(born, 2, area))
    refused = client.post("/elders", json=body, headers=CLERK)
    assert refused.status_code == 422
    assert reason in refused.json["errors"]["national_id"][0]
    assert intake.db["elders"].count_documents({}) == 0


def workbook(rows: list[list]) -> bytes:
    book = Workbook()
    book.active.append(["身份证号", "姓名", "性别", "出生日期", "社区", "地址"])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def imported(client, content: bytes, name: str = "survey.xlsx") -> dict:
    response = client.post(
        "/imports",
        data={"file": (io.BytesIO(content), name)},
        headers=CLERK,
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.json
    return response.json


def test_a_survey_refuses_id_numbers_stored_as_numbers_and_converts_legacy_ones(client, intake):
    as_number = national_id(date(1939, 9, 9), 5)
    as_legacy = national_id(date(1940, 1, 1), 3)
    report = imported(
        client,
        workbook(
            [
                [int(as_number), "赵六", "男", "1939-09-09", "c01", "六号"],
                [legacy(as_legacy), "张三", "男", "1940-01-01", "c01", "一号"],
                [
                    national_id(date(1941, 2, 2), 4, "990105"),
                    "李四",
                    "女",
                    "1941-02-02",
                    "c01",
                    "二号",
                ],
            ]
        ),
    )
    assert (report["rows"], report["imported"]) == (3, 1)
    reasons = {r["row"]: r["reason"] for r in report["rejected"]}
    assert "stored as a number" in reasons[2] and "as text" in reasons[2]
    assert "99 is not a province code" in reasons[4]
    assert intake.db["elders"].find_one({"name": "张三"})["national_id"] == as_legacy
    assert intake.db["elders"].count_documents({}) == 1
    # the same elder named by the 18 characters is the one already registered
    again = imported(client, survey_csv([f"{as_legacy},张三,男,1940-01-01,c01,一号,,否"]), "s.csv")
    assert (again["imported"], again["unchanged"]) == (0, 1)


JINDONG = [
    {"code": "c01", "name": "金东社区"},
    {"code": "c02", "name": "金西社区"},
    {"code": "c03", "name": "金东村", "kind": "village"},
]


def test_a_community_is_named_by_its_code_or_its_name(client, intake):
    set_up = client.put("/district/communities", json={"communities": JINDONG}, headers=ADMIN)
    assert set_up.status_code == 200
    by_name = register(client, community="金西")
    assert by_name["community"] == "c02"
    ambiguous = client.post(
        "/elders", json=registration(sequence=4, community="金东"), headers=CLERK
    )
    assert ambiguous.status_code == 422
    assert "could be any of 金东社区 (c01)、金东村 (c03)" in ambiguous.json["detail"]

    rows = [
        f"{national_id(date(1940, 1, 1), 3)},张三,男,1940-01-01,金东社区,一号,独居,否",
        f"{national_id(date(1941, 2, 2), 4)},李四,女,1941-02-02,金东村,二号,空巢,是",
        f"{national_id(date(1942, 3, 3), 6)},王五,女,1942-03-03,金东,三号,,否",
        f"{national_id(date(1943, 4, 4), 8)},赵六,女,1943-04-04,金南,四号,,否",
        f"{national_id(date(1944, 5, 5), 12)},钱七,女,1944-05-05,C01,五号,,否",
    ]
    report = imported(client, survey_csv(rows), "survey.csv")
    assert (report["rows"], report["imported"]) == (5, 3), report
    reasons = {r["row"]: r["reason"] for r in report["rejected"]}
    assert "'金东' could be any of 金东社区 (c01)、金东村 (c03)" in reasons[4]
    assert "unknown community '金南'" in reasons[5] and "c01 金东社区" in reasons[5]
    volunteer = {"name": "小李", "community": "金东村委会", "skills": ["维修"]}
    enrolled = client.post("/volunteers", json=volunteer, headers=CLERK)
    assert enrolled.status_code == 201 and enrolled.json["community"] == "c03"
    stored = {
        d["name"]: d["community"] for d in intake.db["elders"].find({}, {"name": 1, "community": 1})
    }
    assert stored == {"王秀英": "c02", "张三": "c01", "李四": "c03", "钱七": "c01"}


def test_a_card_holder_reaching_70_is_listed_and_their_card_upgraded(client, intake):
    categories = [
        {"code": "60", "name": "60+", "min_age": 60},
        {"code": "70", "name": "70+", "min_age": 70},
        {"code": "80", "name": "80+", "min_age": 80},
    ]
    assert (
        client.put(
            "/district/card-categories", json={"card_categories": categories}, headers=ADMIN
        ).status_code
        == 200
    )
    seventy = register(client, born=date(1956, 11, 29), sequence=2)  # 70 today
    younger = register(client, born=date(1956, 11, 30), sequence=4)  # 70 tomorrow
    carded = {}
    for elder in (seventy, younger):
        path = f"/elders/{elder['elder_id']}/card"
        response = client.post(path, json={"version": 1, "category": "60"}, headers=CLERK)
        assert response.status_code == 200, response.json
        carded[elder["elder_id"]] = response.json
    seventy_path = f"/elders/{seventy['elder_id']}"
    assert carded[seventy["elder_id"]]["card_upgrade_due"] == "70"
    assert carded[younger["elder_id"]]["card_upgrade_due"] is None

    due = client.get("/elders?card=upgrade_due", headers=CLERK).json
    assert [(e["elder_id"], e["card_upgrade_due"]) for e in due["items"]] == [
        (seventy["elder_id"], "70")
    ]
    assert due["total"] == 1
    twice = client.post(f"{seventy_path}/card", json={"version": 2}, headers=CLERK)
    assert twice.status_code == 409 and "upgrade it" in twice.json["detail"]

    old_number = carded[seventy["elder_id"]]["card"]["number"]
    upgraded = client.post(f"{seventy_path}/card/upgrade", json={"version": 2}, headers=CLERK)
    assert upgraded.status_code == 200, upgraded.json
    assert upgraded.json["card"] == {
        "number": f"{intake.settings.district}-70-000001",
        "category": "70",
        "issued_on": "2026-11-29",
    }
    assert upgraded.json["card_upgrade_due"] is None and upgraded.json["version"] == 3
    assert client.get("/elders?card=upgrade_due", headers=CLERK).json["total"] == 0

    line = client.get(f"{seventy_path}/history", headers=CLERK).json[-1]
    assert (
        line["change"]
        == f"card {old_number} (60) replaced by {upgraded.json['card']['number']} (70): upgrade"
    )
    assert line["before"]["card"]["number"] == old_number
    assert line["after"]["card"]["category"] == "70"
    cancelled, issued = published(intake, seventy["elder_id"])[-2:]
    assert cancelled == (
        "elder.card_cancelled",
        {**cancelled[1], "card_number": old_number, "reason": "upgraded to 70+"},
    )
    assert issued[0] == "elder.card_issued" and issued[1]["replaces"] == old_number
    assert issued[1]["category"] == "70" and issued[1]["version"] == 3

    not_yet = client.post(
        f"/elders/{younger['elder_id']}/card/upgrade", json={"version": 2}, headers=CLERK
    )
    assert not_yet.status_code == 422
    assert (
        "holds a 60+ card" in not_yet.json["detail"]
        and "70+ starts at age 70" in not_yet.json["detail"]
    )
    again = client.post(f"{seventy_path}/card/upgrade", json={"version": 3}, headers=CLERK)
    assert again.status_code == 422 and "holds a 70+ card" in again.json["detail"]
