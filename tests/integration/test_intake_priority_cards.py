"""The priority service card (老年人优先服务卡) through intake's API, against the real store:
issued, reissued and cancelled with their events and history, cancelled by a death, counted
in the year's summary, and printed with the district's hotline."""

import io
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from intake_under_test import intake_under_test
from pypdf import PdfReader
from report_reading import pdf_text
from staff import staff_headers
from test_intake_api import outbox_types, register

from services.intake.domain.district import Community
from services.intake.entrypoints.app import create_app

TOKENS = (
    "clerk:clerk:intake_clerk,head:head:community_head@c01,other:other:community_head@c02,"
    "officer:officer:allowance_officer"
)
STAFF = staff_headers(TOKENS)
CLERK, HEAD = STAFF["clerk"], STAFF["head"]


@pytest.fixture
def intake(settings):
    guide = replace(settings, hotline="12349", service_guide="新华街道为老服务指南")
    communities = [Community("c01", "一社区"), Community("c02", "二社区")]
    with intake_under_test(
        guide, datetime(2026, 11, 29, 2, tzinfo=UTC), communities, TOKENS
    ) as service:
        yield service


@pytest.fixture
def client(intake):
    return create_app(intake).test_client()


def test_issue_reissue_and_cancel_with_their_events_and_history(client, intake):
    elder = register(client)
    path = f"/elders/{elder['elder_id']}/priority-card"
    issued = client.post(path, json={"version": 1}, headers=CLERK)
    assert issued.status_code == 200, issued.json
    first = issued.json["priority_card"]
    assert first == {"number": "demo-district-P-000001", "issued_on": "2026-11-29"}
    again = client.post(path, json={"version": 2}, headers=CLERK)
    assert again.status_code == 409
    assert again.json["card_number"] == "demo-district-P-000001"

    reissued = client.post(f"{path}/reissue", json={"version": 2, "reason": "遗失"}, headers=CLERK)
    assert reissued.json["priority_card"]["number"] == "demo-district-P-000002"
    cancelled = client.post(
        f"{path}/cancellation", json={"version": 3, "reason": "本人交回"}, headers=CLERK
    )
    assert cancelled.status_code == 200 and cancelled.json["priority_card"] is None
    for action in ("cancellation", "reissue"):
        nothing = client.post(f"{path}/{action}", json={"version": 4, "reason": "x"}, headers=CLERK)
        assert nothing.status_code == 422 and "no priority service card" in nothing.json["detail"]

    assert outbox_types(intake, elder["elder_id"]) == [
        "elder.registered",
        "elder.priority_card_issued",
        "elder.priority_card_cancelled",
        "elder.priority_card_issued",
        "elder.priority_card_cancelled",
    ]
    history = client.get(f"/elders/{elder['elder_id']}/history", headers=CLERK).json
    summaries = [line["change"] for line in history]
    assert any("demo-district-P-000001 cancelled (遗失)" in s for s in summaries), summaries


def test_a_death_cancels_the_card_and_it_can_no_longer_be_printed(client, intake):
    elder = register(client)
    path = f"/elders/{elder['elder_id']}"
    client.post(f"{path}/priority-card", json={"version": 1}, headers=CLERK)
    died = client.post(f"{path}/death", json={"version": 2, "died_on": "2026-11-28"}, headers=CLERK)
    assert died.json["priority_card"] is None
    assert outbox_types(intake, elder["elder_id"])[-1] == "elder.priority_card_cancelled"
    refused = client.get(f"{path}/priority-card", headers=CLERK)
    assert refused.status_code == 422 and "issue one first" in refused.json["detail"]


def test_the_card_prints_at_its_size_with_the_elder_and_the_districts_hotline(client):
    elder = register(client)
    path = f"/elders/{elder['elder_id']}/priority-card"
    client.post(path, json={"version": 1}, headers=CLERK)
    printed = client.get(path, headers=HEAD)
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"
    assert printed.headers["Content-Disposition"].endswith(
        "priority-card-demo-district-P-000001.pdf"
    )
    pages = PdfReader(io.BytesIO(printed.data)).pages
    assert len(pages) == 2  # the face and the back
    width_mm = float(pages[0].mediabox.width) * 25.4 / 72
    assert round(width_mm, 1) == 85.6
    text = pdf_text(printed.data)
    for shown in ("老年人优先服务卡", "王秀英", "一社区", "demo-district-P-000001", "女"):
        assert shown in text, shown
    assert "服务热线：12349" in text and "《新华街道为老服务指南》" in text
    # another community's head does not see the elder; an allowance officer hands out no cards
    assert client.get(path, headers=STAFF["other"]).status_code == 404
    assert client.get(path, headers=STAFF["officer"]).status_code == 403


def test_the_years_summary_counts_the_cards_held_and_issued(client):
    first = register(client)
    register(client, sequence=4)
    client.post(f"/elders/{first['elder_id']}/priority-card", json={"version": 1}, headers=CLERK)
    summary = client.get("/reports/year/2026", headers=CLERK).json
    assert (summary["priority_cards_held"], summary["priority_cards_issued"]) == (1, 1)
    assert client.get("/reports/year/2025", headers=CLERK).json["priority_cards_issued"] == 0
    printed = client.get("/reports/year/2026?format=pdf", headers=CLERK)
    assert "持有老年人优先服务卡（张）合计1" in pdf_text(printed.data)
