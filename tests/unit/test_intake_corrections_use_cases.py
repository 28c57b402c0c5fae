"""Corrections of closed or wrong records, on intake's stores in memory: a death revoked, a
return to the district, an identity correction proposed, approved or rejected. Each is one
change of the same record: the state stored, its history line and its events, or a refusal
that stores nothing (a stale version: Conflict; a rule broken: RuleViolation)."""

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from memory_intake import memory_intake
from test_intake_use_cases import COMMUNITIES, registration

from services.intake.domain.elder import Absence, Elder, IdentityCorrection
from services.intake.service_layer import changes, corrections
from services.intake.service_layer.container import Intake
from services.intake.service_layer.registration import register_elder
from shared.audit import Actor
from shared.errors import Conflict, NotFound, RuleViolation
from shared.events import Event, InvalidEvent

NOW = datetime(2026, 11, 29, 2, tzinfo=UTC)
CLERK = Actor("clerk", "10.0.0.7")
ADMIN = Actor("admin", "10.0.0.9")
REGISTRY = Actor("urn:civil-affairs:death-registry", "eldercare.inbound")
RIGHT_BIRTH = date(1944, 8, 7)
RIGHT = registration(13, born=RIGHT_BIRTH).national_id  # a man's, born in August


@pytest.fixture
def intake() -> Intake:
    return memory_intake(NOW, COMMUNITIES)


def register(intake: Intake, sequence: int = 2, **changed) -> Elder:
    return register_elder(intake, registration(sequence, **changed), Actor("clerk", "test"))


def masked(number: str) -> str:
    return f"{number[:6]}********{number[-4:]}"


def events(intake: Intake) -> list[Event]:
    return list(intake.elders.announced)  # type: ignore[attr-defined]


def last_line(intake: Intake, elder_id: str) -> dict[str, Any]:
    return intake.elders.history(elder_id)[-1]


def line(change: str, by: Actor, version: int, before: dict, after: dict) -> dict[str, Any]:
    return {
        "at": NOW,
        "by": by.user,
        "from": by.origin,
        "change": change,
        "version": version,
        "before": before,
        "after": after,
    }


def told(event: Event, *names: str) -> dict[str, Any]:
    return {name: event.data[name] for name in names}


def state(intake: Intake, elder_id: str) -> tuple[Elder, int, int]:
    """What a refused change must leave as it was: the record, its history, the events."""
    return intake.elders.get(elder_id), len(intake.elders.history(elder_id)), len(events(intake))


# a death revoked


def dead(intake: Intake, sequence: int = 2) -> Elder:
    elder = register(intake, sequence)
    changes.record_death(intake, elder.elder_id, 1, REGISTRY, date(2026, 11, 20), "民政")
    return elder


def test_a_death_reported_in_error_is_revoked_and_the_record_is_active_again(intake):
    elder = dead(intake)
    revoked = corrections.revoke_death(intake, elder.elder_id, 2, ADMIN, "  与其姐姐混淆  ")
    assert revoked == replace(elder, version=3)  # active, no date of death, as before it
    assert intake.elders.get(elder.elder_id) == revoked
    assert last_line(intake, elder.elder_id) == line(
        "death of 2026-11-20 revoked (reported in error): 与其姐姐混淆",
        ADMIN,
        3,
        {"died_on": "2026-11-20", "status": "deceased"},
        {"died_on": None, "status": "active"},
    )
    assert [e.type for e in events(intake)] == [
        "elder.registered",
        "elder.contact_changed",
        "elder.deceased",
        "elder.death_revoked",
    ]
    said = events(intake)[-1]
    assert said.subject == elder.elder_id
    assert told(said, "elder_id", "version", "status", "died_on", "revoked_died_on", "reason") == {
        "elder_id": elder.elder_id,
        "version": 3,
        "status": "active",
        "died_on": None,
        "revoked_died_on": "2026-11-20",
        "reason": "与其姐姐混淆",
    }


def test_a_revocation_on_a_stale_version_or_without_a_reason_stores_nothing(intake):
    elder = dead(intake)
    before = state(intake, elder.elder_id)
    with pytest.raises(Conflict, match="changed by someone else \\(now at version 2\\)"):
        corrections.revoke_death(intake, elder.elder_id, 1, ADMIN, "与其姐姐混淆")
    with pytest.raises(RuleViolation, match="needs its reason") as blank:
        corrections.revoke_death(intake, elder.elder_id, 2, ADMIN, "   ")
    assert blank.value.context["field"] == "reason"
    assert state(intake, elder.elder_id) == before
    with pytest.raises(NotFound):
        corrections.revoke_death(intake, "nobody", 1, ADMIN, "与其姐姐混淆")


