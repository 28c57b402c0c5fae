"""Correcting closed or wrong records through intake's API, against the real store: each
correction is a change of the same record, with its history and its events in the outbox."""

import json
import uuid
from datetime import date

from test_intake_api import (  # noqa: F401
    ADMIN,
    CLERK,
    client,
    intake,
    national_id,
    outbox_types,
    register,
    registration,
)

from services.intake.service_layer.inbound import receipt_key, receive
from shared.events import decode, event_type
from shared.outbox import OUTBOX


def outbox_data(intake, elder_id, type_):  # noqa: F811
    document = intake.db["elders"].find_one({"_id": elder_id})
    events = [json.loads(e["value"]) for e in document[OUTBOX]]
    return [e["data"] for e in events if e["type"] == type_]


def test_a_death_in_error_is_revoked_by_the_administrator_with_a_reason(client, intake):  # noqa: F811
    elder = register(client)
    elder_id = elder["elder_id"]
    died = client.post(
        f"/elders/{elder_id}/death", json={"version": 1, "died_on": "2026-09-03"}, headers=CLERK
    ).json
    assert died["status"] == "deceased"

    url = f"/elders/{elder_id}/death/revocation"
    refused = client.post(url, json={"version": 2, "reason": "错报"}, headers=CLERK)
    assert refused.status_code == 403
    missing = client.post(url, json={"version": 2}, headers=ADMIN)
    assert missing.status_code == 422 and "reason" in missing.json["errors"]

    revived = client.post(url, json={"version": 2, "reason": "与其姐姐混淆"}, headers=ADMIN)
    assert revived.status_code == 200, revived.json
    assert (revived.json["status"], revived.json["died_on"], revived.json["version"]) == (
        "active",
        None,
        3,
    )
    [announced] = outbox_data(intake, elder_id, "elder.death_revoked")
    assert (announced["revoked_died_on"], announced["reason"], announced["status"]) == (
        "2026-09-03",
        "与其姐姐混淆",
        "active",
    )
    assert "national_id" not in announced
    history = client.get(f"/elders/{elder_id}/history", headers=CLERK).json
    assert history[-1]["by"] == "admin"
    assert history[-1]["change"] == "death of 2026-09-03 revoked (reported in error): 与其姐姐混淆"
    assert history[-1]["before"] == {"died_on": "2026-09-03", "status": "deceased"}

    again = client.post(url, json={"version": 3, "reason": "x"}, headers=ADMIN)
    assert again.status_code == 422 and "status is active" in again.json["detail"]


def test_an_elder_who_moved_out_and_returns_is_reactivated_not_registered_again(client, intake):  # noqa: F811
    elder = register(client)
    elder_id = elder["elder_id"]
    client.post(
        f"/elders/{elder_id}/moves", json={"version": 1, "moved_on": "2026-03-10"}, headers=CLERK
    )
    twice = client.post("/elders", json=registration(), headers=CLERK)
    assert twice.status_code == 409
    assert f"POST /elders/{elder_id}/return" in twice.json["detail"]

    back = client.post(
        f"/elders/{elder_id}/return",
        json={"version": 2, "returned_on": "2026-10-05", "community": "c02", "address": "新址"},
        headers=CLERK,
    )
    assert back.status_code == 200, back.json
    assert (back.json["status"], back.json["community"], back.json["moved_out_on"]) == (
        "active",
        "c02",
        None,
    )
    assert back.json["absences"] == [{"moved_out_on": "2026-03-10", "returned_on": "2026-10-05"}]
    [announced] = outbox_data(intake, elder_id, "elder.returned")
    assert announced["absences"] == back.json["absences"]
    assert announced["to_community"] == "c02"
    unknown = client.post(
        f"/elders/{elder_id}/return",
        json={"version": 3, "returned_on": "2026-10-05", "community": "nowhere"},
        headers=CLERK,
    )
    assert unknown.status_code == 422


