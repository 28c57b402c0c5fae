"""The consumer's steps without a broker: decode, check, route, retry, dead-letter, and the
dead-letter flood limit. The commit step and the loop around them are tested against the real
broker (tests/integration/test_consumer.py)."""

import json
import threading
from dataclasses import replace

import pytest
from factories import registered_event
from prometheus_client import REGISTRY
from pymongo.errors import AutoReconnect

from shared import consumer
from shared.config import Settings
from shared.consumer import (
    APPLIED,
    DEAD_LETTERED,
    DUPLICATE,
    IGNORED,
    MAX_MESSAGE_BYTES,
    EventPipeline,
    Interrupted,
    Received,
    decode_message,
    event_pipeline,
    route,
)
from shared.events import InvalidEvent, Topics, event_type

SETTINGS = Settings(service="unit-consumer", district="d1")
LIMIT = 3


class Letters:
    """Stands in for DeadLetters in these tests: what would have gone to the dead-letter topic."""

    def __init__(self):
        self.sent = []

    def send(self, message, reason):
        self.sent.append((message.offset, reason))

    @property
    def offsets(self):
        return [offset for offset, _ in self.sent]


class Elders:
    """A handler of elder.registered that fails, for the elders in `broken`, with the error a bug
    would raise; `then` runs at every call (to mend an elder, or ask for shutdown)."""

    def __init__(self, *broken, then=None):
        self.broken = set(broken)
        self.calls = []
        self.then = then

    def __call__(self, event, data):
        self.calls.append(data["elder_id"])
        if self.then:
            self.then(data["elder_id"])
        if data["elder_id"] in self.broken:
            raise ValueError(f"cannot cope with {data['elder_id']}")
        return data["elder_id"] != "known"  # False: already applied


class Feed:
    """Messages on intake's elders topic, one offset after the other."""

    def __init__(self):
        self.offset = -1

    def __call__(self, value):
        self.offset += 1
        return Received(Topics.ELDERS, 0, self.offset, b"k", value)

    def elder(self, elder_id, **changes):
        return self(registered_event(SETTINGS, elder_id, **changes).to_json())


def pipeline(handler, letters, stop=None, limit=LIMIT, retries=0, service=None):
    return EventPipeline(
        service or SETTINGS.service,
        SETTINGS.district,
        {"elder.registered": handler},
        letters,
        stop or threading.Event(),
        retries=retries,
        backoff_seconds=0,
        flood_limit=limit,
        hold_seconds=0,
    )


def garbled(elder_id):
    """An elder.registered event whose data does not match its schema."""
    document = json.loads(registered_event(SETTINGS, elder_id).to_json())
    document["data"]["birth_date"] = "not a date"
    return json.dumps(document).encode()


def halted(service):
    return REGISTRY.get_sample_value("eldercare_consumer_halted", {"service": service})


# -- the steps -----------------------------------------------------------------------------


def test_decode_refuses_what_is_too_large_not_an_envelope_or_of_no_known_type():
    feed = Feed()
    event, kind = decode_message(feed.elder("e-1"))
    assert (event.subject, kind.name) == ("e-1", "elder.registered")
    with pytest.raises(InvalidEvent, match=f"the limit is {MAX_MESSAGE_BYTES}"):
        decode_message(feed(b" " * (MAX_MESSAGE_BYTES + 1)))
    with pytest.raises(InvalidEvent, match="not JSON"):
        decode_message(feed(b"\x00garbage"))
    unknown = json.loads(registered_event(SETTINGS).to_json()) | {"type": "elder.teleported"}
    with pytest.raises(InvalidEvent, match="unknown event type"):
        decode_message(feed(json.dumps(unknown).encode()))


def test_route_finds_the_handler_and_checks_the_data_only_of_a_handled_type():
    event = registered_event(SETTINGS)
    kind = event_type(event.type)
    handler = Elders()
    routed = route({"elder.registered": handler}, event, kind)
    assert routed is not None and routed.handler is handler
    assert routed.data["elder_id"] == "e-1"
    garbled = replace(event, data={**event.data, "birth_date": "not a date"})
    assert route({}, garbled, kind) is None  # not read here: no reason to refuse it
    with pytest.raises(InvalidEvent, match="birth_date"):
        route({"elder.registered": handler}, garbled, kind)


def test_each_message_gets_one_outcome():
    feed, letters = Feed(), Letters()
    handler = Elders()
    steps = pipeline(handler, letters)
    other_district = registered_event(replace(SETTINGS, district="elsewhere"), "e-2").to_json()
    on_visits = Received(Topics.VISITS, 0, 9, b"k", registered_event(SETTINGS, "e-3").to_json())
    assert steps.process(feed.elder("e-1")) == APPLIED
    assert steps.process(feed.elder("known")) == DUPLICATE
    assert steps.process(feed(other_district)) == DEAD_LETTERED
    assert steps.process(feed(b"\x00garbage")) == DEAD_LETTERED
    assert steps.process(on_visits) == DEAD_LETTERED  # intake's event on visits' topic
    assert [offset for offset, _ in letters.sent] == [2, 3, 9]
    assert "district 'elsewhere'" in letters.sent[0][1]
    unhandled = EventPipeline(SETTINGS.service, SETTINGS.district, {}, letters, threading.Event())
    assert unhandled.process(feed.elder("e-4")) == IGNORED
    assert handler.calls == ["e-1", "known"]


