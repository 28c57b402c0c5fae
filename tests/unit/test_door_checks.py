"""What a door-to-door check found, put right on the elder's record in intake, on stores in
memory: the facts corrected in the visitor's name, the record noting when it was checked and by
whom, the same visit twice changing nothing, and a round's visit with nothing wrong."""

from datetime import UTC, datetime

import pytest
from memory_intake import memory_intake
from test_intake_use_cases import COMMUNITIES, registration

from services.intake.service_layer.corrections import record_door_check
from services.intake.service_layer.registration import register_elder
from shared.audit import Actor

NOW = datetime(2026, 12, 5, 2, tzinfo=UTC)


@pytest.fixture
def intake():
    return memory_intake(NOW, COMMUNITIES)


def visit(elder_id: str, visit_id: str, *corrections: tuple[str, str]) -> dict:
    return {
        "visit_id": visit_id,
        "elder_id": elder_id,
        "visitor": "zhao",
        "visited_at": datetime(2026, 12, 4, 8, tzinfo=UTC),
        "door_check": {
            "corrections": [{"fact": f, "value": v} for f, v in corrections],
            "campaign_id": "round-1",
        },
    }


def test_the_facts_found_wrong_are_put_right_and_the_check_is_noted(intake):
    elder = register_elder(intake, registration(2), Actor("clerk", "test"))
    found = visit(
        elder.elder_id,
        "v-1",
        ("phone", "13912345678"),
        ("party_member", "yes"),
        ("marital_status", "widowed"),
        ("address", elder.address),  # the same as on the record: not a correction
    )
    assert record_door_check(intake, found) is True
    checked = intake.elders.get(elder.elder_id)
    assert checked.phone == "13912345678"
    assert checked.circumstances.party_member is True
    assert checked.circumstances.marital_status == "widowed"
    assert checked.last_checked is not None
    assert (checked.last_checked.by, str(checked.last_checked.checked_on)) == ("zhao", "2026-12-04")
    assert checked.last_checked.corrected == ("marital_status", "party_member", "phone")
    assert checked.last_checked.campaign_id == "round-1"
    line = intake.elders.history(elder.elder_id)[-1]
    assert (
        line["by"] == "zhao" and "corrected marital_status, party_member, phone" in line["change"]
    )
    [updated] = [e for e in intake.elders.announced if e.type == "elder.updated"]  # type: ignore[attr-defined]
    assert updated.data["changed"] == ["phone", "circumstances", "last_checked"]

    assert record_door_check(intake, found) is False  # the same visit again: nothing more
    assert intake.elders.get(elder.elder_id).version == checked.version


def test_a_visit_with_nothing_wrong_notes_the_check_and_a_plain_visit_is_left_alone(intake):
    elder = register_elder(intake, registration(3), Actor("clerk", "test"))
    assert record_door_check(intake, visit(elder.elder_id, "v-2")) is True
    checked = intake.elders.get(elder.elder_id)
    assert checked.last_checked is not None and checked.last_checked.corrected == ()
    assert "all correct" in intake.elders.history(elder.elder_id)[-1]["change"]
    plain = {**visit(elder.elder_id, "v-3"), "door_check": None}
    assert record_door_check(intake, plain) is False
