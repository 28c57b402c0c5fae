"""What each reader of the register sees of an elder's phones, contacts and health: lists and
histories mask every phone (the elder's, the emergency contact's, each household member's);
chronic illnesses are on one elder's record and its history only, for the roles that care for
the elder or record them (not the allowance officer), and in no list."""

import json
from datetime import UTC, date, datetime

import pytest
from intake_under_test import intake_under_test
from staff import staff_headers
from test_intake_api import registration

from services.intake.domain.district import Community
from services.intake.entrypoints.app import create_app

TOKENS = ",".join(
    [
        "clerk:clerk:intake_clerk",
        "admin:admin:district_admin",
        "visitor:visitor:visitor@c01",
        "head:head:community_head@c01",
        "officer:officer:allowance_officer",
    ]
)
STAFF = staff_headers(TOKENS)
CLERK, ADMIN, VISITOR, HEAD, OFFICER = (
    STAFF[token] for token in ("clerk", "admin", "visitor", "head", "officer")
)
PHONES = ("13812345678", "13987654321", "13700001111", "13622223333", "13544445555")
ILLNESS = "阿尔茨海默病"


@pytest.fixture
def client(settings):
    now, communities = datetime(2026, 11, 29, 2, tzinfo=UTC), [Community("c01", "一社区")]
    with intake_under_test(settings, now, communities, TOKENS) as service:
        yield create_app(service).test_client()


@pytest.fixture
def elder(client):
    """An elder whose phones changed once, with an assessment naming a chronic illness."""
    body = registration(
        phone=PHONES[0],
        emergency_contact={"name": "周强", "phone": PHONES[1], "relation": "son"},
        household_members=[{"name": "李华", "relation": "spouse", "phone": PHONES[2]}],
    )
    registered = client.post("/elders", json=body, headers=CLERK)
    assert registered.status_code == 201, registered.json
    elder_id = registered.json["elder_id"]
    changed = {
        "version": 1,
        "phone": PHONES[3],
        "emergency_contact": {"name": "周强", "phone": PHONES[4], "relation": "son"},
        "household_members": [{"name": "李华", "relation": "spouse", "phone": PHONES[3]}],
    }
    assert client.patch(f"/elders/{elder_id}", json=changed, headers=CLERK).status_code == 200
    assessment = {
        "version": 2,
        "scale": "barthel",
        "score": 35,
        "chronic_illnesses": [ILLNESS],
        "assessor": "张医生",
        "assessed_on": date(2026, 11, 20).isoformat(),
    }
    assessed = client.post(f"/elders/{elder_id}/assessments", json=assessment, headers=CLERK)
    assert assessed.status_code == 200, assessed.json
    return elder_id


def read(client, path, headers):
    answer = client.get(path, headers=headers)
    assert answer.status_code == 200, answer.json
    return answer.json, json.dumps(answer.json, ensure_ascii=False)


@pytest.mark.parametrize("reader", [VISITOR, HEAD, OFFICER], ids=["visitor", "head", "officer"])
def test_the_history_masks_every_phone_before_and_after_for_readers(client, elder, reader):
    history, text = read(client, f"/elders/{elder}/history", reader)
    assert not [phone for phone in PHONES if phone in text]
    change = next(line for line in history if line["change"].startswith("updated"))
    assert change["before"]["phone"] == "138****5678"
    assert change["after"]["emergency_contact"]["phone"] == "135****5555"
    assert change["before"]["household_members"][0]["phone"] == "137****1111"


@pytest.mark.parametrize("reader", [CLERK, ADMIN], ids=["clerk", "admin"])
def test_the_clerk_and_the_administrator_read_the_history_in_full(client, elder, reader):
    _history, text = read(client, f"/elders/{elder}/history", reader)
    assert all(phone in text for phone in PHONES)


