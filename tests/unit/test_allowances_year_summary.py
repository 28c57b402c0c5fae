"""The high-age part of the year's work summary: the 90+ counted as the year ended, not as
the register stands when the summary is asked for."""

from datetime import date

from services.allowances.domain.elder import Elder
from services.allowances.domain.year_summary import allowances_year

YEAR_END = date(2026, 12, 31)


def elder(elder_id: str, birth: date, **changes) -> Elder:
    return Elder(elder_id, "王秀英", birth, "c01", 1, **changes)


def test_the_90_plus_of_a_past_year_are_those_alive_and_in_the_district_at_its_end():
    elders = [
        elder("alive", date(1930, 3, 1)),
        elder("died-next-year", date(1931, 5, 1), status="deceased", died_on=date(2027, 1, 9)),
        elder(
            "moved-next-year", date(1932, 7, 1), status="moved_out", moved_out_on=date(2027, 2, 1)
        ),
        elder("died-in-the-year", date(1929, 1, 1), status="deceased", died_on=date(2026, 8, 1)),
        elder(
            "moved-in-the-year", date(1930, 1, 1), status="moved_out", moved_out_on=date(2026, 9, 1)
        ),
        elder("turns-90-next-year", date(1937, 1, 2)),
    ]
    year = allowances_year(2026, None, {}, None, elders, YEAR_END)
    assert (year.ninety_plus, year.ninety_plus_died) == (3, 1)
    # as of a day in the year, the four who left after it were still there, beside the one alive
    midsummer = allowances_year(2026, None, {}, None, elders, date(2026, 7, 1))
    assert midsummer.ninety_plus == 5
