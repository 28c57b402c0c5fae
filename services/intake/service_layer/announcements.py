"""How intake tells the other services about an elder: the snapshot every elder event carries."""

from datetime import datetime
from typing import Any

from services.intake.domain.elder import Elder
from shared.events import Announcing, Event, announce


def snapshot(elder: Elder) -> dict[str, Any]:
    """The facts other services need; the national ID number is deliberately absent, and the
    address and phone go apart (`contact_changed`), to the services that visit."""
    circumstances = elder.circumstances
    return {
        "elder_id": elder.elder_id,
        "version": elder.version,
        "name": elder.name,
        "sex": elder.sex,
        "birth_date": elder.birth_date,
        "community": elder.community,
        "household_type": circumstances.household_type,
        "low_income": circumstances.low_income,
        "disabled": circumstances.disabled,
        "home_care": circumstances.home_care,
        "retired_cadre_employer": circumstances.retired_cadre_employer,
        "key_target_reasons": list(elder.key_target_reasons),
        "status": elder.status,
        "died_on": elder.died_on,
        "moved_out_on": elder.moved_out_on,
        "absences": [
            {"moved_out_on": a.moved_out_on, "returned_on": a.returned_on} for a in elder.absences
        ],
        "last_checked_on": elder.last_checked.checked_on if elder.last_checked else None,
        "priority_card": elder.priority_card is not None,
    }


def elder_event(
    intake: Announcing, type_: str, elder: Elder, at: datetime, **details: Any
) -> Event:
    """An event about `elder`, carrying the snapshot and what happened, stamped `at` (the time
    the change was stamped in the register)."""
    return announce(intake, type_, elder.elder_id, {**snapshot(elder), **details}, at)


def contact_changed(
    intake: Announcing, before: Elder | None, after: Elder, at: datetime
) -> list[Event]:
    """The elder's address and phone, when they are new (a registration) or changed."""
    if before is not None and (before.address, before.phone) == (after.address, after.phone):
        return []
    contact = {
        "elder_id": after.elder_id,
        "version": after.version,
        "address": after.address,
        "phone": after.phone,
    }
    return [announce(intake, "elder.contact_changed", after.elder_id, contact, at)]
