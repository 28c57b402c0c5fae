"""Test data built the way the product builds it."""

from datetime import UTC, date, datetime
from typing import Any

from shared.config import Settings
from shared.events import Event, new_event

AT = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)


def registered_data(elder_id: str = "e-1", version: int = 1, **changes: Any) -> dict[str, Any]:
    return {
        "elder_id": elder_id,
        "version": version,
        "name": "王秀英",
        "sex": "female",
        "birth_date": date(1944, 3, 7),
        "community": "xinhua",
        "address": "新华路12号",
        "phone": None,
        "registered_at": AT,
        **changes,
    }


def registered_event(
    settings: Settings | None = None, elder_id: str = "e-1", version: int = 1, **changes: Any
) -> Event:
    settings = settings or Settings(service="test", district="d1")
    intake = Settings(service="intake", district=settings.district)  # the topic's one sender
    return new_event(
        "elder.registered",
        elder_id,
        registered_data(elder_id, version, **changes),
        source=intake.event_source,
        district=settings.district,
        at=AT,
    )
