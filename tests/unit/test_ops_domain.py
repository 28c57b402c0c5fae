"""The operator console's plain rules: lag arithmetic, dead letters and their resolution."""

from datetime import UTC, datetime

import pytest

from ops.domain.dead_letters import (
    DeadLetter,
    Resolution,
    State,
    count_by_service,
    describe_event,
    parse_dead_letter_id,
    readable,
)
from ops.domain.health import ComponentHealth, FailureCount, recent_errors
from ops.domain.lag import GroupLag, PartitionLag
from shared.errors import Conflict, RuleViolation

AT = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)


def partition(committed, start=0, end=10, topic="t", number=0):
    return PartitionLag("g", topic, number, committed, start, end)


def test_lag_is_the_end_offset_minus_the_committed_one():
    assert partition(committed=4, end=10).lag == 6
    assert partition(committed=10, end=10).lag == 0


def test_without_a_commit_everything_kept_counts():
    assert partition(committed=None, start=3, end=10).lag == 7


def test_a_commit_older_than_the_log_counts_from_the_oldest_message_kept():
    assert partition(committed=1, start=5, end=10).lag == 5


def test_group_totals_per_group_and_topic():
    group = GroupLag(
        "g",
        (
            partition(2, end=5, topic="a", number=0),
            partition(0, end=1, topic="a", number=1),
            partition(None, end=4, topic="b"),
        ),
    )
    assert group.total == 8
    assert group.by_topic() == {"a": 4, "b": 4}
    assert GroupLag("g", error="CoordinatorNotAvailableError").total == 0


def headers(**overrides):
    values = {
        "dlq.reason": "ValueError: no (after 3 retries)",
        "dlq.original.topic": "eldercare.intake.elders",
        "dlq.original.partition": "2",
        "dlq.original.offset": "41",
        "dlq.consumer.group": "eldercare-visits",
        "dlq.time": "2026-11-29T08:30:00+00:00",
        **overrides,
    }
    return [(name, value.encode()) for name, value in values.items() if value is not None]


def letter(**overrides):
    return DeadLetter.from_record(
        "eldercare.deadletter.visits",
        1,
        7,
        b"e-1",
        b'{"type": "elder.registered"}',
        headers(**overrides),
    )


def test_a_dead_letter_is_read_from_the_headers_the_consumer_writes():
    dead = letter()
    assert dead.id == "eldercare.deadletter.visits:1:7"
    assert dead.service == "visits"
    assert dead.reason == "ValueError: no (after 3 retries)"
    assert dead.origin == "eldercare.intake.elders:2:41"
    assert dead.consumer_group == "eldercare-visits"
    assert dead.dead_lettered_at == AT
    assert dead.state == State.OPEN


def test_missing_headers_leave_an_unreplayable_dead_letter():
    dead = letter(**{"dlq.original.topic": None, "dlq.original.partition": None, "dlq.time": None})
    assert dead.origin == "unknown" and dead.dead_lettered_at is None
    with pytest.raises(RuleViolation, match="cannot be replayed"):
        dead.check_replayable()
    dead.check_discardable()  # it can still be closed


def test_a_resolved_dead_letter_cannot_be_resolved_again():
    replayed = letter().resolved(Resolution(State.REPLAYED, AT, "wang", replayed_to="t:2:50"))
    assert replayed.state == State.REPLAYED
    with pytest.raises(Conflict, match="already replayed by wang"):
        replayed.check_replayable()
    with pytest.raises(Conflict, match="already replayed"):
        replayed.check_discardable()
    discarded = letter().resolved(Resolution(State.DISCARDED, AT, "li", note="test data"))
    with pytest.raises(Conflict, match="already discarded by li"):
        discarded.check_replayable()


def test_a_resolution_round_trips_through_its_stored_form():
    resolution = Resolution(State.REPLAYED, AT, "wang", "after the fix", "t:2:50")
    assert Resolution.from_dict(resolution.to_dict()) == resolution


def test_dead_letter_ids_are_checked():
    assert parse_dead_letter_id("eldercare.deadletter.visits:0:12") == (
        "eldercare.deadletter.visits",
        0,
        12,
    )
    for wrong in ("eldercare.intake.elders:0:1", "eldercare.deadletter.visits:x:1", "nonsense"):
        with pytest.raises(RuleViolation, match="not a dead letter id"):
            parse_dead_letter_id(wrong)


def test_counts_cover_every_configured_service_and_every_state():
    open_one = letter()
    replayed = letter().resolved(Resolution(State.REPLAYED, AT, "wang"))
    counts = {c.service: c for c in count_by_service(["intake", "visits"], [open_one, replayed])}
    assert (counts["visits"].open, counts["visits"].replayed, counts["visits"].total) == (1, 1, 2)
    assert counts["intake"].total == 0


def test_events_and_payloads_are_shown_readably():
    assert describe_event(b'{"type": "elder.registered", "id": "x", "data": {}}') == {
        "type": "elder.registered",
        "id": "x",
    }
    assert describe_event(b"\x00garbage") == {} and describe_event(None) == {}
    assert readable('{"name":"王秀英"}'.encode()) == '{\n  "name": "王秀英"\n}'
    assert readable(b"\x00garbage") == "b'\\x00garbage'"
    assert readable(b"\xff") == "b'\\xff'"
    assert readable(None) == "(none)"


def test_recent_errors_put_what_fails_now_before_counted_failures_and_dead_letters():
    older = letter(**{"dlq.time": "2026-11-28T08:00:00+00:00"})
    newer = letter(**{"dlq.time": "2026-11-29T09:00:00+00:00", "dlq.reason": "not JSON"})
    health = [
        ComponentHealth("visits", "api", "http://x/readyz", "not ready", "mongodb: unreachable"),
        ComponentHealth("visits", "worker", "http://x/metrics", "running"),
    ]
    failures = [
        FailureCount("intake", "publishing the outbox", "", 2),
        FailureCount("visits", "handling t", "AutoReconnect", 7),
    ]
    errors = recent_errors(health, [older, newer], failures, limit=4)
    assert [(e.service, e.source) for e in errors] == [
        ("visits", "api"),
        ("visits", "worker"),
        ("intake", "worker"),
        ("visits", "dead letter"),
    ]
    assert errors[0].message == "not ready: mongodb: unreachable"
    assert errors[1].message == "7 × AutoReconnect handling t since the worker started"
    assert errors[3].message.startswith("not JSON (eldercare.intake.elders:2:41, open)")
