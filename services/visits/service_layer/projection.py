"""Use cases driven by intake's events: keep visits' view of each elder current."""

from typing import Any

from services.visits.domain.elder import Elder
from shared.consumer import Handler
from shared.events import Event
from shared.projection import Projection


def handlers(elders: Projection[Elder]) -> dict[str, Handler]:
    def on_elder_registered(event: Event, data: dict[str, Any]) -> bool:
        return elders.apply(data["elder_id"], data["version"], event.id, data, status="active")

    return {"elder.registered": on_elder_registered}
