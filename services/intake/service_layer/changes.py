"""Use cases that change an elder after registration: one path for all of them.

Load the elder, let the domain decide the change, and store the new state, its history line
and its events in one compare-and-set write on the version the caller saw.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from services.intake.domain import elder as rules
from services.intake.domain.assessment import assess
from services.intake.domain.elder import Elder
from services.intake.service_layer.announcements import contact_changed, snapshot
from services.intake.service_layer.container import Intake
from shared.audit import Actor, difference, history_line
from shared.changes import Change
from shared.clock import local_today
from shared.errors import Conflict
from shared.events import announce_change
from shared.personal import mask_national_id

Decision = Callable[[Elder, date], Change[Elder] | None]  # None: nothing to change
KEY_TARGET_REVIEW = Actor("system:key-target-review", "schedule")


def change_elder(
    intake: Intake, elder_id: str, expected_version: int | None, by: Actor, decide: Decision
) -> Elder:
    """Apply a domain decision; `expected_version` None means "whatever is current" (for
    systems that report facts rather than edit a record)."""
    elder = intake.elders.get(elder_id)
    change = decide(elder, local_today(intake.clock, intake.settings.zone))
    if change is None:
        return elder
    return save_change(intake, elder, change, by, expected_version)


def save_change(
    intake: Intake,
    elder: Elder,
    change: Change[Elder],
    by: Actor,
    expected_version: int | None = None,
) -> Elder:
    """Store the change of an elder as read, with its history line and events; refused
    (Conflict) if the record moved on from `expected_version` (None: from the one read)."""
    version = elder.version if expected_version is None else expected_version
    now = intake.clock.now()
    events = [
        *announce_change(intake, change, elder.elder_id, snapshot(change.after), now),
        *contact_changed(intake, elder, change.after, now),
    ]
    before, after = difference(elder, change.after)
    line = history_line(
        now, by, change.summary, change.after.version, _shown(before), _shown(after)
    )
    intake.elders.save(change.after, version, line, events)
    return change.after


def _shown(values: dict[str, Any]) -> dict[str, Any]:
    """Changed fields as a history line shows them to every reader of the record: the ID
    number masked, corrections (which carry numbers) left to the record itself."""
    shown = {k: v for k, v in values.items() if k != "identity_corrections"}
    if "national_id" in shown:
        shown["national_id"] = mask_national_id(shown["national_id"])
    return shown


def update_elder(
    intake: Intake, elder_id: str, version: int | None, by: Actor, changes: dict[str, Any]
) -> Elder:
    if "community" in changes:
        intake.district.get().community(changes["community"])
    return change_elder(
        intake, elder_id, version, by, lambda elder, today: rules.update(elder, changes, today)
    )


def record_assessment(
    intake: Intake, elder_id: str, version: int | None, by: Actor, **assessment: Any
) -> Elder:
    def decide(elder: Elder, today: date) -> Change[Elder]:
        return rules.record_assessment(elder, assess(today=today, **assessment), today)

    return change_elder(intake, elder_id, version, by, decide)


def record_death(
    intake: Intake, elder_id: str, version: int | None, by: Actor, died_on: date, reported_by: str
) -> Elder:
    return change_elder(
        intake,
        elder_id,
        version,
        by,
        lambda elder, today: rules.record_death(elder, died_on, reported_by, today),
    )


def record_move(
    intake: Intake,
    elder_id: str,
    version: int | None,
    by: Actor,
    moved_on: date,
    to_community: str | None,
    address: str | None,
    destination: str | None,
) -> Elder:
    """A move within the district names the new community; a move out of it does not."""
    if to_community is None:
        return change_elder(
            intake,
            elder_id,
            version,
            by,
            lambda elder, today: rules.move_out(elder, moved_on, destination, today),
        )
    intake.district.get().community(to_community)
    return change_elder(
        intake,
        elder_id,
        version,
        by,
        lambda elder, today: rules.move_within(elder, to_community, moved_on, address, today),
    )


def issue_card(
    intake: Intake, elder_id: str, version: int | None, by: Actor, category: str | None
) -> Elder:
    def decide(elder: Elder, today: date) -> Change[Elder]:
        chosen = intake.district.get().card_category(category, elder.age(today))
        return rules.issue_card(elder, chosen.code, numbering(intake), today)

    return change_elder(intake, elder_id, version, by, decide)


def reissue_card(
    intake: Intake, elder_id: str, version: int | None, by: Actor, reason: str
) -> Elder:
    return change_elder(
        intake,
        elder_id,
        version,
        by,
        lambda elder, today: rules.reissue_card(elder, reason, numbering(intake), today),
    )


def upgrade_card(
    intake: Intake, elder_id: str, version: int | None, by: Actor, category: str | None
) -> Elder:
    def decide(elder: Elder, today: date) -> Change[Elder]:
        return rules.upgrade_card(elder, intake.district.get(), category, numbering(intake), today)

    return change_elder(intake, elder_id, version, by, decide)


def resolve_duplicate(
    intake: Intake, elder_id: str, version: int | None, by: Actor, other_id: str, decision: str
) -> Elder:
    intake.elders.get(other_id)  # raises NotFound for an unknown record
    return change_elder(
        intake,
        elder_id,
        version,
        by,
        lambda elder, _today: rules.resolve_duplicate(elder, other_id, decision),
    )


def review_key_targets(intake: Intake) -> int:
    """The daily review: elders whose assessment lapsed leave the key-target list for the
    reasons it gave, and the change is announced like any other. Returns how many changed."""
    today = local_today(intake.clock, intake.settings.zone)
    reviewed = 0
    for elder_id in intake.elders.with_lapsed_assessments(today):
        elder = intake.elders.get(elder_id)
        if rules.review_key_targets(elder, today) is None:
            continue
        try:
            change_elder(intake, elder_id, elder.version, KEY_TARGET_REVIEW, _reviewed)
        except Conflict:
            continue  # changed meanwhile, and reviewed by that change; the next run looks again
        reviewed += 1
    return reviewed


def _reviewed(elder: Elder, today: date) -> Change[Elder]:
    change = rules.review_key_targets(elder, today)
    if change is None:
        raise Conflict("the key-target reasons were already reviewed")
    return change


def numbering(intake: Intake) -> Callable[[str], str]:
    """Card numbers: district, category and a sequence per category (demo-district-70-000221).
    A number is never reused; a change refused after allocation leaves a gap."""

    def next_number(category: str) -> str:
        number = intake.card_numbers.next_number(f"card:{category}")
        return f"{intake.settings.district}-{category}-{number:06d}"

    return next_number
