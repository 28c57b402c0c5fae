"""Events other systems send, on intake's stores in memory: an ID number resolved to an elder
and the report kept once as a receipt with the events it caused; the same report again
changing nothing; an unknown number parked for staff, who match it to an elder or discard it;
and what an event sent over HTTP must pass before it goes on its way to the inbound topic."""

import json
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from memory_intake import memory_intake
from test_intake_use_cases import COMMUNITIES, registration

from services.intake.domain.elder import Absence, Elder
from services.intake.domain.inbound_receipt import MATCHING_FOR, InboundReceipt, matching
from services.intake.service_layer import changes, inbound
from services.intake.service_layer.container import Intake
from services.intake.service_layer.registration import register_elder
from shared.audit import Actor, acting_as
from shared.errors import Conflict, DomainError, NotFound, RuleViolation
from shared.events import Event, InvalidEvent, Topics, decode, event_type

NOW = datetime(2026, 11, 29, 2, tzinfo=UTC)
OCCURRED = "2026-11-29T01:30:00+00:00"
OCCURRED_AT = datetime(2026, 11, 29, 1, 30, tzinfo=UTC)
SOURCE = "urn:hospital:ningbo-no2"
REGISTRY = "urn:civil-affairs:death-registry"
CLERK = Actor("clerk", "10.0.0.7")
ADMIN = Actor("admin", "10.0.0.9")
INTAKE_SOURCE = "urn:eldercare:d1:intake"  # what intake's own events name as their source
REPORTED = {"by": SOURCE, "from": Topics.INBOUND}  # an elder's change an event reported


@pytest.fixture
def intake() -> Intake:
    return memory_intake(NOW, COMMUNITIES)


def envelope(type_: str, national_id: str, reference: str, source: str, **extra) -> dict:
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": source,
        "type": type_,
        "time": OCCURRED,
        "subject": reference,
        "district": "d1",
        "data": {
            "national_id": national_id,
            "reference": reference,
            "occurred_at": OCCURRED,
            **extra,
        },
    }


def report(
    type_: str, national_id: str, reference: str, source: str = SOURCE, **extra
) -> tuple[Event, dict[str, Any]]:
    """An event as the inbound consumer hands it on: the envelope checked, its data loaded."""
    event = decode(json.dumps(envelope(type_, national_id, reference, source, **extra)).encode())
    return event, event_type(event.type).load(event)


def receive(intake: Intake, event: Event, data: dict[str, Any]) -> bool:
    """As the consumer calls it: acting as the event's source, from the inbound topic."""
    with acting_as(Actor(event.source, f"kafka:{Topics.INBOUND}")):
        return inbound.receive(intake, event, data)


def register(intake: Intake, sequence: int = 2, **changed) -> Elder:
    return register_elder(intake, registration(sequence, **changed), Actor("clerk", "test"))


def unknown_number(sequence: int = 8) -> str:
    return registration(sequence, born=date(1938, 8, 8)).national_id


def masked(number: str) -> str:
    return f"{number[:6]}********{number[-4:]}"


def caused(intake: Intake) -> list[tuple[str, str | None, str, dict]]:
    """The events the receipts' writes carried: type, subject, source and data."""
    announced = intake.inbound.announced  # type: ignore[attr-defined]
    return [(e.type, e.subject, e.source, e.data) for e in announced]


def elder_events(intake: Intake) -> list[Event]:
    return list(intake.elders.announced)  # type: ignore[attr-defined]


def lines(intake: Intake, key: str) -> list[dict[str, Any]]:
    return intake.inbound.history(key)  # type: ignore[attr-defined]


def applied(event: Event, elder: Elder, outcome: str) -> InboundReceipt:
    return InboundReceipt(
        inbound.receipt_key(event, event.data),
        event.type,
        event.id,
        event.source,
        event.data["reference"],
        OCCURRED_AT,
        NOW,
        "applied",
        elder.community,
        elder_id=elder.elder_id,
        outcome=outcome,
    )


# receive: an elder found by the ID number


