"""Corrections of closed or wrong records: a death reported in error is revoked, an elder who
moved out and came back is re-activated, and the ID number, birth date and sex are corrected
by a clerk's proposal and an administrator's approval.

Nothing is deleted: each correction is a change of the same record at its next version, with
its history line, and the events that tell the other services to undo what the closed record
made them do.
"""

from dataclasses import replace
from datetime import date, datetime

from services.intake.domain.elder import (
    ELDER_AGE,
    Absence,
    Elder,
    IdentityCorrection,
    _check_date,
    _next,
    _with_key_targets,
)
from services.intake.domain.national_id import InvalidNationalId, parse_national_id
from shared.ages import age_on
from shared.changes import Change
from shared.errors import Conflict, RuleViolation

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
IDENTITY_FIELDS = ("national_id", "birth_date", "sex")
ANNOUNCED_IDENTITY = ("birth_date", "sex")  # the ID number itself never leaves intake


def revoke_death(elder: Elder, reason: str, today: date) -> Change[Elder]:
    """A death reported in error: the record is active again, as if the death never was."""
    if elder.status != "deceased":
        raise RuleViolation(
            f"only a recorded death can be revoked; the record's status is {elder.status}"
        )
    why = _reason(reason)
    alive = _with_key_targets(_next(elder, status="active", died_on=None), today)
    details = {"revoked_died_on": elder.died_on, "reason": why}
    return Change(
        alive,
        [("elder.death_revoked", details)],
        f"death of {elder.died_on} revoked (reported in error): {why}",
    )


def return_to_district(
    elder: Elder, community: str, address: str, returned_on: date, today: date
) -> Change[Elder]:
    """An elder who moved out of the district lives in it again: the same record, active,
    with the time away kept (nothing is payable or owed for it)."""
    if elder.status != "moved_out":
        raise RuleViolation(
            f"only an elder who moved out of the district can return; the record's status is "
            f"{elder.status}"
        )
    _check_date(returned_on, elder, today, "returned_on")
    left_on = elder.moved_out_on or returned_on
    if returned_on < left_on:
        raise RuleViolation(
            f"returned_on {returned_on} is before the move out of the district ({left_on})",
            field="returned_on",
        )
    absence = Absence(left_on, returned_on)
    back = _next(
        elder,
        status="active",
        moved_out_on=None,
        community=community,
        address=address.strip(),
        absences=(*elder.absences, absence),
    )
    details = {"returned_on": returned_on, "away_since": left_on, "to_community": community}
    return Change(
        _with_key_targets(back, today),
        [("elder.returned", details)],
        f"returned to the district on {returned_on} (community {community}); away since {left_on}",
    )


def pending_correction(elder: Elder) -> IdentityCorrection | None:
    return next((c for c in elder.identity_corrections if c.status == PENDING), None)


def propose_identity_correction(
    elder: Elder,
    national_id: str | None,
    birth_date: date | None,
    sex: str | None,
    reason: str,
    by: str,
    at: datetime,
    today: date,
) -> Change[Elder]:
    """A clerk proposes the corrected ID number, birth date and sex; they must agree with
    each other (GB 11643), and nothing changes until an administrator approves."""
    if elder.status == "merged":
        raise RuleViolation("a merged record is not corrected; correct the record it joined")
    waiting = pending_correction(elder)
    if waiting is not None:
        raise Conflict(
            f"a correction proposed by {waiting.proposed_by} awaits the administrator's "
            "decision; approve or reject it first",
            proposed_by=waiting.proposed_by,
        )
    corrected = corrected_identity(elder, national_id, birth_date, sex, today)
    proposal = IdentityCorrection(
        *corrected,
        previous_national_id=elder.national_id,
        previous_birth_date=elder.birth_date,
        previous_sex=elder.sex,
        reason=_reason(reason),
        proposed_by=by,
        proposed_at=at,
    )
    changed = ", ".join(identity_changes(proposal))
    return Change(
        _next(elder, identity_corrections=(*elder.identity_corrections, proposal)),
        [],
        f"identity correction proposed ({changed}): {proposal.reason}",
    )


