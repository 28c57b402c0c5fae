"""Help requests and the help beyond them, as use cases on stores in memory: a request's
response deadline from the district's configuration, a call for an elder not yet known kept
until the elder arrives, a referral concluded once, relief handed over never beyond what was
raised, and what a request announces to the outbox relay."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from factories import registered_data
from memory_visits import memory_visits
from visits_handling import consumed

from services.visits.domain.help_requests import WaitingCall
from services.visits.service_layer import configuration, help_requests, referrals
from services.visits.service_layer.container import Visits
from shared.errors import Conflict, NotFound, RuleViolation
from shared.events import new_event

NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)
TODAY = date(2026, 11, 29)  # in Shanghai too, at 16:30


@pytest.fixture
def visits() -> Visits:
    return memory_visits(NOW)


def register(visits: Visits, elder_id: str, **fields: Any) -> None:
    data = registered_data(elder_id, 1, **fields)
    sent = new_event("elder.registered", elder_id, data, source="urn:t", district="d1", at=NOW)
    assert consumed(visits, sent)


def call(request_id: str, elder_id: str, urgency: str = "urgent") -> WaitingCall:
    return WaitingCall(request_id, elder_id, "hotline", urgency, "摔倒在家", "12349", NOW, NOW)


def test_a_request_is_due_by_its_urgencys_hours_as_the_district_set_them(visits):
    register(visits, "e-1")
    urgent = help_requests.receive(visits, "h-1", "e-1", "hotline", "urgent", "摔倒", "qian")
    assert urgent.respond_by == NOW + timedelta(hours=2)  # the field's default for urgent
    configuration.set_deadlines(visits, {}, {"normal": 48})
    normal = help_requests.receive(visits, "h-2", "e-1", "hotline", "normal", "买药", "qian")
    assert normal.respond_by == NOW + timedelta(hours=48)
    assert (normal.community, normal.status) == (urgent.community, "open")
    with pytest.raises(NotFound):
        help_requests.receive(visits, "h-3", "e-9", "hotline", "normal", "?", "qian")


def test_a_call_for_an_elder_not_yet_known_waits_for_the_elder_and_is_received_once(visits):
    assert help_requests.take_call(visits, call("h-1", "e-2")) is True
    assert visits.help_requests.get("h-1") is None  # kept, not lost
    register(visits, "e-2")  # the elder's record arrives: what waited is received
    received = visits.help_requests.require("h-1")
    assert (received.elder_id, received.urgency) == ("e-2", "urgent")
    assert help_requests.take_call(visits, call("h-1", "e-2")) is False  # delivered again
    [kept] = visits.waiting_calls.each({"elder_id": "e-2"})
    assert kept.status == "received"


def test_a_request_is_taken_in_charge_and_resolved(visits):
    register(visits, "e-1")
    help_requests.receive(visits, "h-1", "e-1", "hotline", "high", "停水", "qian")
    taken = help_requests.respond(visits, "h-1", "zhao")
    assert (taken.status, taken.responder, taken.answered_in_time) == ("responding", "zhao", True)
    resolved = help_requests.resolve(visits, "h-1", "已联系物业修复", "zhao", [])
    assert (resolved.status, resolved.resolved_by) == ("resolved", "zhao")
    announced = [e.type for e in visits.help_requests.announced]
    assert announced == [
        "help_request.received",
        "help_request.responded",
        "help_request.resolved",
    ]


def test_a_referral_is_concluded_once_and_relief_never_hands_over_more_than_raised(visits):
    register(visits, "e-1")
    help_requests.receive(visits, "h-1", "e-1", "hotline", "normal", "房屋失火", "qian")
    referral = referrals.refer(visits, "r-1", "h-1", "department", "民政科", "临时救助", "qian")
    assert (referral.elder_id, referral.referred_on) == ("e-1", TODAY)
    done = referrals.conclude(visits, "r-1", "已批临时救助")
    assert done.concluded_on == TODAY
    with pytest.raises(Conflict):
        referrals.conclude(visits, "r-1", "again")

    referrals.open_relief(visits, "f-1", "h-1", "火灾后重建")
    referrals.receive_gift(visits, "f-1", "g-1", "居民", 200_050)
    again = referrals.receive_gift(visits, "f-1", "g-1", "居民", 200_050)  # the same gift
    assert again.raised_fen == 200_050
    with pytest.raises(RuleViolation) as too_much:
        referrals.hand_over(visits, "f-1", "o-1", 300_000, "老人本人", "qian")
    assert too_much.value.context["field"] == "amount_fen"
    relief = referrals.hand_over(visits, "f-1", "o-1", 200_000, "老人本人", "qian")
    assert (relief.raised_fen, relief.handed_over_fen, relief.held_fen) == (200_050, 200_000, 50)
    referred, raised = referrals.beyond(visits, "h-1")
    assert ([r.referral_id for r in referred], [r.relief_id for r in raised]) == (["r-1"], ["f-1"])