@pytest.mark.parametrize(
    "reader",
    [CLERK, ADMIN, VISITOR, HEAD, OFFICER],
    ids=["clerk", "admin", "visitor", "head", "officer"],
)
def test_lists_mask_household_members_phones_and_leave_out_illnesses(client, elder, reader):
    listed, text = read(client, "/elders?community=c01", reader)
    assert listed["items"][0]["household_members"][0]["phone"] == "136****3333"
    assert not [phone for phone in PHONES if phone in text]
    assert ILLNESS not in text and "chronic_illnesses" not in text
    assert listed["items"][0]["assessment"]["self_care_level"]  # the assessment is still listed


@pytest.mark.parametrize("reader", [VISITOR, HEAD], ids=["visitor", "head"])
def test_one_record_masks_household_phones_for_readers_who_do_not_register(client, elder, reader):
    record, text = read(client, f"/elders/{elder}", reader)
    assert record["household_members"][0]["phone"] == "136****3333"
    assert record["emergency_contact"]["phone"] == "135****5555"
    assert not [phone for phone in PHONES if phone in text]


@pytest.mark.parametrize(
    ("reader", "sees_illnesses"),
    [(CLERK, True), (ADMIN, True), (VISITOR, True), (HEAD, True), (OFFICER, False)],
    ids=["clerk", "admin", "visitor", "head", "officer"],
)
def test_chronic_illnesses_only_for_who_care_for_the_elder(client, elder, reader, sees_illnesses):
    record, record_text = read(client, f"/elders/{elder}", reader)
    _history, history_text = read(client, f"/elders/{elder}/history", reader)
    assert (ILLNESS in record_text, ILLNESS in history_text) == (sees_illnesses, sees_illnesses)
    assert record["assessment"]["score"] == 35  # the assessment itself is everyone's


def test_the_volunteer_list_masks_phones(client):
    body = {"name": "小李", "community": "c01", "phone": PHONES[0]}
    registered = client.post("/volunteers", json=body, headers=CLERK)
    assert registered.status_code == 201 and registered.json["phone"] == PHONES[0]
    for reader in (CLERK, VISITOR, HEAD):
        listed, text = read(client, "/volunteers?community=c01", reader)
        assert listed["items"][0]["phone"] == "138****5678" and PHONES[0] not in text


CARE_FACTS = {"marital_status": "widowed", "has_children": False, "party_member": True}


@pytest.mark.parametrize(
    ("reader", "sees_facts"),
    [(CLERK, True), (VISITOR, True), (HEAD, True), (OFFICER, False)],
    ids=["clerk", "visitor", "head", "officer"],
)
def test_private_facts_only_for_who_care_for_the_elder(client, reader, sees_facts):
    """Marriage, children and party membership are care details: the allowance officer, who
    pays by age, reads none of them, on the record, its history or its household."""
    facts = {**CARE_FACTS, "veteran": True, "settlement": "village", "cadre_retirement": "lixiu"}
    body = registration(sequence=40, circumstances=facts)
    registered = client.post("/elders", json=body, headers=CLERK)
    assert registered.status_code == 201, registered.json
    elder_id = registered.json["elder_id"]
    record, record_text = read(client, f"/elders/{elder_id}", reader)
    _history, history_text = read(client, f"/elders/{elder_id}/history", reader)
    home, home_text = read(client, f"/elders/{elder_id}/household", reader)
    shown = record["circumstances"]
    assert shown["settlement"] == "village" and shown["cadre_retirement"] == "lixiu"
    assert ("party_member" in shown, "veteran" in shown) == (sees_facts, sees_facts)
    for text in (record_text, home_text):
        assert ('"marital_status"' in text) == sees_facts
    assert sees_facts or '"marital_status"' not in history_text
    # the lone widowed elder with no children, of whom nothing else is known, is 孤寡 only once
    # the household is known to be hers alone: until then, the rules do not guess
    assert home["household_type"] == "unknown"
    figures = client.get("/statistics", headers=ADMIN).json["district"]["facts"]
    assert figures["settlement"]["village"] == 1 and figures["party_member"]["yes"] == 1
    assert figures["cadre_retirement"]["lixiu"] == 1 and figures["marital_status"]["widowed"] == 1
