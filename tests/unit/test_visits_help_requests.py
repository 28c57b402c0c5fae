from datetime import UTC, datetime, timedelta

import pytest

from services.visits.domain.help_requests import receive, resolve, respond
from shared.errors import Conflict, RuleViolation

SEEN = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)


def umbrella(urgency="urgent", hours=2):
    return receive(
        "h-1",
        "e-1",
        "jindong",
        "love_umbrella",
        urgency,
        "伞挂出来了",
        "patrol-3",
        SEEN,
        hours,
        SEEN + timedelta(minutes=5),
    )


def test_a_love_umbrella_must_be_answered_within_its_urgencys_hours():
    change = umbrella()
    request = change.after
    assert request.respond_by == SEEN + timedelta(hours=2)
    assert change.events == (("help_request.received", {}),)
    assert not request.is_overdue(SEEN + timedelta(hours=2))
    assert request.is_overdue(SEEN + timedelta(hours=2, seconds=1))


def test_taking_charge_then_resolving_records_who_and_when():
    taken = respond(umbrella().after, "wang", SEEN + timedelta(hours=1)).after
    assert (taken.status, taken.responder, taken.answered_in_time) == ("responding", "wang", True)
    assert not taken.is_overdue(SEEN + timedelta(days=1))
    handed = respond(taken, "zhao", SEEN + timedelta(hours=5)).after
    assert handed.responder == "zhao" and handed.responded_at == taken.responded_at
    resolved = resolve(handed, "买了药送上门", "zhao", SEEN + timedelta(hours=6))
    assert resolved.after.status == "resolved" and resolved.after.version == 4
    assert resolved.events == (("help_request.resolved", {}),)
    with pytest.raises(Conflict, match="already resolved"):
        respond(resolved.after, "wang", SEEN)


def test_resolving_an_unanswered_request_makes_the_resolver_its_responder():
    late = SEEN + timedelta(hours=3)
    resolved = resolve(umbrella().after, "已上门处理", "li", late).after
    assert (resolved.responder, resolved.responded_at) == ("li", late)
    assert resolved.answered_in_time is False


def test_bad_help_requests_are_refused():
    with pytest.raises(RuleViolation, match="future"):
        receive("h", "e", "c", "hotline", "high", "x", "op", SEEN, 24, SEEN - timedelta(hours=1))
    with pytest.raises(RuleViolation, match="channel"):
        receive("h", "e", "c", "letter", "high", "x", "op", SEEN, 24, SEEN)
    with pytest.raises(RuleViolation, match="describe"):
        receive("h", "e", "c", "hotline", "high", " ", "op", SEEN, 24, SEEN)