def test_an_admission_is_kept_once_as_a_receipt_with_the_incident_it_reports(intake):
    elder = register(intake)
    event, data = report("hospital.admitted", elder.national_id, "ADM-1", hospital="二院", note="x")
    assert receive(intake, event, data) is True
    key = inbound.receipt_key(event, data)
    assert intake.inbound.get(key) == applied(event, elder, "incident reported: hospitalised")
    incident = {
        "incident_id": key,  # the receipt's key: the same report keeps the same incident
        "elder_id": elder.elder_id,
        "trigger": "hospitalised",
        "occurred_at": OCCURRED,
        "reported_by": SOURCE,
        "reference": "ADM-1",
        "note": "x",
    }
    assert caused(intake) == [("incident.reported", elder.elder_id, INTAKE_SOURCE, incident)]
    [line] = lines(intake, key)
    assert (line["change"], line["by"], line["from"], line["version"], line["before"]) == (
        "incident reported: hospitalised",
        SOURCE,
        f"kafka:{Topics.INBOUND}",
        1,
        {},
    )
    assert intake.elders.get(elder.elder_id) == elder  # an admission changes no record
    assert [e.type for e in elder_events(intake)] == ["elder.registered", "elder.contact_changed"]

    again, same = report("hospital.admitted", elder.national_id, "ADM-1", hospital="二院")
    assert again.id != event.id
    assert receive(intake, again, same) is False  # the same type, source and reference
    assert intake.inbound.get(key) == applied(event, elder, "incident reported: hospitalised")
    assert len(caused(intake)) == 1 and len(lines(intake, key)) == 1


def test_the_same_reference_from_another_reporter_or_of_another_type_is_another_report(intake):
    elder = register(intake)
    first = report("hospital.admitted", elder.national_id, "R-1", hospital="二院")
    elsewhere = report(
        "hospital.admitted", elder.national_id, "R-1", "urn:hospital:b", hospital="b"
    )
    other_kind = report("hardship.reported", elder.national_id, "R-1")
    assert [receive(intake, *sent) for sent in (first, elsewhere, other_kind)] == [True] * 3
    keys = {inbound.receipt_key(*sent) for sent in (first, elsewhere, other_kind)}
    assert len(keys) == 3 and all(intake.inbound.get(key) is not None for key in keys)
    assert [(e[0], e[3]["trigger"], e[3]["reported_by"]) for e in caused(intake)] == [
        ("incident.reported", "hospitalised", SOURCE),
        ("incident.reported", "hospitalised", "urn:hospital:b"),
        ("incident.reported", "hardship", SOURCE),
    ]


@pytest.mark.parametrize(
    ("type_", "trigger"),
    [
        ("hospital.admitted", "hospitalised"),
        ("hardship.reported", "hardship"),
        ("family_accident.reported", "family_accident"),
        ("family_conflict.reported", "family_conflict"),
        ("neighbour_dispute.reported", "neighbour_dispute"),
        ("worries.reported", "worries"),
        ("employer_benefits.undelivered", "employer_benefits_undelivered"),
    ],
)
def test_each_must_visit_report_becomes_an_incident_of_its_trigger(intake, type_, trigger):
    elder = register(intake)
    extra = {"hospital": "二院"} if type_ == "hospital.admitted" else {}
    event, data = report(type_, elder.national_id, "T-1", **extra)
    assert receive(intake, event, data) is True
    receipt = intake.inbound.get(inbound.receipt_key(event, data))
    assert receipt is not None and receipt.outcome == f"incident reported: {trigger}"
    assert [(kind, data["trigger"]) for kind, _, _, data in caused(intake)] == [
        ("incident.reported", trigger)
    ]


def test_a_hotline_call_becomes_a_help_request_with_its_channel_and_urgency(intake):
    elder = register(intake)
    event, data = report(
        "hotline.called", elder.national_id, "CALL-1", urgency="urgent", channel="love_umbrella"
    )
    assert receive(intake, event, data) is True
    key = inbound.receipt_key(event, data)
    assert intake.inbound.get(key) == applied(event, elder, "help requested")
    request = {
        "request_id": key,
        "elder_id": elder.elder_id,
        "channel": "love_umbrella",
        "urgency": "urgent",
        "occurred_at": OCCURRED,
        "reported_by": SOURCE,
        "note": None,
    }
    assert caused(intake) == [("help.requested", elder.elder_id, INTAKE_SOURCE, request)]
    plain = report("hotline.called", elder.national_id, "CALL-2")  # neither given
    assert receive(intake, *plain) is True
    assert (caused(intake)[1][3]["channel"], caused(intake)[1][3]["urgency"]) == (
        "hotline",
        "normal",
    )


