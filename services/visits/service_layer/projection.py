"""Use cases driven by intake's events: keep visits' view of each elder current, and turn
life events into visit obligations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from services.visits.domain.calendar import start_of_day
from services.visits.domain.triggers import moved_house, reported
from services.visits.service_layer.help_requests import receive
from services.visits.service_layer.obligations import follow_elder, take_incident
from shared.consumer import Handler
from shared.events import Event
from shared.events.intake import ELDER_EVENTS

if TYPE_CHECKING:
    from services.visits.bootstrap import Visits


def handlers(visits: Visits) -> dict[str, Handler]:
    def on_elder_event(event: Event, data: dict[str, Any]) -> bool:
        """Every elder event carries the whole snapshot; older versions are ignored. Whatever
        the event, the elder's open work then follows the record (a death closes it)."""
        applied = visits.elders.apply(data["elder_id"], data["version"], event.id, data)
        elder = visits.elders.get(data["elder_id"])
        followed = elder is not None and follow_elder(visits, elder)
        moved = event.type == "elder.moved" and take_incident(
            visits,
            moved_house(
                event.id,
                data["elder_id"],
                start_of_day(data["moved_on"], visits.settings.zone),
                event.source,
            ),
        )
        return applied or followed or moved

    def on_incident(event: Event, data: dict[str, Any]) -> bool:
        return take_incident(
            visits,
            reported(
                data["incident_id"],
                data["elder_id"],
                data["trigger"],
                data["occurred_at"],
                data["reported_by"],
                data["reference"],
                data["note"],
            ),
        )

    def on_help_requested(event: Event, data: dict[str, Any]) -> bool:
        """A hotline call or a love umbrella that intake resolved to an elder. The request's
        id comes from the call, so the same call received twice is one request."""
        if visits.help_requests.get(data["request_id"]) is not None:
            return False
        receive(
            visits,
            data["request_id"],
            data["elder_id"],
            data["channel"],
            data["urgency"],
            data["note"] or f"{data['channel']} call reported by {data['reported_by']}",
            data["reported_by"],
            data["occurred_at"],
        )
        return True

    return {
        **dict.fromkeys(ELDER_EVENTS, on_elder_event),
        "incident.reported": on_incident,
        "help.requested": on_help_requested,
    }
