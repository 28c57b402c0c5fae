"""The monthly high-age allowance report (高龄津贴月报表) of a district built with known
counts: exact figures per community and for the district, totals that agree with the payment
file to the fen, and a workbook that opens with the same figures."""

import csv
import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from report_reading import pdf_text, workbook_rows
from staff import staff_headers
from test_allowances_api import SEPTEMBER, feed, with_account

from services.allowances.bootstrap import bootstrap
from services.allowances.entrypoints.app import create_app
from services.allowances.service_layer.handlers import handlers
from shared.clock import FixedClock
from shared.events import event_type, new_event

STAFF = staff_headers(
    "officer:officer:allowance_officer,approver:approver:approver,head:head:community_head@c02"
)
OFFICER, APPROVER, HEAD = STAFF["officer"], STAFF["approver"], STAFF["head"]
# elder: (community, birth date, what happens)
DISTRICT = {
    "e-1": ("c01", date(1944, 3, 7), None),  # 82: 80-89 both months
    "e-2": ("c01", date(1935, 1, 1), None),  # 91: 90-99 both months
    "e-3": ("c01", date(1946, 8, 15), None),  # 80 in August: paid from September
    "e-4": ("c02", date(1926, 5, 5), None),  # 100: 100+ both months
    "e-5": ("c02", date(1940, 2, 2), "died"),  # died 2026-08-20: paid through August
    "e-6": ("c02", date(1950, 6, 1), None),  # 76: never paid
    "e-7": ("c01", date(1945, 1, 1), "moved out"),  # left 2026-08-05: paid through August
}


@pytest.fixture
def service(settings):
    allowances = bootstrap(settings, FixedClock(SEPTEMBER))
    yield allowances
    allowances.db.client.drop_database(allowances.db.name)


@pytest.fixture
def client(service):
    return create_app(service).test_client()


def build_district(service, client):
    for elder_id, (community, born, fate) in DISTRICT.items():
        feed(service, "elder.registered", elder_id, 1, community=community, birth_date=born)
        if fate == "died":
            facts = {"status": "deceased", "died_on": date(2026, 8, 20)}
            feed(
                service,
                "elder.deceased",
                elder_id,
                2,
                community=community,
                birth_date=born,
                **facts,
            )
        if fate == "moved out":
            facts = {"status": "moved_out", "moved_out_on": date(2026, 8, 5)}
            feed(
                service,
                "elder.moved_out",
                elder_id,
                2,
                community=community,
                birth_date=born,
                **facts,
            )
    with_account(client, "e-1", "e-2", "e-4")  # e-3 has no payee account yet
    for month in ("2026-08", "2026-09"):
        answer = client.post(
            "/cycles", json={"programme": "high_age", "month": month}, headers=OFFICER
        )
        assert answer.status_code == 201, answer.json


def export(client, cycle_id):
    for step, headers, body in (
        ("review", OFFICER, {"note": "checked"}),
        ("approve", APPROVER, None),
        ("export", OFFICER, None),
    ):
        answer = client.post(f"/cycles/{cycle_id}/{step}", json=body, headers=headers)
        assert answer.status_code == 200, (step, answer.json)


def bands(row):
    return {b["band"]: (b["payees"], b["amount_fen"]) for b in row["bands"]}


