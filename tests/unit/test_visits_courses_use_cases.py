"""Courses and lectures as use cases on stores in memory: planned at a venue of their own
community, elders and volunteers enrolled (today, unless a day is given) up to the places the
course has, once each, and an enrolment ended with its reason. A course announces no event:
what happened is in its history, and every write moves the activities' stamp on."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from factories import registered_data
from memory_visits import memory_visits
from test_visits_use_cases import event, handle, register

from services.visits.domain.courses import CourseTerms
from services.visits.domain.venues import VenueTerms
from services.visits.service_layer import courses, venues
from services.visits.service_layer.container import Visits
from shared.errors import Conflict, NotFound, RuleViolation
from shared.memory_stores import MemoryRecords
from shared.stamps import Stamped

NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)
TODAY = date(2026, 11, 29)  # in Shanghai too, at 16:30


@pytest.fixture
def visits() -> Visits:
    visits = memory_visits(NOW)
    register(visits, "e-1")
    register(visits, "e-2", name="张桂兰")
    register(visits, "e-3", name="刘德明", community="dongfeng")
    data = {"volunteer_id": "v-1", "version": 1, "name": "小李", "community": "xinhua"}
    handle(visits, event(visits, "volunteer.registered", "v-1", data))
    venues.open_venue(
        visits, "r1", "xinhua", "activity_room", VenueTerms("活动室"), date(2025, 1, 1)
    )
    venues.open_venue(
        visits, "r2", "dongfeng", "activity_room", VenueTerms("活动室"), date(2025, 1, 1)
    )
    return visits


def terms(**changes: Any) -> CourseTerms:
    facts: dict[str, Any] = {
        "organiser": "elder_university",
        "kind": "course",
        "category": "calligraphy",
        "name": "书法班",
        "starts_on": date(2026, 9, 1),
        "ends_on": date(2026, 12, 31),
        "capacity": 2,
        "venue_id": "r1",
    }
    return CourseTerms(**{**facts, **changes})


def lines(visits: Visits, course_id: str) -> list[str]:
    return [line["change"] for line in visits.activities.courses.history(course_id)]


def announced(visits: Visits) -> list[str]:
    stamped = visits.activities.courses
    assert isinstance(stamped, Stamped) and isinstance(stamped.store, MemoryRecords)
    return [e.type for e in stamped.store.announced]


def test_a_course_is_planned_at_a_venue_of_its_own_community(visits):
    stamp = visits.activities.stamp.current()
    planned = courses.plan(visits, "k1", "xinhua", terms(name=" 书法班 "))
    stored = visits.activities.courses.require("k1")
    assert stored == planned
    assert (stored.name, stored.venue_id, stored.capacity, stored.status) == (
        "书法班",
        "r1",
        2,
        "active",
    )
    assert lines(visits, "k1") == ["planned 书法班"]
    assert announced(visits) == []
    assert visits.activities.stamp.current() == stamp + 1


def test_a_course_elsewhere_at_no_venue_known_or_ending_before_it_starts_is_refused(visits):
    refused = {
        "venue_id": terms(venue_id="r2"),  # a venue of dongfeng
        "ends_on": terms(ends_on=date(2026, 8, 31)),
        "capacity": terms(capacity=0),
        "name": terms(name="  "),
    }
    for field, wrong in refused.items():
        with pytest.raises(RuleViolation) as refusal:
            courses.plan(visits, f"k-{field}", "xinhua", wrong)
        assert refusal.value.context["field"] == field
    with pytest.raises(NotFound):
        courses.plan(visits, "k-9", "xinhua", terms(venue_id="r9"))
    assert list(visits.activities.courses.each({})) == []


def test_elders_and_volunteers_enrol_up_to_the_places_the_course_has(visits):
    courses.plan(visits, "k1", "xinhua", terms())
    courses.enrol(visits, "k1", {"elder_id": "e-1"}, date(2026, 9, 1))
    enrolled = courses.enrol(visits, "k1", {"volunteer_id": "v-1"})  # today
    assert visits.activities.courses.require("k1") == enrolled
    listed = [(e.person, e.enrolled_on, e.elder_id, e.volunteer_id) for e in enrolled.enrolments]
    assert listed == [
        ("elder:e-1", date(2026, 9, 1), "e-1", None),
        ("volunteer:v-1", TODAY, None, "v-1"),
    ]
    assert enrolled.version == 3
    assert lines(visits, "k1") == ["planned 书法班", "王秀英 enrolled", "小李 enrolled"]

    with pytest.raises(RuleViolation) as full:
        courses.enrol(visits, "k1", {"elder_id": "e-2"})
    assert full.value.context["field"] == "capacity"
    with pytest.raises(Conflict):
        courses.enrol(visits, "k1", {"elder_id": "e-1"})
    assert visits.activities.courses.require("k1").version == 3


def test_no_one_enrols_in_a_course_unknown_a_lecture_or_after_they_died(visits):
    with pytest.raises(NotFound):
        courses.enrol(visits, "k9", {"elder_id": "e-1"})
    courses.plan(visits, "k1", "xinhua", terms(capacity=None))
    with pytest.raises(NotFound):
        courses.enrol(visits, "k1", {"elder_id": "e-9"})
    courses.plan(visits, "talk", "xinhua", terms(kind="lecture", name="防诈骗讲座"))
    with pytest.raises(RuleViolation) as lecture:
        courses.enrol(visits, "talk", {"elder_id": "e-1"})
    assert lecture.value.context["field"] == "kind"
    fields = {"status": "deceased", "died_on": date(2026, 10, 1), "reported_by": "hospital"}
    data = registered_data("e-2", 2, name="张桂兰", **fields)
    assert handle(visits, event(visits, "elder.deceased", "e-2", data))
    with pytest.raises(RuleViolation) as after_death:
        courses.enrol(visits, "k1", {"elder_id": "e-2"}, date(2026, 10, 2))
    assert after_death.value.context["field"] == "people"
    with pytest.raises(RuleViolation) as after_the_end:
        courses.enrol(visits, "k1", {"elder_id": "e-1"}, date(2027, 1, 1))
    assert after_the_end.value.context["field"] == "enrolled_on"
    assert visits.activities.courses.require("k1").enrolments == ()


def test_an_enrolment_ends_with_its_reason_and_frees_its_place(visits):
    courses.plan(visits, "k1", "xinhua", terms())
    courses.enrol(visits, "k1", {"elder_id": "e-1"}, date(2026, 9, 1))
    courses.enrol(visits, "k1", {"volunteer_id": "v-1"}, date(2026, 9, 1))
    dropped = courses.drop(visits, "k1", "elder:e-1", date(2026, 11, 1), " 搬去女儿家 ")
    assert visits.activities.courses.require("k1") == dropped
    first = dropped.enrolments[0]
    assert (first.ended_on, first.ended_because) == (date(2026, 11, 1), "搬去女儿家")
    assert lines(visits, "k1")[-1] == "王秀英 left the course (搬去女儿家)"
    again = courses.enrol(visits, "k1", {"elder_id": "e-2"})  # the place is free again
    assert [e.person for e in again.enrolled()] == ["volunteer:v-1", "elder:e-2"]
    today = courses.drop(visits, "k1", "elder:e-2", None, "身体不适")
    assert today.enrolments[-1].ended_on == TODAY


def test_an_enrolment_not_there_or_ended_without_a_reason_is_refused(visits):
    courses.plan(visits, "k1", "xinhua", terms())
    courses.enrol(visits, "k1", {"elder_id": "e-1"}, date(2026, 9, 1))
    with pytest.raises(RuleViolation) as nobody:
        courses.drop(visits, "k1", "elder:e-2", None, "不来了")
    assert nobody.value.context["field"] == "person"
    with pytest.raises(RuleViolation) as no_reason:
        courses.drop(visits, "k1", "elder:e-1", None, " ")
    assert no_reason.value.context["field"] == "reason"
    with pytest.raises(NotFound):
        courses.drop(visits, "k9", "elder:e-1", None, "不来了")
    assert visits.activities.courses.require("k1").enrolments[0].ended_on is None
