from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.visits.domain.calendar import start_of_day
from services.visits.domain.elder import Elder
from services.visits.domain.pairings import Pairing, end, pair
from services.visits.domain.routine import home_care_visit, pairing_visits, visit_windows
from shared.errors import Conflict, RuleViolation
from shared.months import first_day, month_of, next_month

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)
ELDER = Elder("e-1", "王秀英", "female", date(1944, 3, 7), "xinhua", 1)


def test_a_home_care_visit_is_due_when_the_districts_month_ends():
    obligation = home_care_visit(ELDER, "2026-11", SHANGHAI, "wang", NOW)
    assert obligation.obligation_id == "routine:e-1:2026-11"
    assert obligation.opens_at == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)  # 1 Nov, 00:00 local
    assert obligation.due_at == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 1 Dec, 00:00 local
    assert (obligation.kind, obligation.source, obligation.assignee) == (
        "routine",
        "home_care",
        "wang",
    )


def test_pairing_visits_share_the_month_and_the_last_is_due_at_its_end():
    pairing = Pairing("p-1", "e-1", "xinhua", "vol-7", "张志愿", "volunteer", 2, date(2026, 1, 5))
    first, second = pairing_visits(pairing, "xinhua", "2026-11", SHANGHAI, NOW)
    assert [first.obligation_id, second.obligation_id] == [
        "pairing:p-1:2026-11:1",
        "pairing:p-1:2026-11:2",
    ]
    assert first.due_at == second.opens_at == start_of_day(date(2026, 11, 16), SHANGHAI)
    assert second.due_at == start_of_day(date(2026, 12, 1), SHANGHAI)
    assert first.assignee == second.assignee == "vol-7"


months = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 1)).map(month_of)


@given(months, st.integers(min_value=1, max_value=8))
def test_visit_windows_cover_the_month_in_order_without_gaps(month, visits):
    windows = visit_windows(month, visits, SHANGHAI)
    assert len(windows) == visits
    assert windows[0][0] == start_of_day(first_day(month), SHANGHAI)
    assert windows[-1][1] == start_of_day(first_day(next_month(month)), SHANGHAI)
    for (opens, due), (next_opens, _) in pairwise(windows):
        assert opens < due == next_opens
    assert all(due - opens >= timedelta(days=3) for opens, due in windows)


def test_months_are_written_year_dash_month():
    assert next_month("2026-12") == "2027-01"
    with pytest.raises(RuleViolation, match="not a month"):
        first_day("2026-13")


def test_a_pairing_visits_one_to_eight_times_a_month_and_ends_once():
    today = date(2026, 11, 29)
    with pytest.raises(RuleViolation, match="1 to 8"):
        pair("p", "e-1", "xinhua", "v", "张", "volunteer", 9, today, today)
    with pytest.raises(RuleViolation, match="partner is one of"):
        pair("p", "e-1", "xinhua", "v", "张", "neighbour", 1, today, today)
    with pytest.raises(RuleViolation, match="future"):
        pair("p", "e-1", "xinhua", "v", "张", "cadre", 1, today + timedelta(days=1), today)
    started = pair("p", "e-1", "xinhua", "v", "张", "cadre", 1, today, today)
    assert started.events == (("pairing.started", {}),)
    ended = end(started.after, "deceased", today).after
    assert (ended.status, ended.end_reason, ended.ended_on) == ("ended", "deceased", today)
    with pytest.raises(Conflict, match="already ended"):
        end(ended, "again", today)
