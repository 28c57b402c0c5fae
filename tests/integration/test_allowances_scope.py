"""An officer bound to a community corrects, redeems and pays within it only; a cycle is
approved by someone who neither prepared nor reviewed it."""

from datetime import date

import pytest
from staff import staff_headers
from test_allowances_api import SEPTEMBER, feed, opened, with_account

from services.allowances.bootstrap import bootstrap
from services.allowances.entrypoints.app import create_app
from shared.clock import FixedClock

TOKENS = ",".join(
    [
        "officer:officer:allowance_officer",
        "approver:approver:approver",
        "both:qian:allowance_officer+approver",
        "c02-officer:zhou:allowance_officer@c02",
    ]
)
STAFF = staff_headers(TOKENS)
OFFICER, APPROVER = STAFF["officer"], STAFF["approver"]
BOTH, C02_OFFICER = STAFF["both"], STAFF["c02-officer"]


@pytest.fixture
def service(settings):
    allowances = bootstrap(settings, FixedClock(SEPTEMBER))
    yield allowances
    allowances.db.client.drop_database(allowances.db.name)


@pytest.fixture
def client(service):
    return create_app(service).test_client()


def step(client, cycle_id, action, headers, body=None):
    return client.post(f"/cycles/{cycle_id}/{action}", json=body, headers=headers)


def test_the_reviewer_of_a_cycle_cannot_approve_it(client, service):
    feed(service, elder_id="e-1", birth_date=date(1940, 1, 1))
    cycle_id = opened(client)["cycle_id"]
    assert step(client, cycle_id, "review", BOTH, {"note": "checked"}).status_code == 200

    own_review = step(client, cycle_id, "approve", BOTH)
    assert own_review.status_code == 422
    assert own_review.json["detail"].startswith("qian reviewed this cycle and so cannot approve")
    assert client.get(f"/cycles/{cycle_id}", headers=OFFICER).json["state"] == "reviewed"

    approved = step(client, cycle_id, "approve", APPROVER)
    assert approved.status_code == 200 and approved.json["approved_by"] == "approver"


def test_an_officer_of_one_community_adjusts_only_its_elders(client, service):
    feed(service, elder_id="e-c01", birth_date=date(1940, 1, 1))
    feed(service, elder_id="e-c02", birth_date=date(1940, 1, 1), community="c02")
    correction = {"month": "2026-08", "amount_fen": 1_000, "reason": "paid short in August"}

    foreign = client.post(
        "/adjustments", json=correction | {"elder_id": "e-c01"}, headers=C02_OFFICER
    )
    assert foreign.status_code == 404
    assert service.db["adjustments"].count_documents({}) == 0
    own = client.post("/adjustments", json=correction | {"elder_id": "e-c02"}, headers=C02_OFFICER)
    assert own.status_code == 201, own.json


def test_an_officer_of_one_community_redeems_only_its_elders_vouchers(client, service):
    feed(service, elder_id="e-c01", birth_date=date(1948, 1, 1), home_care=True)
    feed(service, elder_id="e-c02", birth_date=date(1948, 1, 1), home_care=True, community="c02")
    cycle_id = opened(client, programme="home_care_voucher")["cycle_id"]
    assert step(client, cycle_id, "review", OFFICER, {"note": "checked"}).status_code == 200
    assert step(client, cycle_id, "approve", APPROVER).status_code == 200
    claim = {"provider": "安康家政", "service": "housekeeping", "served_on": "2026-09-08"}

    foreign = client.post(
        "/vouchers/home_care_voucher:2026-09:e-c01/redemption",
        json=claim | {"elder_id": "e-c01"},
        headers=C02_OFFICER,
    )
    assert foreign.status_code == 404
    assert service.db["redemptions"].count_documents({}) == 0
    own = client.post(
        "/vouchers/home_care_voucher:2026-09:e-c02/redemption",
        json=claim | {"elder_id": "e-c02"},
        headers=C02_OFFICER,
    )
    assert own.status_code == 201, own.json


def test_the_payment_file_is_the_districts_and_a_community_officer_sees_their_part(client, service):
    feed(service, elder_id="e-c01", birth_date=date(1940, 1, 1))
    feed(service, elder_id="e-c02", birth_date=date(1940, 1, 1), community="c02")
    feed(service, elder_id="e-c02-bare", birth_date=date(1941, 1, 1), community="c02")
    with_account(client, "e-c01", "e-c02")
    cycle_id = opened(client)["cycle_id"]
    assert step(client, cycle_id, "review", OFFICER, {"note": "checked"}).status_code == 200
    assert step(client, cycle_id, "approve", APPROVER).status_code == 200

    refused = step(client, cycle_id, "export", C02_OFFICER)
    assert refused.status_code == 403 and "district" in refused.json["detail"]
    assert step(client, cycle_id, "export", OFFICER).status_code == 200
    file = client.get(f"/cycles/{cycle_id}/payment-file", headers=C02_OFFICER)
    assert file.status_code == 403
    assert file.headers["Content-Type"] == "application/problem+json"
    paid = step(client, cycle_id, "paid", C02_OFFICER, {"paid_on": "2026-09-10"})
    assert paid.status_code == 403
    assert client.get(f"/cycles/{cycle_id}", headers=OFFICER).json["state"] == "exported"

    district = client.get(f"/cycles/{cycle_id}/payment-exceptions", headers=OFFICER).json
    part = client.get(f"/cycles/{cycle_id}/payment-exceptions", headers=C02_OFFICER).json
    assert district["payments"] == 2 and part["payments"] == 1
    assert [e["elder_id"] for e in part["exceptions"]] == ["e-c02-bare"]
    assert part["file_amount_fen"] == district["file_amount_fen"] // 2
