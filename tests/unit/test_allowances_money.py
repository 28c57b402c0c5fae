"""Money: whole fen, never rounded, and never more than any single amount may be."""

from datetime import UTC, date, datetime

import pytest

from services.allowances.domain.adjustments import record_adjustment
from services.allowances.domain.money import MAX_FEN, check_fen, yuan
from services.allowances.domain.programmes import (
    BandAmount,
    FestivalCampaign,
    HighAgeProgramme,
    VoucherProgramme,
)
from shared.errors import RuleViolation

HUGE = 10**20


def test_an_amount_up_to_the_ceiling_is_taken_as_it_is():
    assert check_fen(MAX_FEN, "amount_fen") == MAX_FEN
    assert check_fen(-MAX_FEN, "amount_fen", allow_negative=True) == -MAX_FEN
    assert yuan(MAX_FEN) == "10000.00"


@pytest.mark.parametrize("amount", [MAX_FEN + 1, HUGE, -MAX_FEN - 1, -HUGE])
def test_an_amount_over_the_ceiling_is_refused_either_way(amount):
    with pytest.raises(RuleViolation, match=r"at most 1000000 fen \(10000\.00 yuan\)"):
        check_fen(amount, "amount_fen", allow_negative=True)


def test_every_amount_a_district_sets_is_bounded():
    with pytest.raises(RuleViolation, match="at most"):
        HighAgeProgramme(
            (BandAmount("80-89", 10_000), BandAmount("90-99", HUGE), BandAmount("100+", 60_000))
        )
    with pytest.raises(RuleViolation, match="at most"):
        VoucherProgramme(amount_fen=HUGE)
    with pytest.raises(RuleViolation, match="at most"):
        FestivalCampaign("spring", "春节", date(2027, 2, 6), HUGE)


def test_an_adjustment_is_bounded_too():
    with pytest.raises(RuleViolation, match="at most"):
        record_adjustment(
            "a-1",
            "high_age",
            "e-1",
            "2026-08",
            -HUGE,
            "typo",
            "officer",
            datetime(2026, 9, 1, tzinfo=UTC),
            date(2026, 9, 1),
        )