def test_only_a_recorded_death_is_revoked(intake):
    elder = register(intake)
    before = state(intake, elder.elder_id)
    with pytest.raises(RuleViolation, match="only a recorded death can be revoked"):
        corrections.revoke_death(intake, elder.elder_id, 1, ADMIN, "误报")
    assert state(intake, elder.elder_id) == before
    gone = dead(intake, 4)
    corrections.revoke_death(intake, gone.elder_id, 2, ADMIN, "误报")
    with pytest.raises(RuleViolation, match="status is active"):
        corrections.revoke_death(intake, gone.elder_id, 3, ADMIN, "误报")


# a return to the district


def moved_out(intake: Intake, sequence: int = 2) -> Elder:
    elder = register(intake, sequence)
    by = Actor("clerk", "test")
    changes.record_move(intake, elder.elder_id, 1, by, date(2026, 3, 10), None, None, "杭州")
    return elder


def test_an_elder_who_moved_out_returns_to_the_same_record_with_the_time_away_kept(intake):
    elder = moved_out(intake)
    back = corrections.return_to_district(
        intake, elder.elder_id, 2, CLERK, date(2026, 10, 5), "c02", " 解放路3号 "
    )
    away = Absence(date(2026, 3, 10), date(2026, 10, 5))
    expected = replace(elder, community="c02", address="解放路3号", absences=(away,), version=3)
    assert back == expected and intake.elders.get(elder.elder_id) == expected
    assert last_line(intake, elder.elder_id) == line(
        "returned to the district on 2026-10-05 (community c02); away since 2026-03-10",
        CLERK,
        3,
        {
            "absences": [],
            "address": elder.address,
            "community": "c01",
            "moved_out_on": "2026-03-10",
            "status": "moved_out",
        },
        {
            "absences": [{"moved_out_on": "2026-03-10", "returned_on": "2026-10-05"}],
            "address": "解放路3号",
            "community": "c02",
            "moved_out_on": None,
            "status": "active",
        },
    )
    returned, contact = events(intake)[-2:]
    assert (returned.type, contact.type) == ("elder.returned", "elder.contact_changed")
    assert told(
        returned,
        "version",
        "status",
        "community",
        "moved_out_on",
        "absences",
        "returned_on",
        "away_since",
        "to_community",
    ) == {
        "version": 3,
        "status": "active",
        "community": "c02",
        "moved_out_on": None,
        "absences": [{"moved_out_on": "2026-03-10", "returned_on": "2026-10-05"}],
        "returned_on": "2026-10-05",
        "away_since": "2026-03-10",
        "to_community": "c02",
    }
    assert contact.data == {
        "elder_id": elder.elder_id,
        "version": 3,
        "address": "解放路3号",
        "phone": elder.phone,
    }


def test_a_return_without_an_address_keeps_the_one_on_record_and_announces_no_contact(intake):
    elder = moved_out(intake)
    back = corrections.return_to_district(
        intake, elder.elder_id, None, CLERK, date(2026, 10, 5), "c01", None
    )
    assert (back.status, back.community, back.address, back.version) == (
        "active",
        "c01",
        elder.address,
        3,
    )
    assert [e.type for e in events(intake)[-2:]] == ["elder.moved_out", "elder.returned"]


@pytest.mark.parametrize(
    ("community", "returned_on", "version", "refusal", "message"),
    [
        ("c09", date(2026, 10, 5), 2, RuleViolation, "unknown community 'c09'"),
        ("c02", date(2026, 3, 9), 2, RuleViolation, "before the move out of the district"),
        ("c02", date(2026, 11, 30), 2, RuleViolation, "returned_on is in the future"),
        ("c02", date(2026, 10, 5), 1, Conflict, "changed by someone else"),
    ],
)
def test_a_return_that_breaks_a_rule_or_comes_late_stores_nothing(
    intake, community, returned_on, version, refusal, message
):
    elder = moved_out(intake)
    before = state(intake, elder.elder_id)
    with pytest.raises(refusal, match=message):
        corrections.return_to_district(
            intake, elder.elder_id, version, CLERK, returned_on, community, "解放路3号"
        )
    assert state(intake, elder.elder_id) == before


def test_only_an_elder_who_moved_out_returns(intake):
    elder = register(intake)
    with pytest.raises(RuleViolation, match="status is active"):
        corrections.return_to_district(
            intake, elder.elder_id, 1, CLERK, date(2026, 10, 5), "c02", None
        )
    assert intake.elders.get(elder.elder_id) == elder


