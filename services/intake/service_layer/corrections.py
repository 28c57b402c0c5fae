"""Use cases correcting closed or wrong records: revoke a death reported in error, re-activate
an elder who came back to the district, correct the ID number, birth date and sex (a clerk
proposes, another person, a district administrator, approves), and put right what a
door-to-door check found wrong.

Each goes the one path of every change (`changes.change_elder`): a compare-and-set write of
the new state, its history line and its events. The ID number shows in a history line only
masked (see `changes.change_elder`): the full numbers before and after stay on the record's
corrections, which only clerks and administrators read in full.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.intake.domain import corrections as rules
from services.intake.domain import elder as rules_elder
from services.intake.domain.elder import DoorChecked, Elder
from services.intake.service_layer.changes import change_elder, save_change
from services.intake.service_layer.container import Intake
from shared.audit import Actor
from shared.changes import Change
from shared.clock import local_today
from shared.errors import Conflict, DomainError
from shared.events import InvalidEvent


def revoke_death(intake: Intake, elder_id: str, version: int, by: Actor, reason: str) -> Elder:
    return change_elder(
        intake,
        elder_id,
        version,
        by,
        lambda elder, today: rules.revoke_death(elder, reason, today),
    )


def return_to_district(
    intake: Intake,
    elder_id: str,
    version: int | None,
    by: Actor,
    returned_on: date,
    community: str,
    address: str | None,
) -> Elder:
    intake.district.get().community(community)  # raises for an unknown community
    return change_elder(
        intake,
        elder_id,
        version,
        by,
        lambda elder, today: rules.return_to_district(
            elder, community, address or elder.address, returned_on, today
        ),
    )


def return_reported(intake: Intake, elder: Elder, by: Actor, data: dict[str, Any]) -> str:
    """Household registration reports a move of an elder who had moved out of the district:
    into one of its communities, the elder is back (the same record); anywhere else, nothing
    changes here. The outcome, for the report's receipt."""
    to_community = data["to_community"]
    known = {c.code for c in intake.district.get().communities}
    if to_community not in known:
        return f"no change: the record is closed ({elder.status}), the move is elsewhere"
    try:
        return_to_district(
            intake, elder.elder_id, None, by, data["moved_on"], to_community, data["address"]
        )
    except DomainError as refused:
        raise InvalidEvent(f"residence.changed refused for this elder: {refused.detail}") from (
            refused
        )
    return f"returned to the district: {to_community}"


def propose_identity_correction(
    intake: Intake, elder_id: str, version: int, by: Actor, **proposed: Any
) -> Elder:
    def decide(elder: Elder, today: date) -> Change[Elder]:
        change = rules.propose_identity_correction(
            elder, by=by.user, at=intake.clock.now(), today=today, **proposed
        )
        proposed_now = rules.pending_correction(change.after)
        assert proposed_now is not None  # the correction just proposed
        _require_unregistered(intake, proposed_now.national_id, elder)
        return change

    return change_elder(intake, elder_id, version, by, decide)


def approve_identity_correction(intake: Intake, elder_id: str, version: int, by: Actor) -> Elder:
    def decide(elder: Elder, today: date) -> Change[Elder]:
        change = rules.approve_identity_correction(elder, by.user, intake.clock.now(), today)
        _require_unregistered(intake, change.after.national_id, elder)
        return change

    corrected = change_elder(intake, elder_id, version, by, decide)
    intake.elders.by_national_id(corrected.national_id)  # writes the new number's key
    return corrected


def reject_identity_correction(
    intake: Intake, elder_id: str, version: int, by: Actor, note: str
) -> Elder:
    return change_elder(
        intake,
        elder_id,
        version,
        by,
        lambda elder, _today: rules.reject_identity_correction(
            elder, by.user, note, intake.clock.now()
        ),
    )


def _require_unregistered(intake: Intake, national_id: str, elder: Elder) -> None:
    holder = intake.elders.by_national_id(national_id)
    if holder is not None and holder.elder_id != elder.elder_id:
        raise Conflict(
            "another elder is registered with the corrected ID number; if they are the same "
            "person, resolve it as a duplicate instead",
            existing_elder_id=holder.elder_id,
            existing=f"/elders/{holder.elder_id}",
        )


def record_door_check(intake: Intake, visit: dict[str, Any]) -> bool:
    """A visit of a door-to-door check (visits' `visit.recorded` with its `door_check`): the
    facts found wrong are put right on the record, in the visitor's name, and the record notes
    when it was checked and by whom. A visit already on the record changes nothing."""
    check = visit.get("door_check")
    if check is None:
        return False
    checked = DoorChecked(
        visit["visited_at"].astimezone(intake.settings.zone).date(),
        visit["visitor"],
        check.get("campaign_id"),
        visit["visit_id"],
    )
    corrections = {c["fact"]: c["value"] for c in check.get("corrections", [])}
    elder = intake.elders.get(visit["elder_id"])
    today = local_today(intake.clock, intake.settings.zone)
    change = rules_elder.checked_at_door(elder, checked, corrections, today)
    if change is None:
        return False
    save_change(intake, elder, change, Actor(visit["visitor"], "door-to-door check"))
    return True
