"""An elder who moved out of the district and came back: nothing is payable, or owed as back
pay, for the time away; the month of the return is paid again. Pure domain, no servers."""

from datetime import date

import pytest

from services.allowances.domain.adjustments import back_pay
from services.allowances.domain.elder import Absence, Elder
from services.allowances.domain.programmes import (
    CycleRules,
    FestivalCampaign,
    HighAgeProgramme,
    Target,
)
from services.allowances.domain.stops import away_in

BACK = Elder(
    "e-1",
    "张桂芳",
    date(1940, 5, 5),
    "c01",
    3,
    low_income=True,
    absences=(Absence(date(2026, 3, 10), date(2026, 6, 20)),),
)


@pytest.mark.parametrize(
    ("rule", "unpaid"),
    [
        ("month_after", ["2026-04", "2026-05"]),  # March still paid, June paid again
        ("event_month", ["2026-03", "2026-04", "2026-05"]),
    ],
)
def test_the_months_away_are_not_payable_and_the_month_of_return_is(rule, unpaid):
    months = [f"2026-{m:02d}" for m in range(2, 8)]
    programme = HighAgeProgramme()
    assessed = {month: programme.assess(BACK, month, rule) for month in months}
    assert [m for m, a in assessed.items() if not a.eligible] == unpaid
    away = assessed[unpaid[0]]
    assert (away.reason, away.detail) == (
        "moved_out",
        "lived outside the district from 2026-03-10 to 2026-06-20",
    )
    assert away_in(BACK, "2026-06", rule) is None


def test_back_pay_after_a_return_never_covers_the_time_away():
    rules = CycleRules(HighAgeProgramme(), "month_after")
    past = {f"2026-{m:02d}": rules for m in range(3, 8)}
    owed = back_pay(BACK, past, paid={"2026-03"}, rolled={})
    assert [item.month for item in owed] == ["2026-06", "2026-07"]


def test_a_festival_while_away_brings_no_gift():
    campaign = FestivalCampaign("dw", "端午", date(2026, 5, 31), 20_000, Target(low_income=True))
    assert campaign.assess(BACK, "2026-05", "month_after").reason == "moved_out"
    spring = FestivalCampaign("cj", "春节", date(2026, 2, 17), 20_000, Target(low_income=True))
    assert spring.assess(BACK, "2026-02", "month_after").eligible
