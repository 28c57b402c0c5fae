"""The rules of learning, activities and teams, without a store: one person however named,
nothing recorded after a death or a move away, sessions within their course, places within
capacity, venues and teams of the community's own, attendance once per person and occasion,
and the figures of a small year counted exactly."""

from datetime import UTC, date, datetime

import pytest

from services.visits.domain import courses, occasions, teams, venues, volunteering
from services.visits.domain.activity_figures import Period, Records, figures
from services.visits.domain.courses import CourseTerms
from services.visits.domain.elder import Elder
from services.visits.domain.participants import (
    Volunteer,
    elder_participant,
    volunteer_participant,
)
from services.visits.domain.venues import VenueTerms
from shared.errors import Conflict, RuleViolation

TODAY = date(2026, 12, 6)
AT = datetime(2026, 12, 6, 2, tzinfo=UTC)


def elder(elder_id: str, community: str = "c01", **more) -> Elder:
    return Elder(elder_id, f"老人{elder_id}", "female", date(1950, 1, 1), community, 1, **more)


def person(elder_id: str, **more):
    return elder_participant(elder(elder_id, **more))


def dance_team(team_id: str = "t1", community: str = "c01"):
    return teams.form(
        team_id, community, "culture_sports", "dance", "舞蹈队", date(2026, 1, 1), TODAY
    ).after


def room(venue_id: str = "v1", community: str = "c01"):
    terms = VenueTerms("活动室", area_m2=60.0, capacity=40)
    return venues.open_venue(
        venue_id, community, "activity_room", terms, date(2025, 1, 1), TODAY
    ).after


def calligraphy(capacity: int | None = 2, kind: str = "course"):
    terms = CourseTerms(
        "elder_university",
        kind,
        "calligraphy",
        "书法班",
        date(2026, 3, 1),
        date(2026, 6, 30),
        capacity,
    )
    return courses.plan("k1", "c01", terms, room()).after


def test_an_elder_who_volunteers_is_one_person_however_named():
    registered = elder("e1")
    as_volunteer = volunteer_participant(
        Volunteer("v9", "老人e1", "c01", 1, elder_id="e1"), registered
    )
    assert as_volunteer.person == elder_participant(registered).person == "elder:e1"
    assert as_volunteer.volunteer_id == "v9"
    young = volunteer_participant(Volunteer("v8", "小李", "c01", 1), None)
    assert young.person == "volunteer:v8" and young.gone_on is None


def test_nothing_is_recorded_for_a_person_after_they_died_or_moved_away():
    died = person("e1", status="deceased", died_on=date(2026, 5, 1))
    died.check_present(date(2026, 5, 1))  # the day itself still counts
    with pytest.raises(RuleViolation, match="died on 2026-05-01"):
        died.check_present(date(2026, 5, 2))
    moved = person("e2", status="moved_out", moved_out_on=date(2026, 4, 1))
    with pytest.raises(RuleViolation, match="left the district on 2026-04-01"):
        moved.check_present(date(2026, 4, 2))
    with pytest.raises(RuleViolation, match="merged"):
        person("e3", status="merged")


def test_a_team_takes_a_member_once_and_lets_them_go_on_the_day_they_die():
    team = dance_team()
    team = teams.join(team, person("e1"), date(2026, 2, 1), TODAY).after
    with pytest.raises(Conflict, match="member of 舞蹈队 already"):
        teams.join(team, person("e1"), date(2026, 3, 1), TODAY)
    with pytest.raises(RuleViolation, match="founded on 2026-01-01"):
        teams.join(team, person("e2"), date(2025, 12, 1), TODAY)
    with pytest.raises(RuleViolation, match="died on"):
        teams.join(
            team, person("e3", status="deceased", died_on=date(2026, 1, 5)), date(2026, 2, 1), TODAY
        )
    parted = teams.part_ways(team, "elder:e1", date(2026, 7, 1), "died")
    assert parted is not None
    [membership] = parted.after.members
    assert (membership.left_on, membership.left_because) == (date(2026, 7, 1), "died")
    assert teams.part_ways(parted.after, "elder:e1", date(2026, 8, 1), "died") is None
    rejoined = teams.join(
        parted.after, person("e1"), date(2026, 7, 1), TODAY
    ).after  # a new membership
    assert len(rejoined.members) == 2


