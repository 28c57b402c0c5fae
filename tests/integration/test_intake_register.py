"""Corrections to the register through intake's API against the real store: partial changes
of circumstances, elder-card upgrades, ID numbers and community names as clerks write them."""

import json

from test_intake_api import CLERK, register

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