def corrected_identity(
    elder: Elder, national_id: str | None, birth_date: date | None, sex: str | None, today: date
) -> tuple[str, date, str]:
    """The ID number, birth date and sex after the correction, checked against each other."""
    try:
        identity = parse_national_id(national_id or elder.national_id)
    except InvalidNationalId as error:
        raise RuleViolation(f"national_id: {error}", field="national_id") from error
    number_named = "the corrected ID number" if national_id else "the ID number on record"
    if birth_date is not None and birth_date != identity.birth_date:
        raise RuleViolation(
            f"birth_date {birth_date} disagrees with {number_named} ({identity.birth_date}); "
            "correct the ID number too",
            field="birth_date",
        )
    if sex is not None and sex != identity.sex:
        raise RuleViolation(
            f"sex {sex!r} disagrees with {number_named} ({identity.sex!r}); correct the ID "
            "number too",
            field="sex",
        )
    if (identity.value, identity.birth_date, identity.sex) == (
        elder.national_id,
        elder.birth_date,
        elder.sex,
    ):
        raise RuleViolation("nothing to correct: the ID number, birth date and sex are as given")
    _check_age(identity.birth_date, today)
    return identity.value, identity.birth_date, identity.sex


def identity_changes(correction: IdentityCorrection) -> list[str]:
    return [
        name
        for name in IDENTITY_FIELDS
        if getattr(correction, name) != getattr(correction, f"previous_{name}")
    ]


def approve_identity_correction(elder: Elder, by: str, at: datetime, today: date) -> Change[Elder]:
    """An administrator other than the proposer approves: the record takes the corrected
    values, and the other services learn the new birth date and sex (not the number)."""
    proposal = _decidable(elder, by)
    _check_age(proposal.birth_date, today)
    decided = replace(proposal, status=APPROVED, decided_by=by, decided_at=at)
    corrected = _next(
        elder,
        national_id=proposal.national_id,
        birth_date=proposal.birth_date,
        sex=proposal.sex,
        identity_corrections=_replaced(elder, proposal, decided),
    )
    changed = identity_changes(proposal)
    announced = [name for name in changed if name in ANNOUNCED_IDENTITY]
    events = [("elder.updated", {"changed": announced})] if announced else []
    return Change(
        _with_key_targets(corrected, today),
        events,
        f"identity correction approved ({', '.join(changed)}), proposed by {proposal.proposed_by}",
    )


def reject_identity_correction(elder: Elder, by: str, note: str, at: datetime) -> Change[Elder]:
    proposal = _decidable(elder, by)
    why = _reason(note, "note")
    decided = replace(proposal, status=REJECTED, decided_by=by, decided_at=at, decision_note=why)
    return Change(
        _next(elder, identity_corrections=_replaced(elder, proposal, decided)),
        [],
        f"identity correction rejected: {why}",
    )


def _decidable(elder: Elder, by: str) -> IdentityCorrection:
    proposal = pending_correction(elder)
    if proposal is None:
        raise RuleViolation("no identity correction awaits a decision for this elder")
    if proposal.proposed_by == by:
        raise RuleViolation(
            f"the correction was proposed by {by}; another district administrator decides it",
            proposed_by=by,
        )
    return proposal


def _replaced(
    elder: Elder, old: IdentityCorrection, new: IdentityCorrection
) -> tuple[IdentityCorrection, ...]:
    return tuple(new if c is old else c for c in elder.identity_corrections)


def _check_age(born: date, today: date) -> None:
    if born > today:
        raise RuleViolation("the corrected birth date is in the future", field="birth_date")
    age = age_on(born, today)
    if age < ELDER_AGE:
        raise RuleViolation(
            f"the corrected birth date makes the person {age}, under {ELDER_AGE}: not an elder "
            "of the register",
            field="birth_date",
        )


def _reason(text: str, name: str = "reason") -> str:
    if not text.strip():
        raise RuleViolation(f"say why: a correction needs its {name}", field=name)
    return text.strip()
