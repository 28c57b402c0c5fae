"""What visits and allowances know of staff tokens revoked in intake, on a store in memory."""

from datetime import UTC, datetime

from shared.events import new_event
from shared.memory_stores import MemoryProjection
from shared.staff_access import TokenVersion, TokenVersions
from shared.web.auth import Principal

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def access_changed(username: str, token_version: int):
    data = {"username": username, "token_version": token_version, "change": "duties changed"}
    event = new_event(
        "staff.access_changed", username, data, source="/intake", district="d1", at=NOW
    )
    return event, event.data


def test_the_latest_announced_version_is_kept_whatever_order_the_events_come_in():
    versions = TokenVersions(MemoryProjection(TokenVersion), cache_seconds=0)
    assert versions.latest("zhao") == 0, "an account whose access never changed"
    assert versions.record(*access_changed("zhao", 3))
    assert not versions.record(*access_changed("zhao", 2)), "an older event, come late"
    assert not versions.record(*access_changed("zhao", 3)), "the same event, come twice"
    assert versions.latest("zhao") == 3
    assert not versions.current(Principal("zhao", frozenset({"visitor"}), "c01", 2))
    assert versions.current(Principal("zhao", frozenset({"visitor"}), "c01", 3))
    assert versions.current(Principal("zhao", frozenset({"visitor"}), "c01", 4)), (
        "newer than announced: its event is on its way"
    )


def test_a_revocation_is_read_again_once_the_cached_version_is_old():
    now = [0.0]
    versions = TokenVersions(MemoryProjection(TokenVersion), cache_seconds=30, clock=lambda: now[0])
    assert versions.latest("zhao") == 0
    versions.record(*access_changed("zhao", 2))
    now[0] = 29.0
    assert versions.latest("zhao") == 0, "kept for the cache's time"
    now[0] = 30.0
    assert versions.latest("zhao") == 2