def test_the_monthly_report_counts_the_district_exactly_and_agrees_with_the_payment_file(
    client, service
):
    build_district(service, client)
    report = client.get("/reports/high-age/2026-09", headers=OFFICER)
    assert report.status_code == 200, report.json
    report = report.json
    assert (report["due_on"], report["late"], report["order_fixed"]) == ("2026-09-25", False, False)
    c01, c02 = report["communities"]
    assert (c01["community"], c01["newly_eligible"], c01["payees"]) == ("c01", 1, 3)
    assert bands(c01) == {"80-89": (2, 20_000), "90-99": (1, 30_000), "100+": (0, 0)}
    assert (c01["stopped"], c01["stops"]) == (1, [{"cause": "moved_out", "elders": 1}])
    assert (c02["newly_eligible"], c02["payees"], bands(c02)["100+"]) == (0, 1, (1, 60_000))
    assert c02["stops"] == [{"cause": "deceased", "elders": 1}]
    district = report["district"]
    assert (district["newly_eligible"], district["payees"], district["stopped"]) == (1, 4, 2)
    assert (district["owed_fen"], district["in_file_fen"], district["withheld_fen"]) == (
        110_000,
        100_000,  # e-1, e-2 and e-4: their accounts are registered
        10_000,  # e-3's first payment: no account yet
    )

    export(client, "high_age:2026-09")
    fixed = client.get("/reports/high-age/2026-09", headers=OFFICER).json
    assert fixed["order_fixed"] is True and fixed["district"] == district
    paid = client.get("/cycles/high_age:2026-09/payment-file", headers=OFFICER)
    rows = list(csv.DictReader(io.StringIO(paid.data.decode("utf-8-sig"))))
    in_file = sum(int(row["amount_fen"]) for row in rows if row["no"] != "total payments")
    assert in_file == district["in_file_fen"]
    assert district["in_file_fen"] + district["withheld_fen"] == district["owed_fen"]

    august = client.get("/reports/high-age/2026-08", headers=OFFICER).json
    assert august["district"]["newly_eligible"] is None  # no roll of July to compare with
    assert (august["district"]["payees"], august["district"]["stopped"]) == (5, 0)


