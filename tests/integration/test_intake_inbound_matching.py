"""Parked inbound events are matched to the elder with their ID number (an administrator may
override, with the reason, kept in the audit trail), and a community's clerk sees and matches
its own community's events only."""

import json
import uuid
from datetime import date

import pytest
from intake_under_test import intake_under_test
from staff import staff_headers
from test_intake_inbound import NOW, envelope, national_id, report

from services.intake.domain.district import Community
from services.intake.domain.elder import Registration
from services.intake.entrypoints.app import create_app
from services.intake.service_layer import inbound
from services.intake.service_layer.registration import register_elder
from shared.audit import Actor
from shared.events import decode, event_type

TOKENS = "clerk:clerk:intake_clerk,c02:zhou:intake_clerk@c02,admin:admin:district_admin"
STAFF = staff_headers(TOKENS)
CLERK, C02_CLERK, ADMIN = STAFF["clerk"], STAFF["c02"], STAFF["admin"]


@pytest.fixture
def intake(settings):
    communities = [Community("c01", "一"), Community("c02", "二")]
    with intake_under_test(settings, NOW, communities, TOKENS) as service:
        yield service


@pytest.fixture
def client(intake):
    return create_app(intake).test_client()


def register(intake, born, sequence, community="c01"):
    registration = Registration(
        national_id=national_id(born, sequence),
        name="陈阿婆",
        sex="female",
        birth_date=born,
        community=community,
        address="一号",
    )
    return register_elder(intake, registration, Actor("clerk", "test"))


def receive(intake, settings, type_, nid, **extra) -> str:
    """Hand an event to intake's inbound handler; the key of its receipt."""
    reference = f"ref-{uuid.uuid4().hex[:8]}"
    raw = envelope(settings, type_, report(nid, reference, **extra))
    event = decode(json.dumps(raw).encode())
    data = event_type(event.type).load(event)
    assert inbound.receive(intake, event, data)
    return inbound.receipt_key(event, data)


def match(client, key, headers, **body):
    return client.post(f"/inbound/receipts/{key}/match", json=body, headers=headers)


def test_a_parked_death_is_applied_only_to_the_elder_with_its_id_number(client, intake, settings):
    chen = register(intake, date(1940, 4, 4), 2)
    stranger = national_id(date(1938, 8, 8), 4)
    key = receive(intake, settings, "death.registered", stranger, died_on="2026-11-20")

    wrong = match(client, key, CLERK, elder_id=chen.elder_id)
    assert wrong.status_code == 422 and wrong.json["field"] == "elder_id"
    assert f"{stranger[:6]}********{stranger[-4:]}" in wrong.json["detail"]
    assert stranger not in wrong.json["detail"]
    insisted = match(client, key, CLERK, elder_id=chen.elder_id, override="same person")
    assert insisted.status_code == 422 and "district administrator" in insisted.json["detail"]
    no_reason = match(client, key, ADMIN, elder_id=chen.elder_id)
    assert no_reason.status_code == 422 and no_reason.json["field"] == "override"
    assert intake.elders.get(chen.elder_id).status == "active"

    reason = "hospital typed one digit wrong; death certificate checked"
    overridden = match(client, key, ADMIN, elder_id=chen.elder_id, override=reason)
    assert overridden.status_code == 200, overridden.json
    assert (overridden.json["status"], overridden.json["override"]) == ("matched", reason)
    assert intake.elders.get(chen.elder_id).status == "deceased"
    audit = client.get("/audit", query_string={"user": "admin"}, headers=ADMIN).json["items"]
    line = next(a for a in audit if a["kind"] == "inbound")
    assert (line["record_id"], line["elder_id"]) == (key, chen.elder_id)
    assert reason in line["change"] and line["after"]["override"] == reason
    about_chen = client.get("/audit", query_string={"elder_id": chen.elder_id}, headers=ADMIN)
    assert "inbound" in {a["kind"] for a in about_chen.json["items"]}


def test_the_elder_with_the_same_number_is_matched_without_override(client, intake, settings):
    number = national_id(date(1937, 7, 7), 18)
    key = receive(intake, settings, "hospital.admitted", number, hospital="二院")
    elder = register(intake, date(1937, 7, 7), 18)
    matched = match(client, key, CLERK, elder_id=elder.elder_id)
    assert matched.status_code == 200, matched.json
    assert (matched.json["elder_id"], matched.json["community"]) == (elder.elder_id, "c01")
    assert matched.json.get("override") is None


def test_a_community_clerk_sees_and_matches_only_their_communitys_events(client, intake, settings):
    in_c01 = register(intake, date(1940, 4, 4), 2)
    in_c02 = register(intake, date(1941, 5, 5), 6, community="c02")
    unknown = national_id(date(1938, 8, 8), 4)
    district = receive(intake, settings, "death.registered", unknown, died_on="2026-11-20")
    moving_in = receive(
        intake,
        settings,
        "residence.changed",
        national_id(date(1939, 9, 9), 8),
        moved_on="2026-11-01",
        to_community="c02",
    )
    applied = receive(intake, settings, "hospital.admitted", in_c02.national_id, hospital="二院")
    elsewhere = receive(intake, settings, "hospital.admitted", in_c01.national_id, hospital="二院")

    everything = client.get("/inbound/receipts?page_size=100", headers=CLERK).json["items"]
    assert {district, moving_in, applied, elsewhere} <= {r["key"] for r in everything}
    listed = client.get("/inbound/receipts?page_size=100", headers=C02_CLERK).json["items"]
    assert {r["key"] for r in listed} == {moving_in, applied}
    assert {r["community"] for r in listed} == {"c02"}
    other = client.get("/inbound/receipts?community=c01", headers=C02_CLERK)
    assert other.status_code == 403

    assert client.get(f"/inbound/receipts/{district}", headers=C02_CLERK).status_code == 404
    assert client.get(f"/inbound/receipts/{elsewhere}", headers=C02_CLERK).status_code == 404
    assert match(client, district, C02_CLERK, elder_id=in_c02.elder_id).status_code == 404
    to_c01 = match(client, moving_in, C02_CLERK, elder_id=in_c01.elder_id)
    assert to_c01.status_code == 404
    discarded = client.post(
        f"/inbound/receipts/{district}/discard", json={"reason": "x"}, headers=C02_CLERK
    )
    assert discarded.status_code == 404
    assert match(client, applied, CLERK, elder_id=in_c02.elder_id).status_code == 409
    parked = client.get(f"/inbound/receipts/{district}", headers=CLERK).json
    assert parked["status"] == "parked"
    assert intake.elders.get(in_c01.elder_id).community == "c01"
