"""The yearly evaluation on the in-memory stores: a half year of two communities counted
exactly into each community's and each worker's card; the records behind a measure; the
district's weights; the cycles allowances announces kept once; and the year frozen at its end,
with a later correction shown beside the frozen card, not in it."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from memory_visits import memory_visits
from test_visits_use_cases import register

from services.visits.domain.config import CommunityStaff
from services.visits.domain.feedback import Feedback
from services.visits.domain.help_requests import HelpRequest
from services.visits.domain.obligations import Obligation
from services.visits.domain.scorecard import COMMUNITY
from services.visits.domain.teams import Team
from services.visits.service_layer import configuration
from services.visits.service_layer.scorecard import (
    community_card,
    count_this_year,
    district_cards,
    freeze_year,
    keep_filing,
    measure_lines,
    set_weights,
)
from shared.clock import FixedClock
from shared.errors import Conflict, NotFound, RuleViolation

NOW = datetime(2026, 6, 10, 4, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.fixture
def visits():
    visits = memory_visits(NOW)
    for community, worker in (("xinhua", "wang"), ("dongfeng", "li")):
        configuration.set_community_staff(visits, CommunityStaff(community, worker, "zhao"))
    register(visits, "e-1", key_target_reasons=["living_alone"], priority_card=True)
    register(visits, "e-2", community="dongfeng")
    due = NOW - 100 * HOUR
    work = [
        # xinhua: three must-visits (one late, one open), two routine (one made)
        ("m1", "xinhua", "mandatory", "met", due - HOUR, "wang"),
        ("m2", "xinhua", "mandatory", "met", due + 30 * HOUR, "wang"),
        ("m3", "xinhua", "mandatory", "open", None, "wang"),
        ("r1", "xinhua", "routine", "met", due - HOUR, "wang"),
        ("r2", "xinhua", "routine", "open", None, "wang"),
        # dongfeng: one must-visit made in time; one of last year, not this year's
        ("m4", "dongfeng", "mandatory", "met", due, "li"),
    ]
    for oid, community, kind, status, met_at, assignee in work:
        obligation = Obligation(
            oid,
            "e-1",
            community,
            kind,
            "test",
            due - 48 * HOUR,
            due,
            due - 48 * HOUR,
            assignee=assignee,
            status=status,
            met_at=met_at,
        )
        visits.obligations.add(obligation)
    last_year = datetime(2025, 12, 20, tzinfo=UTC)
    visits.obligations.add(
        Obligation("m0", "e-2", "dongfeng", "mandatory", "test", last_year, last_year, last_year)
    )
    visits.help_requests.add(
        HelpRequest(
            "h1",
            "e-1",
            "xinhua",
            "hotline",
            "urgent",
            "摔倒",
            "热线",
            due,
            due + 2 * HOUR,
            status="responding",
            responder="wang",
            responded_at=due + HOUR,
        )
    )
    for fid, rating, worker in (("f1", 5, "wang"), ("f2", 2, "wang"), ("f3", 4, "li")):
        community = "xinhua" if worker == "wang" else "dongfeng"
        visits.feedback.add(
            Feedback(
                fid,
                "e-1",
                community,
                "visit",
                None,
                None,
                worker,
                rating,
                "",
                "elder",
                "zhao",
                NOW - HOUR,
            )
        )
    for month, late in (("2026-04", False), ("2026-05", True)):
        data = {
            "cycle_id": f"high_age:{month}",
            "programme": "high_age",
            "month": month,
            "late": late,
            "approved_by": "qian",
        }
        assert keep_filing(visits, data)
        assert not keep_filing(visits, data)  # a second delivery changes nothing
    team = Team("t1", "dongfeng", "volunteer_service", "companionship", "助老队", date(2026, 3, 1))
    visits.activities.teams.add(team)
    return visits


def test_each_community_and_worker_is_counted_exactly(visits):
    cards = district_cards(visits, 2026)
    xinhua, dongfeng = sorted(cards.communities, key=lambda c: c.subject, reverse=True)
    shares = {s.measure: (s.counted, s.lines) for s in xinhua.scores if s.lines}
    assert shares == {
        "must_visits_in_time": (1, 3),
        "no_overdue_work": (3, 5),
        "routine_visits": (1, 2),
        "urgent_help_in_time": (1, 1),
        "reports_on_time": (1, 2),  # April in time, May late: the district's, on every card
        "satisfaction": (1, 2),
        "five_ones": (2, 5),  # its key-target list and a priority card; no guide, no hotline
    }
    # every measure judged, weights 25+10+20+15+10+10+10 = 100: points are shares × weights
    points = {s.measure: s.points for s in xinhua.scores}
    assert points == {
        "must_visits_in_time": 8.3,
        "no_overdue_work": 6.0,
        "routine_visits": 10.0,
        "urgent_help_in_time": 15.0,
        "reports_on_time": 5.0,
        "satisfaction": 5.0,
        "five_ones": 4.0,
    }
    assert xinhua.total == 53.3
    assert {s.measure: (s.counted, s.lines) for s in dongfeng.scores if s.lines} == {
        "must_visits_in_time": (1, 1),
        "no_overdue_work": (1, 1),
        "reports_on_time": (1, 2),
        "satisfaction": (1, 1),
        "five_ones": (1, 5),  # a volunteer team
    }
    workers = {card.subject: card for card in cards.workers}
    assert sorted(workers) == ["li", "wang"]
    wang = workers["wang"].score("satisfaction")
    assert wang is not None and (wang.counted, wang.lines) == (1, 2)
    assert community_card(visits, "xinhua", 2026).communities == [xinhua]


def test_the_records_behind_a_measure_come_with_the_misses_first(visits):
    lines = measure_lines(visits, 2026, "must_visits_in_time", "xinhua")
    assert [(line.record, line.counted) for line in lines][:2] in (
        [("m2", False), ("m3", False)],
        [("m3", False), ("m2", False)],
    )
    assert lines[-1].record == "m1" and lines[-1].counted
    five = measure_lines(visits, 2026, "five_ones", "dongfeng")
    assert [(line.record, line.counted) for line in five][-1] == ("volunteer_team", True)
    assert len(five) == 5 and sum(line.counted for line in five) == 1
    mine = measure_lines(visits, 2026, "satisfaction", "xinhua", worker="wang")
    assert {line.record for line in mine} == {"f1", "f2"}
    with pytest.raises(NotFound):
        measure_lines(visits, 2026, "speed", "xinhua")
    with pytest.raises(RuleViolation):
        measure_lines(visits, 2026, "five_ones", "xinhua", worker="wang")


def test_the_district_sets_the_weights(visits):
    weights = set_weights(visits, {"five_ones": 0, "satisfaction": 30})
    assert (weights["five_ones"], weights["satisfaction"], weights["routine_visits"]) == (0, 30, 20)
    card = community_card(visits, "dongfeng", 2026).communities[0]
    five = card.score("five_ones")
    assert five is not None and five.points == 0 and card.total is not None
    with pytest.raises(RuleViolation):
        set_weights(visits, {"routine_visits": -1})


def test_the_year_is_frozen_at_its_end_and_a_later_correction_shows_beside_it(visits):
    with pytest.raises(RuleViolation):
        freeze_year(visits, 2026, "zhao")
    visits = replace(visits, clock=FixedClock(datetime(2027, 1, 5, tzinfo=UTC)))
    frozen = freeze_year(visits, 2026, "zhao")
    before = frozen.card(COMMUNITY, "xinhua")
    assert before is not None and (frozen.frozen_by, frozen.year) == ("zhao", 2026)
    with pytest.raises(Conflict):
        freeze_year(visits, 2026, "zhao")
    # a must-visit found made in time after all
    m3 = visits.obligations.require("m3")
    visits.obligations.save(m3, replace(m3, status="met", met_at=m3.due_at - HOUR))
    now = district_cards(visits, 2026, fresh=True)
    after = next(c for c in now.communities if c.subject == "xinhua")
    assert now.frozen == frozen and now.frozen.card(COMMUNITY, "xinhua") == before
    assert after.total is not None and before.total is not None and after.total > before.total


def test_the_districts_cards_are_read_as_last_counted_and_weighed_as_now(visits):
    first = district_cards(visits, 2026)  # never counted: counted now
    kept_count = visits.scorecard_counts.get("2026")
    assert kept_count is not None and kept_count.counted_at == first.counted_at == NOW
    m3 = visits.obligations.require("m3")
    visits.obligations.save(m3, replace(m3, status="met", met_at=m3.due_at - HOUR))
    later = replace(visits, clock=FixedClock(NOW + HOUR))
    kept = district_cards(later, 2026)
    assert kept.communities == first.communities and kept.counted_at == NOW
    set_weights(later, {"five_ones": 0})
    weighed = next(c for c in district_cards(later, 2026).communities if c.subject == "xinhua")
    five = weighed.score("five_ones")
    assert five is not None and five.points == 0  # the count as it was, the weights of now
    count_this_year(later)
    counted = district_cards(later, 2026)
    assert counted.counted_at == NOW + HOUR
    xinhua = next(c for c in counted.communities if c.subject == "xinhua")
    must = xinhua.score("must_visits_in_time")
    assert must is not None and (must.counted, must.lines) == (2, 3)
