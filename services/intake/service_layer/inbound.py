"""Use cases for events from other systems: resolve the ID number, act, keep a receipt.

A trigger of a must-visit becomes `incident.reported`, a hotline call `help.requested`, a death
or a move changes the register. An ID number that matches no elder parks the event for staff.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Any

from services.intake.domain.elder import Elder
from services.intake.domain.inbound_receipt import (
    APPLIED,
    DISCARDED,
    MATCHED,
    PARKED,
    InboundReceipt,
    closed,
    match_given_up,
    matching,
    require_not_matching,
    require_parked,
)
from services.intake.domain.national_id import InvalidNationalId, parse_national_id, same_number
from services.intake.service_layer import changes, corrections
from services.intake.service_layer.container import Intake
from shared.audit import Actor
from shared.errors import Conflict, DomainError, RuleViolation
from shared.events import Event, InvalidEvent, announce, decode, event_type
from shared.events.types import Topics
from shared.personal import mask_national_id
from shared.vocabulary import TRIGGER_OF

SYSTEM = "inbound"


def receipt_key(event: Event, data: dict[str, Any]) -> str:
    """The same report (type, reporter, reference) always has the same key."""
    text = f"{event.type}\n{event.source}\n{data['reference']}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def national_id_of(data: dict[str, Any]) -> str:
    try:
        return parse_national_id(data["national_id"]).value
    except InvalidNationalId as error:
        raise InvalidEvent(f"national_id: {error}") from error


def receive(intake: Intake, event: Event, data: dict[str, Any]) -> bool:
    """Handle one inbound event; False if this report was already received."""
    key = receipt_key(event, data)
    if intake.inbound.get(key) is not None:
        return False
    national_id = national_id_of(data)
    elder = intake.elders.by_national_id(national_id)
    if elder is None:
        parked = _receipt(intake, key, event, PARKED, community_named(intake, data))
        reason = "no elder is registered with this ID number"
        envelope = event.to_dict()
        return intake.inbound.add(
            replace(parked, national_id=national_id, reason=reason, envelope=envelope),
            change="parked",
        )
    outcome, caused = act(intake, elder, event, data, key)
    applied = _receipt(intake, key, event, APPLIED, elder.community)
    return intake.inbound.add(
        replace(applied, elder_id=elder.elder_id, outcome=outcome), *caused, change=outcome
    )


def _receipt(
    intake: Intake, key: str, event: Event, status: str, community: str | None
) -> InboundReceipt:
    return InboundReceipt(
        key,
        event.type,
        event.id,
        event.source,
        event.data.get("reference"),
        event.time,
        intake.clock.now(),
        status,
        community,
    )


def community_named(intake: Intake, data: dict[str, Any]) -> str | None:
    """The district's community an event for an unknown elder names (a move into it), if any:
    its staff see the event. An event naming none is the district's."""
    named = data.get("to_community")
    known = {c.code for c in intake.district.get().communities}
    return named if named in known else None


def act(
    intake: Intake, elder: Elder, event: Event, data: dict[str, Any], key: str
) -> tuple[str, list[Event]]:
    """What the report means for this elder: an outcome line and the events it causes."""
    if event.type in TRIGGER_OF:
        trigger = TRIGGER_OF[event.type]
        return f"incident reported: {trigger}", [
            _incident(intake, elder, event, data, key, trigger)
        ]
    if event.type == "hotline.called":
        return "help requested", [_help_request(intake, elder, event, data, key)]
    if event.type == "hospital.discharged":
        return f"discharged from {data['hospital']}", []
    if event.type == "residence.changed" and elder.status == "moved_out":
        return corrections.return_reported(intake, elder, _reporter(event), data), []
    if elder.status != "active":
        return f"no change: the record is closed ({elder.status})", []
    try:
        if event.type == "death.registered":
            changes.record_death(
                intake, elder.elder_id, None, _reporter(event), data["died_on"], event.source
            )
            return f"death recorded ({data['died_on']})", []
        if event.type == "residence.changed":
            return _move(intake, elder, event, data), []
    except DomainError as refused:
        raise InvalidEvent(f"{event.type} refused for this elder: {refused.detail}") from refused
    raise InvalidEvent(f"intake does not handle {event.type}")


def _move(intake: Intake, elder: Elder, event: Event, data: dict[str, Any]) -> str:
    to_community = data["to_community"]
    known = {c.code for c in intake.district.get().communities}
    if to_community is not None and to_community not in known:
        to_community = None  # a community of another district: a move out of this one
    changes.record_move(
        intake,
        elder.elder_id,
        None,
        _reporter(event),
        data["moved_on"],
        to_community,
        data["address"],
        data["destination"],
    )
    if to_community is None:
        return "moved out of the district"
    return (
        f"moved within {to_community}"
        if to_community == elder.community
        else f"moved to {to_community}"
    )


def _incident(
    intake: Intake, elder: Elder, event: Event, data: dict[str, Any], key: str, trigger: str
) -> Event:
    return announce(
        intake,
        "incident.reported",
        elder.elder_id,
        {
            "incident_id": key,
            "elder_id": elder.elder_id,
            "trigger": trigger,
            "occurred_at": data["occurred_at"],
            "reported_by": event.source,
            "reference": data["reference"],
            "note": data["note"],
        },
    )