def test_a_registered_death_closes_the_record_in_the_registrys_name(intake):
    elder = register(intake)
    carded = changes.issue_card(intake, elder.elder_id, 1, Actor("clerk", "test"), None)
    assert carded.card is not None
    event, data = report(
        "death.registered", elder.national_id, "D-1", REGISTRY, died_on="2026-11-20"
    )
    assert receive(intake, event, data) is True
    key = inbound.receipt_key(event, data)
    assert intake.inbound.get(key) == applied(event, elder, "death recorded (2026-11-20)")
    dead = intake.elders.get(elder.elder_id)
    assert dead == replace(
        carded, status="deceased", died_on=date(2026, 11, 20), card=None, version=3
    )
    line = intake.elders.history(elder.elder_id)[-1]
    assert (line["by"], line["from"], line["change"], line["version"]) == (
        REGISTRY,
        Topics.INBOUND,
        f"died on 2026-11-20, reported by {REGISTRY}",
        3,
    )
    deceased, cancelled = elder_events(intake)[-2:]
    assert (deceased.type, deceased.data["reported_by"], deceased.data["died_on"]) == (
        "elder.deceased",
        REGISTRY,
        "2026-11-20",
    )
    assert (cancelled.type, cancelled.data["card_number"], cancelled.data["reason"]) == (
        "elder.card_cancelled",
        carded.card.number,
        "deceased",
    )
    assert caused(intake) == []  # a death causes no incident

    # the same death from the hospital too: received, but the closed record stays as it is
    also = report("death.registered", elder.national_id, "D-9", died_on="2026-11-21")
    assert receive(intake, *also) is True
    receipt = intake.inbound.get(inbound.receipt_key(*also))
    assert receipt is not None and receipt.outcome == "no change: the record is closed (deceased)"
    assert intake.elders.get(elder.elder_id) == dead


def test_a_death_the_record_refuses_is_not_received_and_changes_nothing(intake):
    elder = register(intake)
    event, data = report("death.registered", elder.national_id, "D-2", died_on="2026-12-01")
    with pytest.raises(
        InvalidEvent, match=r"death\.registered refused for this elder: died_on is in"
    ):
        receive(intake, event, data)
    assert intake.inbound.get(inbound.receipt_key(event, data)) is None
    assert intake.elders.get(elder.elder_id) == elder
    assert caused(intake) == []


def test_a_move_to_another_community_of_the_district_is_recorded(intake):
    elder = register(intake)
    event, data = report(
        "residence.changed",
        elder.national_id,
        "M-1",
        moved_on="2026-11-20",
        to_community="c02",
        address="解放路3号",
    )
    assert receive(intake, event, data) is True
    receipt = intake.inbound.get(inbound.receipt_key(event, data))
    assert receipt is not None
    assert (receipt.status, receipt.elder_id, receipt.outcome) == (
        "applied",
        elder.elder_id,
        "moved to c02",
    )
    moved = replace(elder, community="c02", address="解放路3号", version=2)
    assert intake.elders.get(elder.elder_id) == moved
    assert [e.type for e in elder_events(intake)[2:]] == ["elder.moved", "elder.contact_changed"]
    said = elder_events(intake)[2].data
    assert (said["from_community"], said["to_community"], said["moved_on"]) == (
        "c01",
        "c02",
        "2026-11-20",
    )
    line = intake.elders.history(elder.elder_id)[-1]
    assert {k: line[k] for k in ("by", "from")} == REPORTED
    assert line["change"] == "moved from c01 to c02 on 2026-11-20"

    # the same report again, after a timeout: not applied a second time, nor refused
    again = report(
        "residence.changed",
        elder.national_id,
        "M-1",
        moved_on="2026-11-20",
        to_community="c02",
        address="解放路3号",
    )
    assert receive(intake, *again) is False
    assert intake.elders.get(elder.elder_id) == moved and len(elder_events(intake)) == 4


def test_a_move_within_the_community_is_known_by_its_new_address(intake):
    elder = register(intake)
    sent = report(
        "residence.changed",
        elder.national_id,
        "M-2",
        moved_on="2026-11-20",
        to_community="c01",
        address="新华路40号",
    )
    assert receive(intake, *sent) is True
    receipt = intake.inbound.get(inbound.receipt_key(*sent))
    assert receipt is not None and receipt.outcome == "moved within c01"
    assert intake.elders.get(elder.elder_id) == replace(elder, address="新华路40号", version=2)
    nowhere = report(
        "residence.changed", elder.national_id, "M-3", moved_on="2026-11-21", to_community="c01"
    )
    with pytest.raises(InvalidEvent, match="needs the new address"):
        receive(intake, *nowhere)
    assert intake.inbound.get(inbound.receipt_key(*nowhere)) is None


