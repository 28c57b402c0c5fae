"""Allowances' worker's event handlers, one table by event type: keep allowances' view of each
elder and household current, stop payment when the record says the elder died or left the
district, resume it when a death is revoked, and follow staff accounts."""

from __future__ import annotations

from typing import Any

from services.allowances.domain.stops import CAUSES
from services.allowances.service_layer.container import Allowances
from services.allowances.service_layer.reinstatement import reinstate
from services.allowances.service_layer.resettlement import resettle_birth_date
from services.allowances.service_layer.stops import stop_payments
from shared.consumer import Handler
from shared.events import Event
from shared.events.intake import ELDER_EVENTS, HOUSEHOLD_EVENTS
from shared.projection import InsertAhead
from shared.service_contacts import contacts_handler
from shared.staff_access import staff_handlers


def inserted_ahead(allowances: Allowances) -> InsertAhead:
    """The worker's preparing step: the elders and households a batch of events brings,
    inserted at once before it is handled (their handlers apply them first)."""
    return InsertAhead(
        {
            **dict.fromkeys(ELDER_EVENTS, (allowances.elders, "elder_id")),
            **dict.fromkeys(HOUSEHOLD_EVENTS, (allowances.households, "household_id")),
        }
    )


def handlers(allowances: Allowances) -> dict[str, Handler]:
    def on_elder_event(event: Event, data: dict[str, Any]) -> bool:
        """Every elder event carries the whole snapshot; older versions are ignored. Whatever
        the event, payment then follows the record as it now stands."""
        applied = allowances.elders.apply(data["elder_id"], data["version"], event.id, data)
        if applied and data["status"] not in CAUSES:
            return True  # the record is now this event's, and it stops nothing
        elder = allowances.elders.get(data["elder_id"])
        stopped = elder is not None and elder.status in CAUSES and stop_payments(allowances, elder)
        return applied or stopped

    def on_death_revoked(event: Event, data: dict[str, Any]) -> bool:
        """The record follows the event as any other; then what the death did is undone."""
        applied = on_elder_event(event, data)
        undone = reinstate(
            allowances, data["elder_id"], data["revoked_died_on"], data["reason"], event.source
        )
        return applied or undone

    def on_updated(event: Event, data: dict[str, Any]) -> bool:
        """A corrected birth date also settles again the months already paid."""
        applied = on_elder_event(event, data)
        if "birth_date" not in data["changed"]:
            return applied
        settled = resettle_birth_date(allowances, data["elder_id"], event.id, event.source)
        return applied or settled

    def on_household_event(event: Event, data: dict[str, Any]) -> bool:
        """Each household event carries the household as it stands; older ones are ignored."""
        household_id, version = data["household_id"], data["version"]
        return allowances.households.apply(household_id, version, event.id, data)

    return {
        **dict.fromkeys(ELDER_EVENTS, on_elder_event),
        **dict.fromkeys(HOUSEHOLD_EVENTS, on_household_event),
        "elder.death_revoked": on_death_revoked,
        "elder.updated": on_updated,
        **staff_handlers(allowances.token_versions, allowances.staff_contacts),
        "district.contacts_changed": contacts_handler(allowances.service_contacts),
    }