def test_an_error_is_retried_a_bounded_number_of_times_then_dead_lettered():
    feed, letters = Feed(), Letters()
    handler = Elders("e-1")
    assert pipeline(handler, letters, retries=2).process(feed.elder("e-1")) == DEAD_LETTERED
    assert handler.calls == ["e-1"] * 3
    assert letters.sent == [(0, "ValueError: cannot cope with e-1 (after 2 retries)")]


def test_an_outage_is_waited_out_without_using_up_the_retries(monkeypatch):
    monkeypatch.setattr(consumer, "OUTAGE_WAIT_SECONDS", 0.0)
    feed, letters = Feed(), Letters()
    outages = iter([AutoReconnect("store down")] * 5)

    def store_down_for_a_while(event, data):
        error = next(outages, None)
        if error:
            raise error
        return True

    assert pipeline(store_down_for_a_while, letters).process(feed.elder("e-1")) == APPLIED
    assert letters.sent == []


def test_shutdown_during_an_outage_leaves_the_message_unprocessed():
    stop = threading.Event()
    stop.set()

    def store_down(event, data):
        raise AutoReconnect("store down")

    letters = Letters()
    with pytest.raises(Interrupted):
        pipeline(store_down, letters, stop).process(Feed().elder("e-1"))
    assert letters.sent == []


# -- the dead-letter flood limit -----------------------------------------------------------


def fail_up_to_the_limit(steps, feed, handler):
    """LIMIT handler failures in a row, each dead-lettered."""
    for n in range(LIMIT):
        handler.broken.add(f"bad-{n}")
        assert steps.process(feed.elder(f"bad-{n}")) == DEAD_LETTERED


def test_past_the_limit_a_failing_message_is_held_and_retried_until_it_succeeds():
    feed, letters, service = Feed(), Letters(), "unit-flood-held"
    seen_halted = []

    def mend_after_three_rounds(elder_id):
        if elder_id == "held" and handler.calls.count("held") == 3:
            seen_halted.append(halted(service))
            handler.broken.discard("held")

    handler = Elders("held", then=mend_after_three_rounds)
    steps = pipeline(handler, letters, service=service)
    fail_up_to_the_limit(steps, feed, handler)

    assert steps.process(feed.elder("held")) == APPLIED  # not dead-lettered
    assert letters.offsets == [0, 1, 2]
    assert handler.calls.count("held") == 3
    assert seen_halted == [1.0] and halted(service) == 0.0
    assert steps.flood.in_a_row == 0  # the success reset the count
    handler.broken.add("bad-again")
    assert steps.process(feed.elder("bad-again")) == DEAD_LETTERED


def test_a_held_message_stays_unprocessed_when_the_worker_stops():
    feed, letters, stop, service = Feed(), Letters(), threading.Event(), "unit-flood-stop"
    handler = Elders("held", then=lambda elder_id: elder_id == "held" and stop.set())
    steps = pipeline(handler, letters, stop, service=service)
    fail_up_to_the_limit(steps, feed, handler)
    with pytest.raises(Interrupted):
        steps.process(feed.elder("held"))
    assert letters.offsets == [0, 1, 2]
    assert halted(service) == 0.0


def test_invalid_messages_are_still_dead_lettered_past_the_limit_and_count_for_nothing():
    feed, letters, stop = Feed(), Letters(), threading.Event()
    handler = Elders("held", then=lambda elder_id: elder_id == "held" and stop.set())
    steps = pipeline(handler, letters, stop)
    fail_up_to_the_limit(steps, feed, handler)
    other_district = registered_event(replace(SETTINGS, district="elsewhere"), "e-9")
    assert steps.process(feed(b"\x00garbage")) == DEAD_LETTERED
    assert steps.process(feed(other_district.to_json())) == DEAD_LETTERED
    assert steps.process(feed(garbled("e-10"))) == DEAD_LETTERED
    assert letters.offsets == [0, 1, 2, 3, 4, 5]
    with pytest.raises(Interrupted):  # they did not reset the count: the next failure is held
        steps.process(feed.elder("held"))
    assert letters.offsets == [0, 1, 2, 3, 4, 5]


def test_a_success_between_failures_resets_the_count():
    feed, letters = Feed(), Letters()
    handler = Elders("bad-1", "bad-2", "bad-3", "bad-4", "bad-5")
    steps = pipeline(handler, letters)
    for elder_id in ["bad-1", "bad-2", "known", "bad-3", "bad-4", "bad-5"]:
        steps.process(feed.elder(elder_id))  # a duplicate is a success of its handler too
    assert letters.offsets == [0, 1, 3, 4, 5]
    assert steps.flood.in_a_row == LIMIT and steps.flood.reached()


def test_a_limit_of_zero_dead_letters_every_failure():
    feed, letters = Feed(), Letters()
    handler = Elders(*(f"bad-{n}" for n in range(LIMIT + 2)))
    steps = pipeline(handler, letters, limit=0)
    for n in range(LIMIT + 2):
        assert steps.process(feed.elder(f"bad-{n}")) == DEAD_LETTERED
    assert len(letters.sent) == LIMIT + 2


def test_the_limit_is_a_setting():
    assert Settings.from_env("visits", {}).dead_letter_flood_limit == 20
    settings = Settings.from_env("visits", {"CONSUMER_DEAD_LETTER_FLOOD_LIMIT": "5"})
    assert settings.dead_letter_flood_limit == 5
    assert event_pipeline(settings, {}, None, threading.Event()).flood.limit == 5