def test_a_team_does_what_its_kind_does_and_its_end_ends_every_membership():
    with pytest.raises(RuleViolation, match="not 'dance'"):
        teams.form("t2", "c01", "volunteer_service", "dance", "志愿队", date(2026, 1, 1), TODAY)
    volunteers = teams.form(
        "t2", "c01", "volunteer_service", "public_order", "治安巡逻队", date(2026, 1, 1), TODAY
    ).after
    volunteers = teams.join(volunteers, person("e1"), date(2026, 1, 2), TODAY).after
    ended = teams.end(volunteers, date(2026, 10, 1), "merged with another team").after
    assert ended.status == "ended" and ended.members[0].left_on == date(2026, 10, 1)
    with pytest.raises(RuleViolation, match="takes no more changes"):
        teams.join(ended, person("e2"), date(2026, 10, 2), TODAY)


def test_a_course_fills_to_its_capacity_and_a_lecture_takes_no_enrolment():
    course = calligraphy()
    for n, who in enumerate(("e1", "e2")):
        course = courses.enrol(course, person(who), date(2026, 3, 1 + n)).after
    with pytest.raises(RuleViolation, match="full: 2 of its 2 places"):
        courses.enrol(course, person("e3"), date(2026, 3, 5))
    course = courses.drop(course, "elder:e2", date(2026, 4, 1), "moved to her daughter's").after
    course = courses.enrol(course, person("e3"), date(2026, 4, 2)).after  # a place came free
    assert [e.person for e in course.enrolled()] == ["elder:e1", "elder:e3"]
    with pytest.raises(RuleViolation, match="open to all"):
        courses.enrol(calligraphy(kind="lecture"), person("e1"), date(2026, 3, 1))


def test_a_course_is_held_at_a_venue_of_its_own_community_within_its_dates():
    terms = CourseTerms("community", "course", "dance", "舞蹈", date(2026, 3, 1), date(2026, 3, 31))
    with pytest.raises(RuleViolation, match="venue of c02, not of c01"):
        courses.plan("k2", "c01", terms, room("v2", "c02"))
    with pytest.raises(RuleViolation, match="outside it"):
        occasions.hold_session("o1", calligraphy(), date(2026, 7, 1), None, "wang")
    with pytest.raises(RuleViolation, match="team of c02"):
        occasions.hold_activity(
            "o2", "c01", "联欢", "singing", date(2026, 5, 1), "wang", team=dance_team("t9", "c02")
        )


def test_attendance_is_of_those_enrolled_present_and_named_once_per_occasion():
    course = courses.enrol(calligraphy(), person("e1"), date(2026, 3, 1)).after
    session = occasions.hold_session("o1", course, date(2026, 3, 10), None, "wang").after
    came = occasions.attend(session, [person("e1")], course, TODAY, "wang", AT)
    assert [a.person for a in came.change.after.attendance] == ["elder:e1"]
    again = occasions.attend(came.change.after, [person("e1")], course, TODAY, "li", AT)
    assert (again.recorded, [a.recorded_by for a in again.already]) == ([], ["wang"])
    assert again.change.after == came.change.after  # ticked again: nothing changes
    with pytest.raises(RuleViolation, match="not enrolled"):  # and e1 is not recorded either
        occasions.attend(session, [person("e1"), person("e2")], course, TODAY, "wang", AT)
    dead = person("e1", status="deceased", died_on=date(2026, 3, 9))
    with pytest.raises(RuleViolation, match="died on 2026-03-09"):
        occasions.attend(session, [dead], course, TODAY, "wang", AT)
    open_event = occasions.hold_activity(
        "o3", "c01", "老少同乐", "intergenerational", date(2026, 6, 1), "wang", head_count=120
    ).after
    with pytest.raises(RuleViolation, match="counted by head"):
        occasions.attend(open_event, [person("e1")], None, TODAY, "wang", AT)
    later = occasions.hold_activity(
        "o4", "c01", "联欢", "singing", date(2026, 12, 31), "wang"
    ).after
    with pytest.raises(RuleViolation, match="once it is held"):
        occasions.attend(later, [person("e1")], None, TODAY, "wang", AT)


