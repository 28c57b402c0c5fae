"""Intake's worker's event handlers, one table by event type: what other systems publish on
the inbound topic (hospital admissions, hotline calls, ...), resolved to the register; and the
register's own elder events, which keep households true (a death, a move); and visits'
visit records, which carry what a door-to-door check found."""

from typing import Any

from services.intake.service_layer.container import Intake
from services.intake.service_layer.corrections import record_door_check
from services.intake.service_layer.households import (
    CORRECTED_BY,
    LEFT_BY,
    PLACED_BY,
    follow_register,
)
from services.intake.service_layer.inbound import receive
from shared.consumer import Handler
from shared.events import Event
from shared.events.inbound import EVENTS as INBOUND_EVENTS


def handlers(intake: Intake) -> dict[str, Handler]:
    def on_inbound(event: Event, data: dict[str, Any]) -> bool:
        return receive(intake, event, data)

    def on_elder_event(event: Event, data: dict[str, Any]) -> bool:
        return follow_register(intake, event.type, data["elder_id"], data)

    table: dict[str, Handler] = {kind.name: on_inbound for kind in INBOUND_EVENTS}
    table.update({name: on_elder_event for name in (*LEFT_BY, *PLACED_BY, *CORRECTED_BY)})
    table["visit.recorded"] = lambda event, data: record_door_check(intake, data)
    return table