@pytest.mark.parametrize("to_community", [None, "c77"])  # none named, or another district's
def test_a_move_out_of_the_district_closes_the_record(intake, to_community):
    elder = register(intake)
    sent = report(
        "residence.changed",
        elder.national_id,
        "M-4",
        moved_on="2026-11-20",
        to_community=to_community,
        destination="杭州",
    )
    assert receive(intake, *sent) is True
    receipt = intake.inbound.get(inbound.receipt_key(*sent))
    assert receipt is not None and receipt.outcome == "moved out of the district"
    gone = replace(elder, status="moved_out", moved_out_on=date(2026, 11, 20), version=2)
    assert intake.elders.get(elder.elder_id) == gone
    [moved_out] = elder_events(intake)[2:]
    assert (moved_out.type, moved_out.data["moved_on"], moved_out.data["destination"]) == (
        "elder.moved_out",
        "2026-11-20",
        "杭州",
    )


def test_a_move_into_the_district_of_an_elder_who_moved_out_is_their_return(intake):
    elder = register(intake)
    by = Actor("clerk", "test")
    changes.record_move(intake, elder.elder_id, 1, by, date(2026, 3, 10), None, None, "杭州")
    elsewhere = report(
        "residence.changed", elder.national_id, "M-5", moved_on="2026-04-01", to_community="c77"
    )
    assert receive(intake, *elsewhere) is True
    receipt = intake.inbound.get(inbound.receipt_key(*elsewhere))
    assert receipt is not None
    assert receipt.outcome == "no change: the record is closed (moved_out), the move is elsewhere"
    assert intake.elders.get(elder.elder_id).version == 2

    back = report(
        "residence.changed",
        elder.national_id,
        "M-6",
        moved_on="2026-10-05",
        to_community="c02",
        address="解放路3号",
    )
    assert receive(intake, *back) is True
    receipt = intake.inbound.get(inbound.receipt_key(*back))
    assert receipt is not None and receipt.outcome == "returned to the district: c02"
    returned = replace(
        elder,
        community="c02",
        address="解放路3号",
        absences=(Absence(date(2026, 3, 10), date(2026, 10, 5)),),
        version=3,
    )
    assert intake.elders.get(elder.elder_id) == returned  # the same record, active again
    assert [e.type for e in elder_events(intake)[-2:]] == [
        "elder.returned",
        "elder.contact_changed",
    ]
    said = elder_events(intake)[-2].data
    assert (said["returned_on"], said["away_since"], said["to_community"]) == (
        "2026-10-05",
        "2026-03-10",
        "c02",
    )
    line = intake.elders.history(elder.elder_id)[-1]
    assert {k: line[k] for k in ("by", "from")} == REPORTED


def test_a_closed_record_takes_no_death_or_move_and_a_discharge_is_only_noted(intake):
    elder = register(intake)
    changes.record_death(
        intake, elder.elder_id, 1, Actor("clerk", "test"), date(2026, 11, 1), "家属"
    )
    sent = [
        report("death.registered", elder.national_id, "C-1", died_on="2026-11-02"),
        report("residence.changed", elder.national_id, "C-2", moved_on="2026-11-02"),
        report("hospital.discharged", elder.national_id, "C-3", hospital="二院"),
    ]
    assert [receive(intake, *one) for one in sent] == [True] * 3
    outcomes = [intake.inbound.get(inbound.receipt_key(*one)).outcome for one in sent]
    assert outcomes == [
        "no change: the record is closed (deceased)",
        "no change: the record is closed (deceased)",
        "discharged from 二院",
    ]
    assert intake.elders.get(elder.elder_id).version == 2
    assert caused(intake) == []


def test_a_legacy_15_digit_number_names_the_same_elder(intake):
    elder = register(intake)  # born 1944-03-07: 330281 44 0307 002 in the old form
    legacy = elder.national_id[:6] + elder.national_id[8:17]
    assert len(legacy) == 15
    sent = report("hardship.reported", legacy, "L-1")
    assert receive(intake, *sent) is True
    receipt = intake.inbound.get(inbound.receipt_key(*sent))
    assert receipt is not None and (receipt.status, receipt.elder_id) == ("applied", elder.elder_id)