def test_volunteer_hours_come_in_half_hours_and_posts_are_held_by_elders():
    helper = volunteer_participant(Volunteer("v1", "小王", "c01", 1), None)
    served = volunteering.serve(
        "s1", helper, "c01", "legal_advice", date(2026, 5, 1), 2.5, TODAY, "wang"
    )
    assert (served.person, served.hours) == ("volunteer:v1", 2.5)
    for hours in (0, 0.3, 25):
        with pytest.raises(RuleViolation, match="half hours"):
            volunteering.serve(
                "s2", helper, "c01", "fitness", date(2026, 5, 1), hours, TODAY, "wang"
            )
    with pytest.raises(RuleViolation, match="held by an elder"):
        volunteering.take_post("p1", helper, "c01", "patrol", date(2026, 1, 1), TODAY)
    with pytest.raises(RuleViolation, match="school and class"):
        volunteering.take_post("p1", person("e1"), "c01", "class_pairing", date(2026, 1, 1), TODAY)
    held = volunteering.take_post(
        "p1", person("e1"), "c01", "class_pairing", date(2026, 1, 1), TODAY, "实验小学三(2)班"
    ).after
    ended = volunteering.part_ways(held, date(2026, 9, 1), "died")
    assert ended is not None and ended.after.until == date(2026, 9, 1)


def test_the_figures_of_a_small_year_are_exact():
    year = Period(date(2026, 1, 1), date(2026, 12, 31))
    dance = dance_team()
    for n, who in enumerate(("e1", "e2", "e3")):
        dance = teams.join(dance, person(who), date(2026, 2, 1 + n), TODAY).after
    patrol = teams.form(
        "t2", "c01", "volunteer_service", "public_order", "巡逻队", date(2026, 1, 1), TODAY
    ).after
    patrol = teams.join(
        patrol, person("e1"), date(2026, 2, 1), TODAY
    ).after  # one person, two teams
    other = teams.join(
        dance_team("t3", "c02"), person("e9", community="c02"), date(2026, 3, 1), TODAY
    ).after
    course = calligraphy(capacity=None)
    for who in ("e1", "e4"):
        course = courses.enrol(course, person(who), date(2026, 3, 1)).after
    pupils = [person("e1"), person("e4")]
    sessions = [
        occasions.attend(
            occasions.hold_session(f"s{n}", course, date(2026, 3, n), None, "wang").after,
            pupils,
            course,
            TODAY,
            "wang",
            AT,
        ).change.after
        for n in (2, 9)
    ]
    fair = occasions.hold_activity(
        "a1", "c01", "重阳联欢", "singing", date(2026, 10, 29), "wang", team=dance
    ).after
    fair = occasions.attend(
        fair, [person("e2"), person("e5")], None, TODAY, "wang", AT
    ).change.after
    games = occasions.hold_activity(
        "a2", "c01", "老年人体育运动会", "sports", date(2026, 9, 9), "wang", head_count=150
    ).after
    helper = volunteer_participant(Volunteer("v1", "小王", "c01", 1), None)
    hours = [
        volunteering.serve(
            "h1", helper, "c01", "legal_advice", date(2026, 5, 1), 2.0, TODAY, "wang"
        ),
        volunteering.serve(
            "h2", person("e1"), "c01", "public_order", date(2026, 5, 2), 3.5, TODAY, "wang"
        ),
        volunteering.serve(
            "h3", person("e1"), "c01", "public_order", date(2025, 5, 2), 9.0, TODAY, "wang"
        ),
    ]
    records = Records(
        teams=[dance, patrol, other],
        courses=[course],
        occasions=[*sessions, fair, games],
        hours=hours,
        venues=[room(), room("v2", "c02")],
    )
    mine = figures(records.of("c01"), year)
    assert mine["teams"]["total"] == {"teams": 2, "members": 3}
    assert mine["teams"]["by_kind"] == {
        "culture_sports": {"teams": 1, "members": 3},
        "volunteer_service": {"teams": 1, "members": 1},
    }
    assert mine["courses"]["by_category"]["calligraphy"] == {
        "courses": 1,
        "enrolments": 2,
        "sessions": 2,
        "person_times": 4,
    }
    assert mine["activities"]["total"] == {"held": 2, "open_events": 1, "person_times": 152}
    assert mine["volunteer_service"]["total"] == {"hours": 5.5, "people": 2, "times": 2}
    assert mine["venues"]["total"] == {"venues": 1, "area_m2": 60.0, "periodicals": 0}
    assert mine["person_times"] == 4 + 2 + 150
    assert mine["people_taking_part"] == 5  # e1..e5: e1 once, in two teams and a course
    district = figures(records, year)
    assert district["teams"]["total"] == {"teams": 3, "members": 4}
    assert district["venues"]["total"]["area_m2"] == 120.0