def test_the_workbook_opens_with_the_same_figures_and_a_head_sees_their_community(client, service):
    build_district(service, client)
    book = client.get("/reports/high-age/2026-09?format=xlsx", headers=OFFICER)
    assert book.status_code == 200 and book.mimetype.endswith("spreadsheetml.sheet")
    workbook = load_workbook(io.BytesIO(book.data))
    sheet = workbook["高龄津贴月报表"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "高龄津贴月报表（2026年9月）"
    header = next(r for r in rows if r and r[0] == "社区")
    total = next(r for r in rows if r and r[0] == "全街道合计")
    figures = dict(zip(header, total, strict=True))
    assert (figures["新增人数"], figures["发放人数"], figures["停发人数"]) == (1, 4, 2)
    assert Decimal(str(figures["应发金额（元）"])) == Decimal("1100.00")
    assert Decimal(str(figures["付款文件实发（元）"])) + Decimal(
        str(figures["暂缓发放（元）"])
    ) == Decimal("1100.00")
    assert figures["90-99岁人数"] == 1 and figures["100岁及以上金额（元）"] == 600
    causes = [list(r) for r in workbook["停发原因"].iter_rows(values_only=True)]
    assert ["全街道合计", "死亡", 1] in causes and ["c01", "迁出本区", 1] in causes

    mine = client.get("/reports/high-age/2026-09", headers=HEAD).json
    assert [c["community"] for c in mine["communities"]] == ["c02"]
    assert mine["district"]["payees"] == 1 and mine["district"]["owed_fen"] == 60_000

    assert client.get("/reports/high-age/2026-07", headers=OFFICER).status_code == 404
    assert client.get("/reports/high-age/2026-13", headers=OFFICER).status_code == 422


def test_the_printable_report_is_a_pdf_whose_text_holds_the_chinese_headings_and_figures(
    client, service
):
    build_district(service, client)
    guide = replace(service.settings, hotline="12349", service_guide="新华街道为老服务指南")
    client = create_app(replace(service, settings=guide)).test_client()
    printed = client.get("/reports/high-age/2026-09?format=pdf", headers=OFFICER)
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"
    assert printed.headers["Content-Disposition"].endswith("high-age-report-2026-09.pdf")
    text = pdf_text(printed.data)  # a heading may wrap in its narrow column
    for heading in ("高龄津贴月报表（2026年9月）", "全街道合计", "新增人数", "停发原因", "死亡"):
        assert heading in text, heading
    assert "1100.00" in text and "2026-09-25" in text  # owed, in yuan; the due date
    assert "服务热线：12349" in text and "《新华街道为老服务指南》" in text  # the district's footer


def voucher_cycle(client, month):
    answer = client.post(
        "/cycles", json={"programme": "home_care_voucher", "month": month}, headers=OFFICER
    )
    assert answer.status_code == 201, answer.json
    return answer.json["cycle_id"]


def approve(client, cycle_id):
    for step, headers, body in (
        ("review", OFFICER, {"note": "checked"}),
        ("approve", APPROVER, None),
    ):
        answer = client.post(f"/cycles/{cycle_id}/{step}", json=body, headers=headers)
        assert answer.status_code == 200, (step, answer.json)


def household(service, household_id, version, members, home_care, reason=None):
    """Intake's event of a household in c01, handed to allowances' worker as it decodes it."""
    data = {
        "household_id": household_id,
        "version": version,
        "community": "c01",
        "household_type": "living_alone" if len(members) == 1 else "empty_nest",
        "type_source": "rules",
        "members": members,
        "persons": len(members),
        "status": "active",
        "home_care": home_care,
        "home_care_since": date(2026, 6, 1) if home_care else None,
    }
    kind = "household.changed" if reason else "household.formed"
    if reason:
        previous = data["household_type"]
        data |= {"reason": reason, "elder_id": None, "departure": None, "previous_type": previous}
    at = SEPTEMBER
    event = new_event(kind, household_id, data, source="urn:test", district="d1", at=at)
    return handlers(service)[kind](event, event_type(kind).load(event))


def test_the_home_care_part_counts_households_who_joined_and_left_and_the_vouchers_to_the_unit(
    client, service
):
    born = date(1948, 1, 1)
    feed(service, "elder.registered", "h-1", 1, birth_date=born, home_care=True)
    feed(service, "elder.registered", "h-2", 1, birth_date=born, home_care=False)
    feed(service, "elder.registered", "h-3", 1, birth_date=born, home_care=True)
    feed(service, "elder.registered", "h-4", 1, birth_date=born, home_care=True, community="c02")
    # h-1 and h-3 each in a home-care household of c01; h-4's household is not known (its own)
    assert household(service, "hh-a", 1, ["h-1"], True)
    assert household(service, "hh-b", 1, ["h-3"], True)
    july = voucher_cycle(client, "2026-07")
    approve(client, july)  # July's vouchers: h-1, h-3, h-4, valid through September
    voucher_cycle(client, "2026-08")
    feed(
        service,
        "elder.updated",
        "h-2",
        2,
        birth_date=born,
        home_care=True,
        changed=["circumstances"],
    )
    feed(
        service,
        "elder.updated",
        "h-3",
        2,
        birth_date=born,
        home_care=False,
        changed=["circumstances"],
    )
    # h-2 came to live with h-1, and hh-b left home care; an older event changes nothing
    assert household(service, "hh-a", 2, ["h-1", "h-2"], True, "member_joined")
    assert household(service, "hh-b", 2, ["h-3"], False, "home_care_ended")
    assert not household(service, "hh-b", 1, ["h-3"], True)
    september = voucher_cycle(client, "2026-09")
    claim = {
        "elder_id": "h-1",
        "provider": "安康家政",
        "service": "meals",
        "served_on": "2026-09-08",
    }
    used = client.post(f"/vouchers/{july}:h-1/redemption", json=claim, headers=OFFICER)
    assert used.status_code == 201, used.json

    early = client.get("/reports/home-care/2026-09", headers=OFFICER).json
    assert early["vouchers_issued"] is False and early["district"]["issued"]["count"] == 0
    assert (early["due_on"], early["late"]) == ("2026-09-25", False)
    approve(client, september)
    report = client.get("/reports/home-care/2026-09", headers=OFFICER).json
    c01, c02 = report["communities"]
    homes = ("households_start", "households_end", "households_new", "households_ended")
    assert [c01[k] for k in homes] == [2, 1, 0, 1]  # hh-a and hh-b; then hh-a alone
    assert [c02[k] for k in homes] == [1, 1, 0, 0]  # h-4, a household of their own
    assert (c01["enrolled_start"], c01["enrolled_end"], c01["joined"], c01["left"]) == (2, 2, 1, 1)
    assert (c02["enrolled_start"], c02["enrolled_end"], c02["joined"], c02["left"]) == (1, 1, 0, 0)
    assert c01["issued"] == {"count": 2, "amount_fen": 12_000}  # h-1 and h-2
    assert c01["redeemed"] == {"count": 1, "amount_fen": 6_000}  # h-1's July voucher
    assert c01["expired"] == {"count": 1, "amount_fen": 6_000}  # h-3's, unused by September
    assert c02["expired"] == {"count": 1, "amount_fen": 6_000}
    district = report["district"]
    assert (
        district["enrolled_end"],
        district["issued"]["count"],
        district["expired"]["count"],
    ) == (
        3,
        3,
        2,
    )

    book = client.get("/reports/home-care/2026-09?format=xlsx", headers=OFFICER)
    rows = workbook_rows(book.data)
    header = next(r for r in rows if r and r[0] == "社区")
    total = dict(zip(header, next(r for r in rows if r and r[0] == "全街道合计"), strict=True))
    assert (total["月末人数"], total["使用（张）"], total["过期金额（元）"]) == (3, 1, 120)
    assert (total["月初户数"], total["月末户数"], total["退出户"]) == (3, 2, 1)
    printed = client.get("/reports/home-care/2026-09?format=pdf", headers=HEAD)
    text = pdf_text(printed.data)
    assert "居家养老月报表（2026年9月）" in text and "c01" not in text  # the head's c02 only
    assert client.get("/reports/home-care/2026-10", headers=OFFICER).status_code == 404


def test_the_years_figures_count_high_age_payees_and_the_ninety_plus(client, service):
    build_district(service, client)  # August and September rolled; e-5 died in August, aged 86
    feed(service, "elder.registered", "n-1", 1, birth_date=date(1930, 3, 1))  # 96
    feed(service, "elder.registered", "n-2", 1, birth_date=date(1931, 1, 5), community="c02")
    died = {"status": "deceased", "died_on": date(2026, 6, 1)}
    feed(service, "elder.deceased", "n-2", 2, birth_date=date(1931, 1, 5), community="c02", **died)
    summary = client.get("/reports/year/2026", headers=OFFICER).json
    assert (summary["as_of"], summary["months_rolled"]) == ("2026-09-10", 2)
    # paid: e-1, e-2, e-4, e-5 and e-7 in August, e-3 from September (n-1 after the rolls)
    assert (summary["high_age_paid"], summary["high_age_new"]) == (6, None)
    assert summary["high_age_fen"] == 120_000 + 110_000  # August: e-1, e-2, e-4, e-5, e-7
    # 90 or over: e-2 (91), e-4 (100), n-1 (96); died aged 95: n-2
    assert (summary["ninety_plus"], summary["ninety_plus_died"]) == (3, 1)
    c01 = client.get("/reports/year/2026?community=c01", headers=OFFICER).json
    c02 = client.get("/reports/year/2026", headers=HEAD).json  # the head's community
    assert (c01["community"], c02["community"], summary["community"]) == ("c01", "c02", None)
    assert (c01["high_age_paid"], c02["high_age_paid"]) == (4, 2)  # c02: e-4, e-5
    assert c01["high_age_fen"] + c02["high_age_fen"] == summary["high_age_fen"]
    assert (c01["ninety_plus"], c01["ninety_plus_died"]) == (2, 0)  # e-2, n-1
    assert (c02["ninety_plus"], c02["ninety_plus_died"]) == (1, 1)  # e-4; n-2
    assert client.get("/reports/year/2026?community=c01", headers=HEAD).status_code == 403
    book = client.get("/reports/year/2026?format=xlsx", headers=OFFICER)
    rows = workbook_rows(book.data)
    assert ["享受高龄津贴人数", 6] in rows and ["本年去世的九十岁以上老人", 1] in rows
    printed = client.get("/reports/year/2026?format=pdf", headers=HEAD)
    text = pdf_text(printed.data)
    assert "高龄津贴与九十岁以上老人" in text and "社区：c02" in text
    assert client.get("/reports/year/2027", headers=OFFICER).status_code == 422