def test_an_id_number_that_is_no_number_is_refused(intake):
    number = unknown_number()
    wrong = number[:17] + ("1" if number[17] != "1" else "2")
    sent = report("hardship.reported", wrong, "B-1")
    with pytest.raises(InvalidEvent, match="national_id: check character"):
        receive(intake, *sent)
    assert intake.inbound.get(inbound.receipt_key(*sent)) is None


# receive: an unknown ID number


def test_an_unknown_id_number_parks_the_event_for_staff(intake):
    number = unknown_number()
    event, data = report("death.registered", number, "P-1", REGISTRY, died_on="2026-11-20")
    assert receive(intake, event, data) is True
    key = inbound.receipt_key(event, data)
    assert intake.inbound.get(key) == InboundReceipt(
        key,
        "death.registered",
        event.id,
        REGISTRY,
        "P-1",
        OCCURRED_AT,
        NOW,
        "parked",
        None,  # names no community: the district's
        national_id=number,
        reason="no elder is registered with this ID number",
        envelope=event.to_dict(),  # processed as if it had just arrived, when matched
    )
    [line] = lines(intake, key)
    assert (line["change"], line["by"]) == ("parked", REGISTRY)
    assert (line["after"]["national_id"], line["after"]["envelope"]) == (masked(number), None)
    assert number not in json.dumps(line, default=str)
    assert caused(intake) == [] and intake.elders.count({}) == 0
    again = report("death.registered", number, "P-1", REGISTRY, died_on="2026-11-20")
    assert receive(intake, *again) is False
    assert intake.inbound.get(key).event_id == event.id


@pytest.mark.parametrize(("named", "community"), [("c02", "c02"), ("c77", None), (None, None)])
def test_a_parked_move_belongs_to_the_district_community_it_names(intake, named, community):
    sent = report(
        "residence.changed", unknown_number(), "P-2", moved_on="2026-11-20", to_community=named
    )
    assert receive(intake, *sent) is True
    receipt = intake.inbound.get(inbound.receipt_key(*sent))
    assert receipt is not None and (receipt.status, receipt.community) == ("parked", community)


def test_a_parked_legacy_number_is_kept_in_its_18_character_form(intake):
    number = unknown_number()
    sent = report("worries.reported", number[:6] + number[8:17], "P-3")
    assert receive(intake, *sent) is True
    receipt = intake.inbound.get(inbound.receipt_key(*sent))
    assert receipt is not None and receipt.national_id == number


# act


def test_act_tells_the_outcome_and_the_events_and_keeps_no_receipt(intake):
    elder = register(intake)
    event, data = report("hospital.discharged", elder.national_id, "A-1", hospital="二院")
    assert inbound.act(intake, elder, event, data, "k") == ("discharged from 二院", [])
    event, data = report("worries.reported", elder.national_id, "A-2")
    outcome, events = inbound.act(intake, elder, event, data, "k2")
    assert outcome == "incident reported: worries"
    assert [(e.type, e.data["incident_id"], e.data["elder_id"]) for e in events] == [
        ("incident.reported", "k2", elder.elder_id)
    ]
    stranger = replace(event, type="hospital.transferred")
    with pytest.raises(InvalidEvent, match=r"intake does not handle hospital\.transferred"):
        inbound.act(intake, elder, stranger, data, "k3")
    assert intake.inbound.find({}, [("_id", 1)], 0, 10) == ([], 0)
    assert caused(intake) == []  # announced only with a receipt that keeps them


# match_parked, elder_to_match and discard_parked


def park(intake: Intake, type_: str, number: str, reference: str = "P-1", **extra) -> str:
    sent = report(type_, number, reference, **extra)
    assert receive(intake, *sent) is True
    return inbound.receipt_key(*sent)


