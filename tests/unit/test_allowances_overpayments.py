"""Overpayments: what was paid for months from a stop on, to the fen, and its recovery."""

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from services.allowances.domain.elder import Elder
from services.allowances.domain.overpayments import overpayments
from services.allowances.domain.programmes import HighAgeProgramme, VoucherProgramme
from services.allowances.domain.roll import LineItem, roll_line
from services.allowances.domain.stops import stop_of
from shared.months import add_months

AT = datetime(2026, 12, 2, 2, tzinfo=UTC)
ALIVE = Elder("e-1", "张桂芳", date(1940, 5, 5), "c01", 1, home_care=True)


def paid(month: str, programme=None, corrections=()):
    programme = programme or HighAgeProgramme()
    code = "home_care_voucher" if isinstance(programme, VoucherProgramme) else "high_age"
    assessed = programme.assess(ALIVE, month, "month_after")
    return roll_line(f"{code}:{month}", code, month, ALIVE, assessed, corrections)


def died(on: date) -> Elder:
    return Elder("e-1", "张桂芳", date(1940, 5, 5), "c01", 2, status="deceased", died_on=on)


def test_a_death_after_a_paid_month_gives_the_exact_overpayment():
    lines = [paid("2026-08"), paid("2026-09"), paid("2026-10")]
    stop = stop_of(died(date(2026, 8, 20)), "month_after")  # August is still payable
    found = overpayments(stop, lines, AT)
    assert [(o.cycle_id, o.months, o.amount_fen) for o in found] == [
        ("high_age:2026-09", ("2026-09",), 10_000),
        ("high_age:2026-10", ("2026-10",), 10_000),
    ]
    assert found[0].overpayment_id == "e-1:deceased:high_age:2026-09"
    assert found[0].detail == "died on 2026-08-20; payable through 2026-08"
    recovery = found[0].recovery()
    assert (recovery.rule, recovery.amount_fen, recovery.ref) == (
        "overpayment.recovery",
        -10_000,
        "e-1:deceased:high_age:2026-09",
    )
    under_event_month = stop_of(died(date(2026, 8, 20)), "event_month")
    assert sum(o.amount_fen for o in overpayments(under_event_month, lines, AT)) == 30_000


def test_back_pay_for_months_after_the_stop_counts_but_recoveries_and_vouchers_do_not():
    line = paid(
        "2026-10",
        corrections=[
            LineItem("high_age.back_pay", "2026-08", 10_000, "back pay"),
            LineItem("high_age.back_pay", "2026-09", 10_000, "back pay"),
            LineItem("overpayment.recovery", "2026-07", -10_000, "earlier", "o-0"),
        ],
    )
    found = overpayments(stop_of(died(date(2026, 8, 31)), "month_after"), [line], AT)
    assert [(o.months, o.amount_fen) for o in found] == [(("2026-09", "2026-10"), 20_000)]
    voucher = paid("2026-10", VoucherProgramme())
    assert overpayments(stop_of(died(date(2026, 8, 31)), "month_after"), [voucher], AT) == []


def test_a_move_out_of_the_district_is_its_own_cause():
    moved = Elder(
        "e-1",
        "张桂芳",
        date(1940, 5, 5),
        "c01",
        2,
        status="moved_out",
        moved_out_on=date(2026, 9, 30),
    )
    found = overpayments(stop_of(moved, "month_after"), [paid("2026-09"), paid("2026-10")], AT)
    assert [(o.overpayment_id, o.amount_fen) for o in found] == [
        ("e-1:moved_out:high_age:2026-10", 10_000)
    ]


@given(st.integers(0, 12), st.integers(1, 28), st.sampled_from(["month_after", "event_month"]))
def test_the_overpayment_is_every_paid_month_from_the_stop_month_on(paid_months, day, rule):
    months = [add_months("2026-01", n) for n in range(paid_months)]
    death = date(2026, 3, day)
    found = overpayments(stop_of(died(death), rule), [paid(m) for m in months], AT)
    first_unpaid = "2026-04" if rule == "month_after" else "2026-03"
    assert sum(o.amount_fen for o in found) == 10_000 * len(
        [m for m in months if m >= first_unpaid]
    )
