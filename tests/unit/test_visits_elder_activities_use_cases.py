"""An elder's part in the community's activities, as their page reads it from stores in
memory: the teams and courses they were in (ended ones too), the posts they hold, the hours
of service they gave and the occasions they came to, however they were named (as the elder,
or as the volunteer they also are), and nothing of anyone else's."""

from datetime import UTC, date, datetime

import pytest
from memory_visits import memory_visits
from test_visits_use_cases import event, handle, register

from services.visits.domain.courses import CourseTerms
from services.visits.service_layer import courses, occasions, teams, volunteering
from services.visits.service_layer.container import Visits
from services.visits.service_layer.elder_activities import (
    CoursePart,
    ElderActivities,
    TeamPart,
    elder_activities,
)
from shared.audit import Actor

NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)
WANG = Actor("wang")
ONE, TWO = {"elder_id": "e-1"}, {"elder_id": "e-2"}
AS_VOLUNTEER = {"volunteer_id": "v-1"}  # e-1, named as the volunteer she also is


@pytest.fixture
def visits() -> Visits:
    visits = memory_visits(NOW)
    register(visits, "e-1")
    register(visits, "e-2", name="张桂兰")
    data = {"volunteer_id": "v-1", "version": 1, "name": "王秀英", "community": "xinhua"}
    assert handle(visits, event(visits, "volunteer.registered", "v-1", {**data, "elder_id": "e-1"}))
    return visits


def test_an_elders_page_holds_their_teams_courses_posts_hours_and_occasions(visits):
    teams.form(visits, "t1", "xinhua", "culture_sports", "dance", "舞蹈队", date(2026, 1, 1))
    teams.form(
        visits, "t2", "xinhua", "volunteer_service", "public_order", "巡逻队", date(2026, 1, 1)
    )
    teams.join(visits, "t1", ONE, date(2026, 2, 1))
    teams.join(visits, "t1", TWO, date(2026, 2, 1))
    teams.leave(visits, "t1", "elder:e-1", date(2026, 6, 1), "膝盖不好")
    teams.join(visits, "t2", AS_VOLUNTEER, date(2026, 7, 1))
    terms = CourseTerms(
        "elder_university", "course", "calligraphy", "书法班", date(2026, 9, 1), date(2026, 12, 31)
    )
    courses.plan(visits, "k1", "xinhua", terms)
    courses.enrol(visits, "k1", ONE, date(2026, 9, 1))
    volunteering.take_post(visits, "p1", "e-1", "xinhua", "group_leader", date(2025, 3, 1))
    volunteering.take_post(visits, "p2", "e-2", "xinhua", "patrol", date(2025, 3, 1))
    for service_id, named, hours in (("s1", ONE, 2.5), ("s2", AS_VOLUNTEER, 1.5), ("s3", TWO, 3.0)):
        volunteering.serve(
            visits, service_id, named, "xinhua", "public_order", date(2026, 11, 1), hours, WANG
        )
    occasions.hold_activity(visits, "o1", "xinhua", "重阳联欢", "dance", date(2026, 10, 29), WANG)
    occasions.hold_activity(
        visits, "o2", "xinhua", "棋牌赛", "chess_cards", date(2026, 11, 5), WANG
    )
    occasions.hold_session(visits, "o3", "k1", date(2026, 11, 10), WANG)
    occasions.record_attendance(visits, "o1", [ONE, TWO], WANG)
    occasions.record_attendance(visits, "o2", [TWO], WANG)
    occasions.record_attendance(visits, "o3", [AS_VOLUNTEER], WANG)

    page = elder_activities(visits, "e-1")
    assert (page.elder_id, page.person) == ("e-1", "elder:e-1")
    assert page.teams == [
        TeamPart("t1", "舞蹈队", "culture_sports", "dance", date(2026, 2, 1), date(2026, 6, 1)),
        TeamPart("t2", "巡逻队", "volunteer_service", "public_order", date(2026, 7, 1), None),
    ]
    assert page.courses == [
        CoursePart("k1", "书法班", "elder_university", "calligraphy", date(2026, 9, 1), None)
    ]
    assert page.posts == [visits.activities.posts.require("p1")]
    assert (page.service_hours, page.attended) == (4.0, 2)

    other = elder_activities(visits, "e-2")
    assert [t.team_id for t in other.teams] == ["t1"] and other.courses == []
    assert [p.post_id for p in other.posts] == ["p2"]
    assert (other.service_hours, other.attended) == (3.0, 2)


def test_an_elder_who_joined_the_same_team_twice_has_both_memberships_shown(visits):
    teams.form(visits, "t1", "xinhua", "culture_sports", "dance", "舞蹈队", date(2026, 1, 1))
    teams.join(visits, "t1", ONE, date(2026, 2, 1))
    teams.leave(visits, "t1", "elder:e-1", date(2026, 3, 1), "出远门")
    teams.join(visits, "t1", AS_VOLUNTEER, date(2026, 5, 1))
    page = elder_activities(visits, "e-1")
    assert [(t.joined_on, t.left_on) for t in page.teams] == [
        (date(2026, 2, 1), date(2026, 3, 1)),
        (date(2026, 5, 1), None),
    ]


def test_an_elder_who_took_part_in_nothing_has_an_empty_page(visits):
    teams.form(visits, "t1", "xinhua", "culture_sports", "dance", "舞蹈队", date(2026, 1, 1))
    teams.join(visits, "t1", TWO, date(2026, 2, 1))
    assert elder_activities(visits, "e-1") == ElderActivities("e-1", "elder:e-1", [], [], [], 0, 0)
