"""Home-care vouchers: issued with an approved cycle, redeemed once by the elder's provider."""

from datetime import UTC, date, datetime

import pytest

from services.allowances.domain.elder import Elder
from services.allowances.domain.stops import stop_of
from services.allowances.domain.vouchers import Voucher, redeem
from shared.errors import Conflict, RuleViolation

AT = datetime(2026, 11, 20, 2, tzinfo=UTC)
TODAY = date(2026, 11, 20)
VOUCHER = Voucher("home_care_voucher:2026-11:e-1", "e-1", "c01", "2026-11", 6000, "approved")


def use(voucher=VOUCHER, elder_id="e-1", today=TODAY, stop=None, served_on=None):
    served_on = served_on or today
    return redeem(
        voucher, elder_id, "安康家政", "housekeeping", served_on, "officer", AT, today, 3, stop
    )


def test_a_voucher_is_redeemed_for_its_face_value_once():
    redemption = use()
    assert (redemption.amount_fen, redemption.provider, redemption.redeemed_on) == (
        6000,
        "安康家政",
        TODAY,
    )
    spent = Voucher(**{**VOUCHER.__dict__, "redemption": redemption})
    assert spent.status(TODAY, 3, None) == "redeemed"
    with pytest.raises(Conflict, match="already redeemed on 2026-11-20 by 安康家政"):
        use(spent)


def test_another_elders_voucher_is_refused_before_anything_else():
    with pytest.raises(RuleViolation, match="issued to another elder"):
        use(elder_id="e-2")


def test_a_voucher_of_an_unapproved_cycle_is_not_issued():
    draft = Voucher(**{**VOUCHER.__dict__, "cycle_state": "reviewed"})
    assert draft.status(TODAY, 3, None) == "not_issued"
    with pytest.raises(Conflict, match="not issued"):
        use(draft)


def test_vouchers_are_void_from_the_stop_month_and_expire_after_their_validity():
    dead = Elder(
        "e-1", "周玉兰", date(1940, 1, 1), "c01", 2, status="deceased", died_on=date(2026, 10, 12)
    )
    with pytest.raises(RuleViolation, match="void: the elder died on 2026-10-12"):
        use(stop=stop_of(dead, "month_after"))
    late = Elder(
        "e-1", "周玉兰", date(1940, 1, 1), "c01", 2, status="deceased", died_on=date(2026, 11, 12)
    )
    # its month was payable, for a service before the death
    assert use(stop=stop_of(late, "month_after"), served_on=date(2026, 11, 10)).amount_fen == 6000
    assert VOUCHER.status(date(2027, 1, 31), 3, None) == "issued"
    assert VOUCHER.status(date(2027, 2, 1), 3, None) == "expired"
    with pytest.raises(RuleViolation, match="expired after 2027-01"):
        use(today=date(2027, 2, 1))
    with pytest.raises(RuleViolation, match="not yet"):
        use(today=date(2026, 10, 30))


def elder_stopped(**stop) -> Elder:
    status = "deceased" if "died_on" in stop else "moved_out"
    return Elder("e-1", "周玉兰", date(1940, 1, 1), "c01", 2, status=status, **stop)


def test_a_redemption_carries_its_service_day():
    redemption = use(served_on=date(2026, 11, 3))
    assert (redemption.served_on, redemption.redeemed_on) == (date(2026, 11, 3), TODAY)


def test_no_service_after_the_elders_death_or_move_out_is_paid_with_a_voucher():
    dead = stop_of(elder_stopped(died_on=date(2026, 11, 12)), "month_after")
    assert use(stop=dead, served_on=date(2026, 11, 12)).served_on == date(2026, 11, 12)
    with pytest.raises(RuleViolation, match="died on 2026-11-12: no service on 2026-11-13"):
        use(stop=dead, served_on=date(2026, 11, 13))
    moved = stop_of(elder_stopped(moved_out_on=date(2026, 11, 5)), "month_after")
    with pytest.raises(RuleViolation, match="moved out of the district on 2026-11-05"):
        use(stop=moved, served_on=date(2026, 11, 6))


def test_the_service_day_is_within_the_vouchers_months_and_not_ahead():
    with pytest.raises(RuleViolation, match="in the future"):
        use(served_on=date(2026, 11, 21))
    with pytest.raises(RuleViolation, match="from 2026-11 through 2027-01, not one on 2026-10-31"):
        use(served_on=date(2026, 10, 31))
    assert use(today=date(2027, 1, 31), served_on=date(2027, 1, 31)).amount_fen == 6000