def test_a_parked_event_is_matched_to_the_elder_registered_since_with_its_number(intake):
    number = unknown_number()
    key = park(intake, "hospital.admitted", number, hospital="二院")
    parked = intake.inbound.get(key)
    with pytest.raises(RuleViolation, match="still no elder with this ID number"):
        inbound.elder_to_match(intake, parked, None)
    with pytest.raises(NotFound):
        inbound.elder_to_match(intake, parked, "nobody")

    elder = register(intake, 8, born=date(1938, 8, 8))
    assert inbound.elder_to_match(intake, parked, None) == elder
    with acting_as(CLERK):
        matched = inbound.match_parked(intake, parked, CLERK, elder)
    outcome = "incident reported: hospitalised"
    expected = replace(
        parked,
        status="matched",
        closed_by="clerk",
        elder_id=elder.elder_id,
        community="c01",
        outcome=outcome,
        version=3,  # claimed for the match (2), then matched
    )
    assert matched == expected and intake.inbound.get(key) == expected
    assert [(kind, subject, data["incident_id"]) for kind, subject, _, data in caused(intake)] == [
        ("incident.reported", elder.elder_id, key)
    ]
    first, claimed, second = lines(intake, key)
    assert first["change"] == "parked"
    assert (claimed["change"], claimed["after"]["matching_to"]) == (
        f"matching to elder {elder.elder_id}",
        elder.elder_id,
    )
    assert {k: second[k] for k in ("by", "from", "change", "version", "before", "after")} == {
        "by": "clerk",
        "from": "10.0.0.7",
        "change": f"matched to elder {elder.elder_id}: {outcome}",
        "version": 3,
        "before": {
            "closed_by": None,
            "community": None,
            "elder_id": None,
            "outcome": None,
            "status": "parked",
            "matching_to": elder.elder_id,
            "matching_since": claimed["after"]["matching_since"],
        },
        "after": {
            "closed_by": "clerk",
            "community": "c01",
            "elder_id": elder.elder_id,
            "outcome": outcome,
            "status": "matched",
            "matching_to": None,
            "matching_since": None,
        },
    }

    # once: no second match, no discard, no lookup of an elder for it
    with pytest.raises(Conflict, match="is not parked \\(status: matched\\)"):
        inbound.match_parked(intake, matched, CLERK, elder)
    with pytest.raises(Conflict, match="is not parked"):
        inbound.elder_to_match(intake, matched, elder.elder_id)
    with pytest.raises(Conflict, match="is not parked"):
        inbound.discard_parked(intake, key, CLERK, "late")
    assert intake.inbound.get(key) == expected and len(caused(intake)) == 1


def test_a_parked_death_matched_closes_the_record_as_if_it_had_just_arrived(intake):
    number = unknown_number()
    key = park(intake, "death.registered", number, died_on="2026-11-20")
    elder = register(intake, 8, born=date(1938, 8, 8))
    matched = inbound.match_parked(intake, intake.inbound.get(key), CLERK, elder)
    assert (matched.status, matched.outcome, matched.override) == (
        "matched",
        "death recorded (2026-11-20)",
        None,
    )
    assert intake.elders.get(elder.elder_id) == replace(
        elder, status="deceased", died_on=date(2026, 11, 20), version=2
    )
    line = intake.elders.history(elder.elder_id)[-1]
    assert {k: line[k] for k in ("by", "from")} == REPORTED  # the reporter's, as if received
    assert elder_events(intake)[-1].type == "elder.deceased"


def test_an_elder_with_another_number_takes_the_event_only_by_an_administrators_override(
    intake,
):
    number = unknown_number()
    key = park(intake, "death.registered", number, died_on="2026-11-20")
    chen = register(intake)
    parked = intake.inbound.get(key)

    with pytest.raises(RuleViolation) as refused:
        inbound.match_parked(intake, parked, CLERK, chen)
    assert refused.value.context["field"] == "elder_id"
    assert (
        masked(number) in refused.value.detail and masked(chen.national_id) in refused.value.detail
    )
    assert number not in refused.value.detail and chen.national_id not in refused.value.detail
    with pytest.raises(RuleViolation, match="district administrator") as insisted:
        inbound.match_parked(intake, parked, CLERK, chen, "same person", may_override=False)
    assert insisted.value.context["field"] == "elder_id"
    with pytest.raises(RuleViolation, match="give the reason") as no_reason:
        inbound.match_parked(intake, parked, ADMIN, chen, "  ", may_override=True)
    assert no_reason.value.context["field"] == "override"
    assert intake.elders.get(chen.elder_id) == chen
    assert intake.inbound.get(key) == parked and len(lines(intake, key)) == 1

    reason = "hospital typed one digit wrong; death certificate checked"
    with acting_as(ADMIN):
        matched = inbound.match_parked(intake, parked, ADMIN, chen, reason, may_override=True)
    assert (matched.status, matched.elder_id, matched.override, matched.closed_by) == (
        "matched",
        chen.elder_id,
        reason,
        "admin",
    )
    assert intake.inbound.get(key) == matched
    assert intake.elders.get(chen.elder_id).status == "deceased"
    line = lines(intake, key)[-1]
    assert line["change"] == (
        f"matched to elder {chen.elder_id} whose ID number differs ({reason}): "
        "death recorded (2026-11-20)"
    )
    assert (line["by"], line["after"]["override"]) == ("admin", reason)