def test_a_reported_move_of_an_elder_who_moved_out_returns_them_only_into_the_district(intake):
    elder = moved_out(intake)
    move = {"moved_on": date(2026, 10, 5), "address": None}
    elsewhere = corrections.return_reported(
        intake, intake.elders.get(elder.elder_id), REGISTRY, {**move, "to_community": "c77"}
    )
    assert elsewhere == "no change: the record is closed (moved_out), the move is elsewhere"
    too_early = {**move, "moved_on": date(2026, 3, 1), "to_community": "c02"}
    before = state(intake, elder.elder_id)
    with pytest.raises(
        InvalidEvent, match=r"residence\.changed refused for this elder: returned_on"
    ):
        corrections.return_reported(intake, intake.elders.get(elder.elder_id), REGISTRY, too_early)
    assert state(intake, elder.elder_id) == before

    into = {**move, "to_community": "c02"}
    outcome = corrections.return_reported(intake, intake.elders.get(elder.elder_id), REGISTRY, into)
    assert outcome == "returned to the district: c02"
    assert intake.elders.get(elder.elder_id).status == "active"
    assert last_line(intake, elder.elder_id)["by"] == REGISTRY.user


# identity corrections


def propose(intake: Intake, elder_id: str, version: int, by: Actor = CLERK, **values) -> Elder:
    proposed = {"national_id": RIGHT, "birth_date": RIGHT_BIRTH, "sex": "male", **values}
    return corrections.propose_identity_correction(
        intake, elder_id, version, by, reason="户籍底册核对", **proposed
    )


def test_a_proposal_changes_nothing_yet_and_keeps_the_numbers_out_of_the_history(intake):
    elder = register(intake)
    proposed = propose(intake, elder.elder_id, 1)
    proposal = IdentityCorrection(
        RIGHT,
        RIGHT_BIRTH,
        "male",
        elder.national_id,
        elder.birth_date,
        "female",
        "户籍底册核对",
        "clerk",
        NOW,
    )
    assert proposed == replace(elder, identity_corrections=(proposal,), version=2)
    assert intake.elders.get(elder.elder_id) == proposed
    assert last_line(intake, elder.elder_id) == line(
        "identity correction proposed (national_id, birth_date, sex): 户籍底册核对",
        CLERK,
        2,
        {},
        {},
    )
    assert [e.type for e in events(intake)] == ["elder.registered", "elder.contact_changed"]


def test_an_approved_correction_takes_effect_and_only_birth_date_and_sex_leave_intake(intake):
    elder = register(intake)
    proposed = propose(intake, elder.elder_id, 1)
    approved = corrections.approve_identity_correction(intake, elder.elder_id, 2, ADMIN)
    [proposal] = proposed.identity_corrections
    decided = replace(proposal, status="approved", decided_by="admin", decided_at=NOW)
    expected = replace(
        elder,
        national_id=RIGHT,
        birth_date=RIGHT_BIRTH,
        sex="male",
        identity_corrections=(decided,),
        version=3,
    )
    assert approved == expected and intake.elders.get(elder.elder_id) == expected
    assert intake.elders.by_national_id(RIGHT) == expected
    assert intake.elders.by_national_id(elder.national_id) is None
    assert last_line(intake, elder.elder_id) == line(
        "identity correction approved (national_id, birth_date, sex), proposed by clerk",
        ADMIN,
        3,
        {"birth_date": "1944-03-07", "national_id": masked(elder.national_id), "sex": "female"},
        {"birth_date": "1944-08-07", "national_id": masked(RIGHT), "sex": "male"},
    )
    history = json.dumps(intake.elders.history(elder.elder_id), default=str)
    assert elder.national_id not in history and RIGHT not in history
    updated = events(intake)[-1]
    assert updated.type == "elder.updated" and len(events(intake)) == 3
    assert told(updated, "version", "birth_date", "sex", "changed") == {
        "version": 3,
        "birth_date": "1944-08-07",
        "sex": "male",
        "changed": ["birth_date", "sex"],
    }
    said = json.dumps([e.to_dict() for e in events(intake)])
    assert elder.national_id not in said and RIGHT not in said


def test_a_correction_of_the_number_alone_is_announced_to_no_one(intake):
    elder = register(intake)
    same_birth_and_sex = registration(4).national_id
    propose(intake, elder.elder_id, 1, national_id=same_birth_and_sex, birth_date=None, sex=None)
    approved = corrections.approve_identity_correction(intake, elder.elder_id, 2, ADMIN)
    assert (approved.national_id, approved.birth_date, approved.sex) == (
        same_birth_and_sex,
        elder.birth_date,
        elder.sex,
    )
    assert last_line(intake, elder.elder_id)["change"] == (
        "identity correction approved (national_id), proposed by clerk"
    )
    assert len(events(intake)) == 2  # the registration's only