def _help_request(
    intake: Intake, elder: Elder, event: Event, data: dict[str, Any], key: str
) -> Event:
    return announce(
        intake,
        "help.requested",
        elder.elder_id,
        {
            "request_id": key,
            "elder_id": elder.elder_id,
            "channel": data["channel"],
            "urgency": data["urgency"],
            "occurred_at": data["occurred_at"],
            "reported_by": event.source,
            "note": data["note"],
        },
    )


def _reporter(event: Event) -> Actor:
    return Actor(event.source, Topics.INBOUND)


def elder_to_match(intake: Intake, receipt: InboundReceipt, elder_id: str | None) -> Elder:
    """The elder staff name for a parked event, or the one now registered with its number."""
    require_parked(receipt)
    if elder_id:
        return intake.elders.get(elder_id)
    elder = intake.elders.by_national_id(receipt.national_id or "")
    if elder is None:
        raise RuleViolation("still no elder with this ID number; register the elder or name one")
    return elder


def match_parked(
    intake: Intake,
    receipt: InboundReceipt,
    by: Actor,
    elder: Elder,
    override: str | None = None,
    may_override: bool = False,
) -> InboundReceipt:
    """Process a parked event for an elder with its ID number; for an elder with another
    number only as an override, with its reason, by whoever `may_override`."""
    require_parked(receipt)
    reported = receipt.national_id or ""
    mismatch = not same_number(reported, elder.national_id)
    if mismatch:
        _require_override(reported, elder, override, may_override)
    event = decode(json.dumps(receipt.envelope).encode())
    data = event_type(event.type).load(event)
    claimed = matching(receipt, elder.elder_id, intake.clock.now())
    _saved(intake, receipt, claimed, f"matching to elder {elder.elder_id}", [])
    try:
        outcome, caused = act(intake, elder, event, data, receipt.key)
    except (DomainError, InvalidEvent) as refused:
        intake.inbound.save(claimed, match_given_up(claimed), change="match refused")
        detail = refused.detail if isinstance(refused, DomainError) else str(refused)
        raise RuleViolation(f"the elder's record refuses this event: {detail}") from refused
    matched: dict[str, Any] = {
        "elder_id": elder.elder_id,
        "community": elder.community,
        "outcome": outcome,
    }
    summary = f"matched to elder {elder.elder_id}: {outcome}"
    if mismatch:
        matched["override"] = override
        summary = f"matched to elder {elder.elder_id} whose ID number differs ({override}): "
        summary += outcome
    return _close(intake, claimed, MATCHED, by, summary, matched, caused)


def _close(
    intake: Intake,
    receipt: InboundReceipt,
    status: str,
    by: Actor,
    summary: str,
    changes: dict[str, Any],
    caused: list[Event],
) -> InboundReceipt:
    """Matched or discarded, once: a second attempt, even at the same moment, is refused."""
    return _saved(intake, receipt, closed(receipt, status, by.user, **changes), summary, caused)


def _saved(
    intake: Intake, before: InboundReceipt, after: InboundReceipt, change: str, caused: list[Event]
) -> InboundReceipt:
    """`after` stored in place of the receipt as it was read, else refused: another clerk's
    match or discard came first."""
    if not intake.inbound.save(before, after, *caused, change=change):
        raise Conflict(f"inbound event {before.key} was matched or discarded meanwhile")
    return after


def _require_override(
    reported: str, elder: Elder, override: str | None, may_override: bool
) -> None:
    numbers = (
        f"the event's ID number {mask_national_id(reported)} is not the elder's "
        f"({mask_national_id(elder.national_id)})"
    )
    if not may_override:
        raise RuleViolation(
            f"{numbers}: choose the elder registered with it, or ask a district administrator "
            "to apply it to this elder, giving the reason",
            field="elder_id",
        )
    if not (override or "").strip():
        raise RuleViolation(
            f"{numbers}: give the reason for applying it to this elder all the same",
            field="override",
        )


def discard_parked(intake: Intake, key: str, by: Actor, reason: str) -> InboundReceipt:
    if not reason.strip():
        raise RuleViolation("say why the event is set aside", field="reason")
    outcome = f"discarded: {reason.strip()}"
    receipt = intake.inbound.require(key)
    require_not_matching(receipt, intake.clock.now())
    return _close(intake, receipt, DISCARDED, by, outcome, {"outcome": outcome}, [])


def accept_over_http(intake: Intake, raw: bytes) -> Event:
    """The same checks the inbound consumer makes, then on its way to the inbound topic."""
    event = decode(raw)
    kind = event_type(event.type)
    if kind.topic != Topics.INBOUND:
        raise InvalidEvent(f"{event.type} is not an event other systems may send")
    if event.district != intake.settings.district:
        raise InvalidEvent(
            f"event for district {event.district!r}, this is {intake.settings.district!r}"
        )
    national_id_of(kind.load(event))
    intake.accepted_events.accept(event)
    return event