def test_a_parked_event_is_discarded_with_its_reason_once(intake):
    key = park(intake, "hardship.reported", unknown_number())
    parked = intake.inbound.get(key)
    with acting_as(CLERK):
        discarded = inbound.discard_parked(intake, key, CLERK, "a test message of the hospital")
    outcome = "discarded: a test message of the hospital"
    expected = replace(parked, status="discarded", closed_by="clerk", outcome=outcome, version=2)
    assert discarded == expected and intake.inbound.get(key) == expected
    line = lines(intake, key)[-1]
    assert (line["change"], line["by"], line["before"], line["after"]) == (
        outcome,
        "clerk",
        {"closed_by": None, "outcome": None, "status": "parked"},
        {"closed_by": "clerk", "outcome": outcome, "status": "discarded"},
    )
    assert caused(intake) == []
    with pytest.raises(Conflict, match="is not parked \\(status: discarded\\)"):
        inbound.discard_parked(intake, key, CLERK, "again")
    with pytest.raises(Conflict, match="is not parked"):
        inbound.match_parked(intake, discarded, CLERK, register(intake, 8, born=date(1938, 8, 8)))
    assert len(lines(intake, key)) == 2


def test_an_event_is_set_aside_only_with_a_reason(intake):
    key = park(intake, "hospital.admitted", unknown_number(), hospital="二院")
    for blank in ("", "   "):
        with pytest.raises(RuleViolation, match="say why") as refused:
            inbound.discard_parked(intake, key, CLERK, blank)
        assert refused.value.context["field"] == "reason"
    assert intake.inbound.require(key).status == "parked"
    kept = inbound.discard_parked(intake, key, CLERK, " 重复上报 ")
    assert kept.outcome == "discarded: 重复上报"


def test_only_a_parked_event_is_discarded(intake):
    elder = register(intake)
    applied_key = park(intake, "worries.reported", elder.national_id)
    with pytest.raises(Conflict, match="is not parked \\(status: applied\\)"):
        inbound.discard_parked(intake, applied_key, CLERK, "wrong")
    with pytest.raises(Conflict, match="is not parked"):
        inbound.match_parked(intake, intake.inbound.get(applied_key), CLERK, elder)
    assert intake.inbound.get(applied_key).status == "applied"
    with pytest.raises(NotFound):
        inbound.discard_parked(intake, "no-such-key", CLERK, "wrong")


def match_the_record_refuses(intake: Intake) -> tuple[Elder, str]:
    """A parked move within c01 without the new address, and the elder registered since."""
    number = unknown_number()
    key = park(intake, "residence.changed", number, moved_on="2026-11-20", to_community="c01")
    return register(intake, 8, born=date(1938, 8, 8)), key


def test_a_match_the_record_refuses_leaves_the_event_parked_and_the_record_as_it_was(intake):
    elder, key = match_the_record_refuses(intake)
    parked = intake.inbound.get(key)
    with pytest.raises(DomainError, match="needs the new address"):
        inbound.match_parked(intake, parked, CLERK, elder)
    after = intake.inbound.require(key)
    assert (after.status, after.elder_id, after.matching_to, after.matching_since) == (
        "parked",
        None,
        None,
        None,
    )  # claimed for the match, then given back: a clerk may discard it at once
    assert [line["change"] for line in lines(intake, key)][-2:] == [
        f"matching to elder {elder.elder_id}",
        "match refused",
    ]
    assert intake.elders.get(elder.elder_id) == elder
    discarded = inbound.discard_parked(intake, key, CLERK, "wrong person")
    assert discarded.status == "discarded"