def test_a_rejected_correction_leaves_the_identity_as_it_was(intake):
    elder = register(intake)
    proposed = propose(intake, elder.elder_id, 1)
    rejected = corrections.reject_identity_correction(
        intake, elder.elder_id, 2, ADMIN, " 证件复印件不符 "
    )
    [proposal] = proposed.identity_corrections
    decided = replace(
        proposal,
        status="rejected",
        decided_by="admin",
        decided_at=NOW,
        decision_note="证件复印件不符",
    )
    assert rejected == replace(elder, identity_corrections=(decided,), version=3)
    assert intake.elders.get(elder.elder_id) == rejected
    assert last_line(intake, elder.elder_id) == line(
        "identity correction rejected: 证件复印件不符", ADMIN, 3, {}, {}
    )
    assert len(events(intake)) == 2
    # decided: another may be proposed now
    assert propose(intake, elder.elder_id, 3).version == 4


def test_the_proposer_decides_nothing_and_a_decision_needs_a_pending_proposal(intake):
    elder = register(intake)
    with pytest.raises(RuleViolation, match="no identity correction awaits"):
        corrections.approve_identity_correction(intake, elder.elder_id, 1, ADMIN)
    with pytest.raises(RuleViolation, match="no identity correction awaits"):
        corrections.reject_identity_correction(intake, elder.elder_id, 1, ADMIN, "不符")
    propose(intake, elder.elder_id, 1, by=Actor("admin", "10.0.0.9"))
    before = state(intake, elder.elder_id)
    with pytest.raises(RuleViolation, match="another district administrator decides it"):
        corrections.approve_identity_correction(intake, elder.elder_id, 2, ADMIN)
    with pytest.raises(RuleViolation, match="another district administrator decides it"):
        corrections.reject_identity_correction(intake, elder.elder_id, 2, ADMIN, "不符")
    with pytest.raises(RuleViolation, match="needs its note") as blank:
        corrections.reject_identity_correction(intake, elder.elder_id, 2, Actor("zhou"), "  ")
    assert blank.value.context["field"] == "note"
    with pytest.raises(Conflict, match="changed by someone else"):
        corrections.approve_identity_correction(intake, elder.elder_id, 1, Actor("zhou"))
    with pytest.raises(Conflict, match="awaits the administrator's decision"):
        propose(intake, elder.elder_id, 2, national_id=registration(4).national_id)
    assert state(intake, elder.elder_id) == before


@pytest.mark.parametrize(
    ("values", "stale", "refusal", "message"),
    [
        ({"national_id": None, "sex": None}, False, RuleViolation, "disagrees with the ID number"),
        ({"sex": "female"}, False, RuleViolation, "disagrees with the corrected ID number"),
        ({"national_id": "330281194403070025"}, False, RuleViolation, "check character"),
        ({}, True, Conflict, "changed by someone else"),
    ],
)
def test_a_proposal_that_breaks_a_rule_or_comes_late_stores_nothing(
    intake, values, stale, refusal, message
):
    elder = register(intake)
    if stale:  # another change since the clerk read version 1
        changes.update_elder(intake, elder.elder_id, 1, CLERK, {"phone": "13912345678"})
    before = state(intake, elder.elder_id)
    with pytest.raises(refusal, match=message):
        propose(intake, elder.elder_id, 1, **values)
    assert state(intake, elder.elder_id) == before


def test_a_number_another_elder_holds_is_refused_when_proposed_and_when_approved(intake):
    elder = register(intake)
    other = register(intake, 4, community="c02")
    before = state(intake, elder.elder_id)
    with pytest.raises(Conflict, match="another elder is registered") as taken:
        propose(intake, elder.elder_id, 1, national_id=other.national_id, birth_date=None, sex=None)
    assert taken.value.context["existing_elder_id"] == other.elder_id
    assert state(intake, elder.elder_id) == before

    propose(intake, elder.elder_id, 1)  # RIGHT: nobody's yet
    meanwhile = register(intake, 13, born=RIGHT_BIRTH)
    pending = state(intake, elder.elder_id)
    with pytest.raises(Conflict, match="another elder is registered") as since:
        corrections.approve_identity_correction(intake, elder.elder_id, 2, ADMIN)
    assert since.value.context["existing_elder_id"] == meanwhile.elder_id
    assert state(intake, elder.elder_id) == pending
    assert intake.elders.by_national_id(RIGHT) == meanwhile
