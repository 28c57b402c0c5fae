"""Use cases of feedback and complaints on the in-memory stores: a rating of a visit rates its
visitor; a complaint is not closed by the worker it is about; the period's satisfaction and
complaints counted exactly."""

from datetime import date, timedelta

import pytest
from memory_visits import memory_visits
from test_visits_use_cases import HOUR, NOW, register

from services.visits.domain.config import CommunityStaff
from services.visits.service_layer import configuration, visit_records
from services.visits.service_layer.feedback import (
    close_complaint,
    give_feedback,
    receive_complaint,
    satisfaction_report,
)
from services.visits.service_layer.reminders import remind
from shared.clock import FixedClock
from shared.errors import NotFound, RuleViolation


@pytest.fixture
def visits():
    return memory_visits(NOW)


def visited(visits, visit_id: str, elder_id: str, visitor: str) -> None:
    facts = {"visitor": visitor, "visited_at": NOW - HOUR, "kind": "home"}
    visit_records.record(visits, visit_id, elder_id, visitor, **facts)


def test_a_rating_of_a_visit_rates_its_visitor_and_is_recorded_once(visits):
    register(visits, "e-1")
    register(visits, "e-2", community="dongfeng")
    visited(visits, "v-1", "e-1", "wang")
    rated = give_feedback(visits, "f-1", "e-1", "visit", 5, "family", "li", reference="v-1")
    assert (rated.worker, rated.community, rated.recorded_by) == ("wang", "xinhua", "li")
    again = give_feedback(visits, "f-1", "e-1", "visit", 5, "family", "li", reference="v-1")
    assert again == rated and len(list(visits.feedback.each({}))) == 1
    with pytest.raises(RuleViolation):  # another elder's visit
        give_feedback(visits, "f-2", "e-2", "visit", 4, "elder", "li", reference="v-1")
    with pytest.raises(NotFound):
        give_feedback(visits, "f-3", "e-1", "visit", 4, "elder", "li", reference="v-9")
    with pytest.raises(RuleViolation):  # a service rated names whose work it was
        give_feedback(visits, "f-4", "e-1", "service", 4, "elder", "li")


def test_a_complaint_is_answered_by_someone_other_than_the_worker_it_is_about(visits):
    register(visits, "e-1")
    complaint = receive_complaint(
        visits, "k-1", "ignored", "hotline", "走访员王", "没有按时来", "li", "e-1", "wang"
    )
    assert complaint.community == "xinhua"  # the elder's, whatever was said
    assert complaint.answer_by == NOW + timedelta(hours=72)
    with pytest.raises(RuleViolation):
        close_complaint(visits, "k-1", "已解释", "wang")
    closed = close_complaint(visits, "k-1", "已向老人说明并补访", "zhao")
    assert (closed.status, closed.closed_by, closed.answered_in_time) == ("closed", "zhao", True)


def test_the_periods_satisfaction_and_complaints_are_counted_exactly(visits):
    register(visits, "e-1")
    register(visits, "e-2", community="dongfeng")
    for n, (elder, rating, worker, service) in enumerate(
        (("e-1", 5, "wang", "medical"), ("e-1", 3, "wang", None), ("e-2", 4, "sun", "medical"))
    ):
        give_feedback(
            visits, f"f-{n}", elder, "service", rating, "elder", "li", worker=worker,
            service_type=service,
        )  # fmt: skip
    receive_complaint(visits, "k-1", "xinhua", "letter", "服务", "态度不好", "li")
    receive_complaint(visits, "k-2", "xinhua", "hotline", "服务", "迟到", "li")
    close_complaint(visits, "k-1", "已处理", "zhao")
    clock = visits.clock
    assert isinstance(clock, FixedClock)
    clock.move_to(NOW + timedelta(days=4))  # k-2 is past its three days
    today = NOW.date()
    report = satisfaction_report(visits, date(2026, 11, 1), today)
    assert (report.total.ratings, report.total.satisfied, report.total.share) == (3, 2, 66.7)
    assert report.by_community["xinhua"].share == 50.0
    assert report.by_worker["sun"].share == 100.0
    assert report.by_service_type["medical"].ratings == 2
    assert report.complaints == {
        "received": 2,
        "answered_in_time": 1,
        "answered_late": 0,
        "open": 1,
        "overdue": 1,
    }
    mine = satisfaction_report(visits, date(2026, 11, 1), today, "dongfeng")
    assert mine.total.ratings == 1 and mine.complaints["received"] == 0
    assert satisfaction_report(visits, date(2026, 10, 1), date(2026, 10, 31)).total.ratings == 0


def test_a_complaint_past_its_deadline_reminds_the_head_once_not_the_worker_it_is_about(visits):
    configuration.set_community_staff(visits, CommunityStaff("xinhua", worker="wang", head="li"))
    register(visits, "e-1")
    receive_complaint(visits, "k-1", "xinhua", "hotline", "走访员", "没来", "li", "e-1", "wang")
    receive_complaint(visits, "k-2", "xinhua", "letter", "活动室", "太吵", "li")
    remind(visits)
    assert list(visits.reminders.each({})) == []  # not yet due
    clock = visits.clock
    assert isinstance(clock, FixedClock)
    clock.move_to(NOW + timedelta(hours=73))
    remind(visits)
    remind(visits)
    sent = {r.subject: r for r in visits.reminders.each({"cause": "complaint_overdue"})}
    assert set(sent) == {"k-1", "k-2"}
    assert sent["k-1"].recipients == ("li",)  # the complaint is about wang
    assert sent["k-2"].recipients == ("li", "wang")
    assert "王秀英" in sent["k-1"].text and "居民" in sent["k-2"].text
