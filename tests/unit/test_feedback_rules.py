"""The rules of feedback and complaints, without a store: a rating of 1 to 5 by the elder or
the family, of someone's work; a complaint answered within its deadline, closed once, by whoever
answered; and satisfaction counted exactly, in all and per group."""

from datetime import UTC, datetime, timedelta

import pytest

from services.visits.domain import feedback
from shared.errors import Conflict, RuleViolation

AT = datetime(2026, 12, 6, 2, tzinfo=UTC)


def rated(n: int, rating: int, worker: str = "wang", service: str | None = None):
    return feedback.give(
        f"f{n}", f"e{n}", "c01", "visit", worker, rating, "elder", "wang", AT,
        service_type=service,
    ).after  # fmt: skip


def test_a_rating_is_one_to_five_given_by_the_elder_or_the_family_of_someones_work():
    given = feedback.give("f1", "e1", "c01", "service", " wang ", 5, "family", "li", AT, "v1")
    assert given.after.worker == "wang" and given.after.satisfied
    assert given.summary == "rated 5 of 5 by the family"
    for wrong, field in (
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"given_by": "neighbour"}, "given_by"),
        ({"subject": "weather"}, "subject"),
        ({"worker": " "}, "worker"),
    ):
        asked = {"subject": "visit", "worker": "wang", "rating": 4, "given_by": "elder"} | wrong
        with pytest.raises(RuleViolation) as refused:
            feedback.give("f", "e1", "c01", recorded_by="li", at=AT, **asked)
        assert refused.value.context["field"] == field


def test_a_complaint_is_answered_by_its_deadline_and_closed_once():
    received = feedback.receive_complaint(
        "k1", "c01", "hotline", "走访员", "说好的走访没有来", "li", AT, 72, AT, worker="wang"
    ).after
    assert received.answer_by == AT + timedelta(hours=72)
    assert not received.is_overdue(AT + timedelta(hours=72))
    assert received.is_overdue(AT + timedelta(hours=73))
    late = AT + timedelta(hours=80)
    closed = feedback.close(received, "已向老人道歉，次日补访", "zhao", late).after
    assert (closed.status, closed.closed_by, closed.answered_in_time) == ("closed", "zhao", False)
    assert not closed.is_overdue(late + timedelta(days=1))
    with pytest.raises(Conflict):
        feedback.close(closed, "again", "zhao", late)
    with pytest.raises(RuleViolation):
        feedback.close(received, " ", "zhao", late)
    with pytest.raises(RuleViolation):
        feedback.receive_complaint("k2", "c01", "pigeon", "x", "y", "li", AT, 72, AT)
    with pytest.raises(RuleViolation):
        feedback.receive_complaint(
            "k2", "c01", "hotline", "x", "y", "li", AT + timedelta(1), 72, AT
        )


def test_satisfaction_is_the_share_of_fours_and_fives_in_all_and_per_group():
    given = [
        rated(1, 5, "wang", "medical"),
        rated(2, 4, "wang", None),
        rated(3, 2, "zhao", "medical"),
        rated(4, 3, "zhao", "housekeeping"),
    ]
    total, by_worker = feedback.satisfaction(given, lambda f: f.worker)
    assert (total.ratings, total.satisfied, total.mean, total.share) == (4, 2, 3.5, 50.0)
    assert by_worker["wang"].share == 100.0 and by_worker["zhao"].share == 0.0
    _, by_service = feedback.satisfaction(given, lambda f: f.service_type)
    assert set(by_service) == {"medical", "housekeeping"}  # the unrated service in the total
    assert (by_service["medical"].ratings, by_service["medical"].share) == (2, 50.0)
    nothing, groups = feedback.satisfaction([], lambda f: f.worker)
    assert (nothing.ratings, nothing.mean, nothing.share, groups) == (0, None, None, {})
