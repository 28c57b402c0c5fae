"""Visits' worker's event handlers, one table by event type: keep visits' view of each elder,
household and cell of the grid current, turn life events and calls into visit obligations,
follow staff accounts, and keep the monthly cycles the district hands in."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.visits.domain.calendar import start_of_day
from services.visits.domain.help_requests import WaitingCall
from services.visits.domain.triggers import moved_house, reported
from services.visits.service_layer.container import Visits
from services.visits.service_layer.help_requests import take_call
from services.visits.service_layer.obligations import follow_elder, take_incident
from services.visits.service_layer.participants import part_ways
from services.visits.service_layer.reopening import reopen_work
from services.visits.service_layer.reorganisations import follow_reorganisation
from services.visits.service_layer.scorecard import keep_filing
from shared.consumer import Handler
from shared.events import Event
from shared.events.intake import ELDER_EVENTS, HOUSEHOLD_EVENTS
from shared.projection import InsertAhead
from shared.service_contacts import contacts_handler
from shared.staff_access import staff_handlers


def moved_in_on(event: Event, data: dict[str, Any]) -> date | None:
    """The day the elder moved into a new home of the district, if this event says so: a
    move between communities, or a return to the district (房子乔迁 either way)."""
    if event.type == "elder.moved":
        return data["moved_on"]
    if event.type == "elder.returned":
        return data["returned_on"]
    return None


def inserted_ahead(visits: Visits) -> InsertAhead:
    """The worker's preparing step: the elders, contact details and households a batch of
    events brings, inserted at once before it is handled (each handler below applies them
    first)."""
    return InsertAhead(
        {
            **dict.fromkeys(ELDER_EVENTS, (visits.elders, "elder_id")),
            "elder.contact_changed": (visits.contacts, "elder_id"),
            **dict.fromkeys(HOUSEHOLD_EVENTS, (visits.homes, "household_id")),
        }
    )


def handlers(visits: Visits) -> dict[str, Handler]:
    def on_elder_event(event: Event, data: dict[str, Any]) -> bool:
        """Every elder event carries the whole snapshot; older versions are ignored. Whatever
        the event, the elder's open work then follows the record (a death closes it)."""
        elder_id, version = data["elder_id"], data["version"]
        applied = visits.elders.apply(elder_id, version, event.id, data)
        # an event applied is the record as it now stands: no need to read it back
        stored = visits.elders.stored(elder_id, version, data) if applied else None
        elder = stored or visits.elders.get(elder_id)
        # A registration starts the record: no work can be open for it yet, in any community.
        # Later events follow the record. Work kept for the elder (incidents and calls that
        # came before the record) is released once the batch is handled (kept_work).
        visits.seen_elders.note(elder_id)
        registered = event.type == "elder.registered"
        followed = elder is not None and not registered and follow_elder(visits, elder)
        parted = elder is not None and part_ways(visits, elder)  # teams, courses, posts
        moved_on = moved_in_on(event, data)
        moved = moved_on is not None and take_incident(
            visits,
            moved_house(
                event.id,
                data["elder_id"],
                start_of_day(moved_on, visits.settings.zone),
                event.source,
            ),
        )
        return applied or followed or moved or parted

    def on_death_revoked(event: Event, data: dict[str, Any]) -> bool:
        """The record follows the event as any other; then the work the death closed is
        reopened where still relevant."""
        applied = on_elder_event(event, data)
        return reopen_work(visits, data["elder_id"], data["reason"]) or applied

    def on_contact(event: Event, data: dict[str, Any]) -> bool:
        """The address and phone come apart from the snapshot, each at the record's version."""
        return visits.contacts.apply(data["elder_id"], data["version"], event.id, data)

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
        """A hotline call or a love umbrella that intake resolved to an elder."""
        return take_call(
            visits,
            WaitingCall(
                data["request_id"],
                data["elder_id"],
                data["channel"],
                data["urgency"],
                data["note"] or f"{data['channel']} call reported by {data['reported_by']}",
                data["reported_by"],
                data["occurred_at"],
                visits.clock.now(),
            ),
        )

    def on_household(event: Event, data: dict[str, Any]) -> bool:
        """Who lives in each household, and in which building: each event is the whole."""
        return visits.homes.apply(data["household_id"], data["version"], event.id, data)

    def on_grid_cell(event: Event, data: dict[str, Any]) -> bool:
        return visits.cells.apply(data["cell_id"], data["version"], event.id, data)

    def on_volunteer(event: Event, data: dict[str, Any]) -> bool:
        """A volunteer of intake's register: a member of teams, whose service is counted."""
        return visits.activities.volunteers.apply(
            data["volunteer_id"], data["version"], event.id, data
        )

    def on_reorganised(event: Event, data: dict[str, Any]) -> bool:
        """Communities merged, split or renamed: the resulting one's staff, and its work."""
        return follow_reorganisation(visits, data)

    def on_cycle_approved(event: Event, data: dict[str, Any]) -> bool:
        """A monthly cycle handed in and approved: a report the yearly evaluation counts."""
        return keep_filing(visits, data)

    return {
        **dict.fromkeys(ELDER_EVENTS, on_elder_event),
        **dict.fromkeys(HOUSEHOLD_EVENTS, on_household),
        "grid.cell_changed": on_grid_cell,
        "community.reorganised": on_reorganised,
        "elder.death_revoked": on_death_revoked,
        "elder.contact_changed": on_contact,
        "incident.reported": on_incident,
        "help.requested": on_help_requested,
        "volunteer.registered": on_volunteer,
        "allowance.cycle_approved": on_cycle_approved,
        **staff_handlers(visits.token_versions, visits.staff_contacts),
        "district.contacts_changed": contacts_handler(visits.service_contacts),
    }
