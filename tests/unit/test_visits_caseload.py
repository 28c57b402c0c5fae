from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.visits.domain.caseload import Load, caseload

NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)
END_OF_TODAY = datetime(2026, 11, 29, 16, 0, tzinfo=UTC)


def test_caseloads_count_open_overdue_and_due_today_most_overdue_first():
    hour = timedelta(hours=1)
    work = [
        ("wang", NOW - hour),
        ("wang", NOW + hour),
        ("wang", NOW + 24 * hour),
        ("zhao", NOW + 2 * hour),
        (None, NOW - 2 * hour),
        (None, NOW - hour),
    ]
    assert caseload(work, NOW, END_OF_TODAY) == [
        Load(None, open=2, overdue=2, due_today=0),
        Load("wang", open=3, overdue=1, due_today=1),
        Load("zhao", open=1, overdue=0, due_today=1),
    ]


@given(st.lists(st.tuples(st.sampled_from(["a", "b", None]), st.integers(-100, 100))))
def test_each_obligation_is_counted_once_and_never_both_overdue_and_due_today(rows):
    work = [(key, NOW + timedelta(hours=h)) for key, h in rows]
    loads = caseload(work, NOW, END_OF_TODAY)
    assert sum(load.open for load in loads) == len(rows)
    assert all(load.overdue + load.due_today <= load.open for load in loads)
