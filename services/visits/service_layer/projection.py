"""Use cases driven by intake's events: keep visits' view of each elder current."""

from typing import Any

from services.visits.domain.elder import Elder
from shared.consumer import Handler
from shared.events import Event
from shared.events.intake import ELDER_EVENTS
from shared.projection import Projection


def handlers(elders: Projection[Elder]) -> dict[str, Handler]:
    def on_elder_event(event: Event, data: dict[str, Any]) -> bool:
        """Every elder event carries the whole snapshot; older versions are ignored."""
        return elders.apply(data["elder_id"], data["version"], event.id, data)

    return dict.fromkeys(ELDER_EVENTS, on_elder_event)
