"""The yearly evaluation's rules: which records are lines of which measure and why one does not
count; points shared among the measures that judged something, in proportion to their
weights; a worker's card; and the year frozen once, after it ends."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.visits.domain.feedback import Feedback
from services.visits.domain.filings import Filing, due_on, report_day
from services.visits.domain.help_requests import HelpRequest
from services.visits.domain.obligations import Obligation
from services.visits.domain.scorecard import (
    COMMUNITY,
    DISTRICT,
    WORKER,
    Line,
    check_weights,
    community_cards,
    freeze,
    scorecard,
    weights_of,
    worker_cards,
)
from services.visits.domain.scorecard_lines import (
    five_ones_lines,
    help_lines,
    obligation_lines,
    rating_lines,
    report_lines,
)
from shared.errors import Conflict, RuleViolation

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 10, 4, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def work(oid: str, kind: str, due: datetime, **fields) -> Obligation:
    return Obligation(
        oid, "e-" + oid, "xinhua", kind, "test", due - 48 * HOUR, due, due - 48 * HOUR, **fields
    )


def test_visit_work_is_judged_once_its_deadline_passed_and_says_why_it_lost():
    due = NOW - 72 * HOUR
    lines = obligation_lines(
        [
            work("m1", "mandatory", due, status="met", met_at=due - HOUR, assignee="wang"),
            work("m2", "mandatory", due, status="met", met_at=due + 26 * HOUR, assignee="wang"),
            work("m3", "mandatory", due, trigger="hospitalised", assignee="li"),
            work("m4", "mandatory", NOW + HOUR, assignee="li"),  # not due yet: no line
            work("r1", "routine", due, status="met", met_at=due - HOUR),
            work("r2", "routine", due, status="cancelled"),  # cancelled: no line
            work("r3", "routine", due),
        ],
        NOW,
        ZONE,
    )
    by = {(line.measure, line.record): line for line in lines}
    assert sorted(r for m, r in by if m == "must_visits_in_time") == ["m1", "m2", "m3"]
    assert sorted(r for m, r in by if m == "routine_visits") == ["r1", "r3"]
    assert sorted(r for m, r in by if m == "no_overdue_work") == ["m1", "m2", "m3", "r1", "r3"]
    assert by["must_visits_in_time", "m1"].counted and by["must_visits_in_time", "m1"].why == ""
    assert by["must_visits_in_time", "m2"].why == "超过期限 1 天 2 小时 才走访"
    assert by["must_visits_in_time", "m3"].why == "未走访，已过期限 3 天 0 小时"
    assert "住院" in by["must_visits_in_time", "m3"].label  # the trigger, in the office's word
    assert (by["no_overdue_work", "m2"].counted, by["no_overdue_work", "m3"].counted) == (
        True,
        False,
    )
    assert not by["routine_visits", "r3"].counted and by["routine_visits", "r3"].why == "未走访"
    assert by["must_visits_in_time", "m3"].worker == "li"
    # the deadline is shown in the district's time: 72 h before 12:00 in Shanghai
    assert by["must_visits_in_time", "m3"].label.endswith("2026-06-07 12:00")


def request(rid: str, urgency: str, responded: datetime | None, by: datetime) -> HelpRequest:
    return HelpRequest(
        rid,
        "e-1",
        "xinhua",
        "hotline",
        urgency,
        "摔倒",
        "热线",
        by - 2 * HOUR,
        by,
        responder="wang" if responded else None,
        responded_at=responded,
    )


def test_only_urgent_requests_whose_response_time_passed_are_judged():
    before = NOW - 5 * HOUR
    lines = help_lines(
        [
            request("h1", "urgent", before - HOUR, before),
            request("h2", "urgent", before + 3 * HOUR, before),
            request("h3", "urgent", None, before),
            request("h4", "urgent", None, NOW + HOUR),  # still within its time
            request("h5", "normal", None, before),  # not urgent
        ],
        NOW,
        ZONE,
    )
    assert [(line.record, line.counted) for line in lines] == [
        ("h1", True),
        ("h2", False),
        ("h3", False),
    ]
    assert lines[1].why == "超过响应时限 3 小时 才响应" and lines[1].worker == "wang"
    assert lines[2].why == "未响应，已超过响应时限 5 小时" and lines[2].worker is None


def test_ratings_count_when_satisfied():
    given = [
        Feedback(f"f{r}", "e-1", "xinhua", "visit", None, None, "wang", r, "", "elder", "li", NOW)
        for r in (5, 4, 3, 1)
    ]
    lines = rating_lines(given, ZONE)
    assert [line.counted for line in lines] == [True, True, False, False]
    assert lines[3].why == "不满意" and "1 分（很不满意）" in lines[3].label


def test_each_months_report_from_the_first_filed_counts_when_in_by_the_day():
    filings = [
        Filing("high_age:2026-02", "high_age", "2026-02", False, "zhao"),
        Filing("high_age:2026-03", "high_age", "2026-03", True, "zhao"),
        Filing("high_age:2026-05", "high_age", "2026-05", False, "zhao"),
        Filing("home_care_voucher:2026-05", "home_care_voucher", "2026-05", False, "zhao"),
    ]
    lines = report_lines(filings, 2026, date(2026, 6, 10))
    got = {line.record: (line.counted, line.why) for line in lines}
    # January is before the district's first high-age cycle, and June's day has not come
    assert got == {
        "high_age:2026-02": (True, ""),
        "high_age:2026-03": (False, "逾期报送"),
        "high_age:2026-04": (False, "未报送"),
        "high_age:2026-05": (True, ""),
        "home_care_voucher:2026-05": (True, ""),
    }
    assert {line.community for line in lines} == {DISTRICT}
    after_the_day = report_lines(filings, 2026, date(2026, 6, 26))
    assert ("high_age:2026-06", False) in {(line.record, line.counted) for line in after_the_day}


def test_the_report_day_is_allowances_as_its_cycles_announced_it():
    """The district moved its report day to the 20th in April: a month not handed in is late
    from the day its cycles last announced, not from the 25th."""
    filings = [
        Filing("high_age:2026-03", "high_age", "2026-03", False, "zhao", date(2026, 3, 25)),
        Filing("high_age:2026-04", "high_age", "2026-04", True, "zhao", date(2026, 4, 20)),
    ]
    assert report_day(filings) == 20
    assert (due_on("2026-03", filings), due_on("2026-05", filings)) == (
        date(2026, 3, 25),  # as its cycle was due
        date(2026, 5, 20),
    )
    lines = report_lines(filings, 2026, date(2026, 5, 21))
    assert ("high_age:2026-05", False, "未报送") in {(x.record, x.counted, x.why) for x in lines}
    assert report_day([]) == report_day(filings[:0]) == 25  # before any cycle said
    earlier = [Filing("high_age:2026-01", "high_age", "2026-01", False, "zhao")]
    assert due_on("2026-02", earlier) == date(2026, 2, 25)  # told no day: the field's 25th


def test_the_five_ones_say_which_is_missing():
    lines = five_ones_lines("xinhua", {"key_target_list": True, "hotline": True})
    assert [line.counted for line in lines] == [True, False, False, True, False]
    assert lines[2].why == "没有在册老人持有优先服务卡"


def line(measure: str, counted: bool, community: str = "xinhua", worker: str | None = None):
    return Line(measure, community, "r", "", counted, "", worker)


def test_points_are_shared_among_the_measures_that_judged_something():
    weights = weights_of({})
    lines = [
        *[line("must_visits_in_time", c) for c in (True, True, True, False)],  # 75 %
        *[line("routine_visits", c) for c in (True, False)],  # 50 %
        line("satisfaction", True),  # 100 %
    ]
    card = scorecard(COMMUNITY, "xinhua", lines, weights)
    judged = 25 + 20 + 10
    must = card.score("must_visits_in_time")
    assert must is not None and (must.counted, must.lines, must.share) == (3, 4, 75.0)
    assert must.points == round(100 * 25 * 0.75 / judged, 1)
    help_ = card.score("urgent_help_in_time")
    assert help_ is not None and help_.points is None and help_.share is None
    assert card.total == round(100 * (25 * 0.75 + 20 * 0.5 + 10) / judged, 1) == 70.5
    # the total is the points shown added up, so that the card explains itself
    assert card.total == round(sum(s.points for s in card.scores if s.points is not None), 1)
    assert scorecard(COMMUNITY, "empty", [], weights).total is None


def test_the_district_weights_and_a_weight_of_nought_drop_a_measure():
    weights = weights_of({"must_visits_in_time": 0, "routine_visits": 40})
    lines = [line("must_visits_in_time", False), line("routine_visits", True)]
    assert scorecard(COMMUNITY, "xinhua", lines, weights).total == 100.0
    with pytest.raises(RuleViolation):
        check_weights({"speed": 10})
    with pytest.raises(RuleViolation):
        check_weights({"routine_visits": 101})
    with pytest.raises(RuleViolation):
        check_weights({"routine_visits": True})
    with pytest.raises(RuleViolation):
        check_weights(dict.fromkeys(weights, 0))


def test_every_community_card_carries_the_districts_reports_and_a_worker_only_their_measures():
    weights = weights_of({})
    lines = [
        line("reports_on_time", False, DISTRICT),
        line("routine_visits", True, "xinhua", "wang"),
        line("routine_visits", False, "dongfeng", "wang"),
        line("five_ones", True, "dongfeng"),
    ]
    xinhua, dongfeng = community_cards(lines, ["xinhua", "dongfeng"], weights)[::-1]
    assert xinhua.subject == "xinhua" and dongfeng.subject == "dongfeng"
    for card in (xinhua, dongfeng):
        reports = card.score("reports_on_time")
        assert reports is not None and (reports.counted, reports.lines) == (0, 1)
    [wang] = worker_cards(lines, weights)
    assert (wang.kind, wang.subject) == (WORKER, "wang")
    assert {s.measure for s in wang.scores} == {
        "must_visits_in_time",
        "no_overdue_work",
        "routine_visits",
        "urgent_help_in_time",
        "satisfaction",
    }
    assert wang.total == 50.0


def test_a_year_is_frozen_once_and_only_after_it_ends():
    cards = [scorecard(COMMUNITY, "xinhua", [line("routine_visits", True)], weights_of({}))]
    with pytest.raises(RuleViolation):
        freeze(2026, cards, weights_of({}), "zhao", NOW, date(2026, 12, 31), None)
    frozen = freeze(2026, cards, weights_of({}), "zhao", NOW, date(2027, 1, 1), None).after
    assert frozen.card(COMMUNITY, "xinhua") == cards[0] and frozen.year_id == "2026"
    with pytest.raises(Conflict):
        freeze(2026, cards, weights_of({}), "zhao", NOW, date(2027, 1, 2), frozen)