def test_a_match_under_way_holds_the_event_against_a_discard_for_a_while(intake):
    number = unknown_number()
    key = park(intake, "death.registered", number, died_on="2026-11-20")
    elder = register(intake, 8, born=date(1938, 8, 8))
    parked = intake.inbound.require(key)
    now = intake.clock.now()
    # a match that stopped half-way: claimed, its process gone before the record changed
    assert intake.inbound.save(parked, matching(parked, elder.elder_id, now))
    with pytest.raises(Conflict, match=f"is being matched to elder {elder.elder_id}"):
        inbound.discard_parked(intake, key, ADMIN, "reported twice")
    # the next match resumes it
    matched = inbound.match_parked(intake, intake.inbound.require(key), CLERK, elder)
    assert (matched.status, matched.matching_to) == ("matched", None)
    assert intake.elders.get(elder.elder_id).status == "deceased"
    # given up after a while: one abandoned claim does not hold an event for ever
    other = park(intake, "death.registered", unknown_number(9), "P-2", died_on="2026-11-21")
    held = intake.inbound.require(other)
    assert intake.inbound.save(held, matching(held, elder.elder_id, now - MATCHING_FOR))
    assert inbound.discard_parked(intake, other, ADMIN, "not ours").status == "discarded"


def test_a_match_the_record_refuses_is_refused_as_a_rule_of_the_record(intake):
    elder, key = match_the_record_refuses(intake)
    with pytest.raises(DomainError, match="needs the new address"):
        inbound.match_parked(intake, intake.inbound.get(key), CLERK, elder)


def test_a_match_refused_because_the_event_was_discarded_meanwhile_changes_nothing(intake):
    number = unknown_number()
    key = park(intake, "death.registered", number, died_on="2026-11-20")
    elder = register(intake, 8, born=date(1938, 8, 8))
    read_by_one_clerk = intake.inbound.get(key)
    inbound.discard_parked(intake, key, ADMIN, "reported twice")  # another, at the same moment
    with pytest.raises(Conflict, match="matched or discarded meanwhile"):
        inbound.match_parked(intake, read_by_one_clerk, CLERK, elder)
    assert intake.inbound.get(key).status == "discarded"
    assert intake.elders.get(elder.elder_id) == elder  # "refused": the death is not recorded


# accept_over_http


def test_an_event_sent_over_http_is_checked_and_accepted_once(intake):
    elder = register(intake)
    raw = envelope("hospital.admitted", elder.national_id, "H-1", SOURCE, hospital="二院")
    sent = json.dumps(raw).encode()
    accepted = inbound.accept_over_http(intake, sent)
    assert (accepted.id, accepted.type, accepted.source) == (raw["id"], raw["type"], SOURCE)
    assert inbound.accept_over_http(intake, sent).id == raw["id"]  # again: harmless
    kept = intake.accepted_events.accepted  # type: ignore[attr-defined]
    assert list(kept) == [raw["id"]] and kept[raw["id"]] == accepted
    # on its way to the inbound topic only: not yet received, nothing caused
    assert intake.inbound.find({}, [("_id", 1)], 0, 10) == ([], 0)
    assert caused(intake) == [] and intake.elders.get(elder.elder_id) == elder
    stranger = envelope("worries.reported", unknown_number(), "H-2", SOURCE)
    assert inbound.accept_over_http(intake, json.dumps(stranger).encode()).id == stranger["id"]


def refusals() -> list[tuple[dict, str]]:
    number = unknown_number()
    good = envelope("hospital.admitted", number, "H-3", SOURCE, hospital="二院")
    wrong_check = number[:17] + ("1" if number[17] != "1" else "2")
    return [
        ({**good, "type": "elder.registered"}, "is not an event other systems may send"),
        ({**good, "type": "hospital.readmitted"}, "unknown event type"),
        ({**good, "district": "d2"}, "event for district 'd2', this is 'd1'"),
        ({**good, "data": {**good["data"], "national_id": wrong_check}}, "check character"),
        ({**good, "data": {**good["data"], "hospital": None}}, "invalid hospital.admitted data"),
        ({**good, "specversion": "0.3"}, "invalid envelope"),
    ]


@pytest.mark.parametrize(("raw", "reason"), refusals())
def test_an_event_that_fails_a_check_is_not_accepted(intake, raw, reason):
    with pytest.raises(InvalidEvent, match=reason):
        inbound.accept_over_http(intake, json.dumps(raw).encode())
    assert intake.accepted_events.accepted == {}  # type: ignore[attr-defined]


def test_a_message_that_is_not_json_is_not_accepted(intake):
    with pytest.raises(InvalidEvent, match="not JSON"):
        inbound.accept_over_http(intake, b"{not json")
    assert intake.accepted_events.accepted == {}  # type: ignore[attr-defined]