def test_identity_is_corrected_by_a_clerks_proposal_and_an_administrators_approval(
    client,  # noqa: F811
    intake,  # noqa: F811
):
    elder = register(client)  # born 1944-03-07, a woman
    elder_id = elder["elder_id"]
    url = f"/elders/{elder_id}/identity-corrections"
    right = national_id(date(1944, 8, 7), 13)
    disagreeing = client.post(
        url,
        json={"version": 1, "national_id": right, "sex": "female", "reason": "户籍核对"},
        headers=CLERK,
    )
    assert disagreeing.status_code == 422 and disagreeing.json["field"] == "sex"
    proposed = client.post(
        url, json={"version": 1, "national_id": right, "reason": "户籍核对"}, headers=CLERK
    )
    assert proposed.status_code == 200, proposed.json
    assert proposed.json["birth_date"] == "1944-03-07"  # nothing applied before approval
    assert proposed.json["identity_corrections"][0]["status"] == "pending"

    waiting = client.get("/elders?identity_correction=pending", headers=ADMIN).json
    assert [e["elder_id"] for e in waiting["items"]] == [elder_id]
    by_clerk = client.post(f"{url}/approval", json={"version": 2}, headers=CLERK)
    assert by_clerk.status_code == 403
    approved = client.post(f"{url}/approval", json={"version": 2}, headers=ADMIN)
    assert approved.status_code == 200, approved.json
    body = approved.json
    assert (body["national_id"], body["birth_date"], body["sex"], body["age"]) == (
        right,
        "1944-08-07",
        "male",
        82,
    )
    [kept] = body["identity_corrections"]
    assert (kept["status"], kept["proposed_by"], kept["decided_by"]) == (
        "approved",
        "clerk",
        "admin",
    )
    assert kept["previous_national_id"] == national_id(date(1944, 3, 7))
    [announced] = outbox_data(intake, elder_id, "elder.updated")
    assert announced["changed"] == ["birth_date", "sex"]
    assert announced["birth_date"] == "1944-08-07" and right not in json.dumps(announced)

    assert client.get("/elders?identity_correction=pending", headers=ADMIN).json["total"] == 0
    history = client.get(f"/elders/{elder_id}/history", headers=CLERK).json
    assert [h["change"].split(" (")[0] for h in history[1:]] == [
        "identity correction proposed",
        "identity correction approved",
    ]
    assert history[-1]["after"]["national_id"] == "330281********" + right[-4:]
    assert right not in json.dumps(history)  # full numbers stay on the record, not in history
    # the corrected number finds the elder; the old one no longer does
    found = intake.elders.by_national_id(right)
    assert found is not None and found.elder_id == elder_id
    assert intake.elders.by_national_id(national_id(date(1944, 3, 7))) is None
    assert outbox_types(intake, elder_id)[-1] == "elder.updated"


def test_an_administrator_does_not_approve_their_own_proposal_and_a_taken_number_is_refused(
    client,  # noqa: F811
    intake,  # noqa: F811
):
    elder_id = register(client)["elder_id"]
    other = register(client, born=date(1940, 1, 2), sequence=4)
    url = f"/elders/{elder_id}/identity-corrections"
    taken = client.post(
        url,
        json={"version": 1, "national_id": national_id(date(1940, 1, 2), 4), "reason": "x"},
        headers=CLERK,
    )
    assert taken.status_code == 409 and taken.json["existing_elder_id"] == other["elder_id"]

    own = client.post(
        url,
        json={
            "version": 1,
            "birth_date": "1944-03-08",
            "national_id": national_id(date(1944, 3, 8)),
            "reason": "x",
        },
        headers=ADMIN,
    )
    assert own.status_code == 200
    refused = client.post(f"{url}/approval", json={"version": 2}, headers=ADMIN)
    assert refused.status_code == 422
    assert "another district administrator" in refused.json["detail"]
    rejected = client.post(
        f"{url}/rejection", json={"version": 2, "note": "withdrawn"}, headers=ADMIN
    )
    assert rejected.status_code == 422  # the proposer does not decide either way


def inbound_move(intake, national_id, to_community, moved_on="2026-11-20"):  # noqa: F811
    """A move reported by household registration, handled as intake's worker handles it."""
    data = {
        "national_id": national_id,
        "reference": f"move-{uuid.uuid4().hex[:8]}",
        "occurred_at": "2026-11-20T08:00:00+08:00",
        "moved_on": moved_on,
        "to_community": to_community,
        "address": "回迁小区3号",
    }
    envelope = {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "urn:household-registration",
        "type": "residence.changed",
        "district": intake.settings.district,
        "schemaversion": 1,
        "data": data,
    }
    event = decode(json.dumps(envelope).encode())
    loaded = event_type(event.type).load(event)
    assert receive(intake, event, loaded)
    return intake.inbound.require(receipt_key(event, loaded)).outcome


def test_household_registration_reporting_a_move_back_into_the_district_reactivates(
    client,  # noqa: F811
    intake,  # noqa: F811
):
    elder = register(client)
    elder_id = elder["elder_id"]
    client.post(
        f"/elders/{elder_id}/moves", json={"version": 1, "moved_on": "2026-03-10"}, headers=CLERK
    )
    elsewhere = inbound_move(intake, elder["national_id"], "another-district-street")
    assert elsewhere == "no change: the record is closed (moved_out), the move is elsewhere"
    assert inbound_move(intake, elder["national_id"], "c02") == "returned to the district: c02"
    back = client.get(f"/elders/{elder_id}", headers=CLERK).json
    assert (back["status"], back["community"], back["address"], back["version"]) == (
        "active",
        "c02",
        "回迁小区3号",
        3,
    )
    assert back["absences"] == [{"moved_out_on": "2026-03-10", "returned_on": "2026-11-20"}]
    assert outbox_data(intake, elder_id, "elder.returned")[0]["to_community"] == "c02"
