"""The monthly roster of elders aged 90 and over."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from services.allowances.domain.elder import Elder
from services.allowances.domain.roster import born_by, entry_for, ninety_plus_roster

MONTH = "2026-11"


def elder(elder_id, born, community="c01", **changes) -> Elder:
    return Elder(elder_id, "陈淑珍", born, community, 1, **changes)


def test_the_roster_lists_the_90_plus_those_who_turned_90_and_those_who_died():
    roster = ninety_plus_roster(
        [
            elder("old", date(1930, 1, 1)),
            elder("turns", date(1936, 11, 30)),
            elder("not-yet", date(1936, 12, 1)),
            elder("died", date(1931, 6, 1), "c02", status="deceased", died_on=date(2026, 11, 3)),
            elder("died-89", date(1936, 11, 20), status="deceased", died_on=date(2026, 11, 10)),
            elder("died-before", date(1920, 1, 1), status="deceased", died_on=date(2026, 10, 31)),
            elder("left", date(1925, 1, 1), status="moved_out", moved_out_on=date(2026, 11, 15)),
            elder("merged", date(1925, 1, 1), status="merged"),
        ],
        MONTH,
    )
    assert [e.elder_id for e in roster.aged_90_plus] == ["left", "old", "turns", "died"]
    assert [(e.elder_id, e.turned_90_on) for e in roster.turned_90] == [
        ("turns", date(1936 + 90, 11, 30))
    ]
    assert [(e.elder_id, e.age) for e in roster.died] == [("died", 95)]
    assert [e.elder_id for e in roster.moved_out] == ["left"]
    assert roster.by_community() == {
        "c01": {"aged_90_plus": 3, "turned_90": 1, "died": 0, "moved_out": 1},
        "c02": {"aged_90_plus": 1, "turned_90": 0, "died": 1, "moved_out": 0},
    }
    assert [e.elder_id for e in roster.only("c02").aged_90_plus] == ["died"]


def test_a_29_february_birthday_turns_90_on_1_march_in_a_common_year():
    leap = elder("leap", date(1936, 2, 29))
    assert entry_for(leap, "2026-02") is None
    assert entry_for(leap, "2026-03").turned_90_on == date(2026, 3, 1)


@given(st.dates(date(1900, 1, 1), date(1960, 12, 31)), st.integers(1, 12))
def test_the_query_bound_never_leaves_anyone_out(born, month_number):
    month = f"2026-{month_number:02d}"
    if entry_for(elder("x", born), month) is not None:
        assert born <= born_by(month)
