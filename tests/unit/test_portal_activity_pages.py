"""The workbench's activity pages, in the parts that need no running service: visits' figures
of a small year (counted by the domain) drawn as bars per community and per kind of activity,
each table's total row agreeing with its rows and the bars scaled to the longest; and the
rules' refusals said in Chinese."""

from datetime import date

import pytest
from test_activity_rules import AT, TODAY, calligraphy, dance_team, person, room

from portal.activity_figures import charts
from portal.messages import in_language
from services.visits.domain import courses, occasions, teams, volunteering
from services.visits.domain.activity_figures import Period, Records, figures
from shared.errors import Conflict, RuleViolation

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
NAMES = {"c01": "一社区", "c02": "二社区"}


def a_small_year() -> dict:
    """c01: a dance team of two, a singing party that two came to, a calligraphy session that
    one came to, 3.5 hours on patrol; c02: a team of one and an open sports day of 150."""
    dance = dance_team()
    for who in ("e1", "e2"):
        dance = teams.join(dance, person(who), date(2026, 2, 1), TODAY).after
    other = teams.join(
        dance_team("t3", "c02"), person("e9", community="c02"), date(2026, 3, 1), TODAY
    ).after
    course = courses.enrol(calligraphy(capacity=None), person("e1"), date(2026, 3, 1)).after
    held = occasions.hold_session("s1", course, date(2026, 3, 2), None, "wang").after
    session = occasions.attend(held, [person("e1")], course, TODAY, "wang", AT).change.after
    party = occasions.hold_activity(
        "a1", "c01", "重阳联欢", "singing", date(2026, 10, 29), "wang", team=dance
    ).after
    party = occasions.attend(
        party, [person("e2"), person("e5")], None, TODAY, "wang", AT
    ).change.after
    games = occasions.hold_activity(
        "a2", "c02", "老年人体育运动会", "sports", date(2026, 9, 9), "wang", head_count=150
    ).after
    patrol = volunteering.serve(
        "h1", person("e1"), "c01", "public_order", date(2026, 5, 2), 3.5, TODAY, "wang"
    )
    records = Records(
        teams=[dance, other],
        courses=[course],
        occasions=[session, party, games],
        hours=[patrol],
        venues=[room(), room("v2", "c02")],
    )
    return {
        "district": figures(records, YEAR),
        "communities": [{"community": c, **figures(records.of(c), YEAR)} for c in NAMES],
    }


def test_person_times_are_drawn_per_community_and_add_up_to_the_district(chinese):
    drawn = {c.key: c for c in charts(a_small_year(), NAMES)}
    rows = {key: values for key, _label, values in drawn["person-times"].rows}
    assert rows["c01"] == {"activities": 2, "sessions": 1, "person_times": 3, "people": 3}
    assert rows["c02"] == {"activities": 150, "sessions": 0, "person_times": 150, "people": 1}
    assert rows["district"]["person_times"] == 153
    bars = {bar.key: bar for bar in drawn["person-times"].bars}
    assert set(bars) == {"c01", "c02"}  # the total is in the table, not drawn
    assert bars["c02"].segments[0].width == 100
    assert [s.category for s in bars["c01"].segments] == ["activities", "sessions"]
    assert bars["c01"].total == 3
    assert drawn["person-times"].total_column == "person_times"


def test_the_kinds_of_activity_are_in_the_vocabularys_order_and_total_to_the_person_times(
    chinese,
):
    kinds = next(c for c in charts(a_small_year(), NAMES) if c.key == "activity-kinds")
    assert [(key, label) for key, label, _values in kinds.rows] == [
        ("singing", "歌咏"),
        ("calligraphy", "书法"),
        ("sports", "体育运动"),
        ("district", "合计"),
    ]
    *each, (_key, _label, total) = kinds.rows
    assert total["person_times"] == sum(v["person_times"] for _k, _l, v in each) == 153
    assert total["sessions"] == 1 and total["courses"] == 1 and total["held"] == 2
    assert kinds.row_heading == "活动类别"


def test_teams_hours_and_venues_are_counted_per_community(chinese):
    drawn = {c.key: {k: v for k, _l, v in c.rows} for c in charts(a_small_year(), NAMES)}
    assert drawn["teams"]["c01"] == {"culture_sports": 1, "teams": 1, "members": 2}
    assert drawn["teams"]["district"]["members"] == 3
    assert drawn["volunteer-hours"]["c01"] == {"public_order": 3.5, "hours": 3.5, "people": 1}
    assert drawn["volunteer-hours"]["c02"]["hours"] == 0
    assert drawn["venues"]["district"] == {
        "activity_room": 2,
        "venues": 2,
        "area_m2": 120.0,
        "periodicals": 0,
    }


def refusal(act) -> str:
    with pytest.raises((RuleViolation, Conflict)) as refused:
        act()
    return str(refused.value)


def test_the_rules_refusals_are_said_in_chinese(chinese):
    one_place = courses.enrol(calligraphy(capacity=1), person("e1"), date(2026, 3, 1)).after
    dead = person("e2", died_on=date(2026, 3, 5))
    team = teams.join(dance_team(), person("e1"), date(2026, 2, 1), TODAY).after
    said = [
        in_language(refusal(lambda: courses.enrol(one_place, person("e2"), date(2026, 3, 2)))),
        in_language(refusal(lambda: courses.enrol(one_place, person("e1"), date(2026, 3, 2)))),
        in_language(refusal(lambda: teams.join(team, person("e1"), date(2026, 3, 1), TODAY))),
        in_language(refusal(lambda: dead.check_present(date(2026, 3, 6)))),
        in_language(
            refusal(lambda: occasions.hold_session("s", one_place, date(2026, 7, 1), None, "w"))
        ),
    ]
    assert said == [
        "书法班已报满：1 个名额已全部报满。",
        "老人e1已报名书法班。",
        "老人e1已是舞蹈队的成员。",
        "老人e2已于 2026-03-05 去世，此后不能再登记。",
        "书法班的起止日期为 2026-03-01 至 2026-06-30，2026-07-01 不在其内。",
    ]
