"""Intake's worker's event handlers, one table by event type: what other systems publish on
the inbound topic (hospital admissions, hotline calls, ...), resolved to the register."""

from typing import Any

from services.intake.service_layer.container import Intake
from services.intake.service_layer.inbound import receive
from shared.consumer import Handler
from shared.events import Event
from shared.events.inbound import EVENTS as INBOUND_EVENTS


def handlers(intake: Intake) -> dict[str, Handler]:
    def on_inbound(event: Event, data: dict[str, Any]) -> bool:
        return receive(intake, event, data)

    return {kind.name: on_inbound for kind in INBOUND_EVENTS}
