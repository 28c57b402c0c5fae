"""Help beyond a visit, without a server: a referral names to whom and why, and is concluded
once with what came of it; relief is raised gift by gift and handed over, never more than is
held, and a gift or a handover sent twice is one."""

from datetime import date, timedelta

import pytest

from services.visits.domain import referrals as rules
from services.visits.domain.referrals import Gift, Handover
from shared.errors import Conflict, RuleViolation

TODAY = date(2026, 12, 6)


def test_a_referral_is_concluded_once_with_what_came_of_it():
    referral = rules.refer(
        "r1", "h1", "e1", "c01", "legal_helper", "区法律援助中心", "赡养纠纷", "wang", TODAY, TODAY
    ).after
    done = rules.conclude(referral, "已调解，子女按月付赡养费", TODAY, TODAY).after
    assert (done.status, done.concluded_on) == ("concluded", TODAY)
    with pytest.raises(Conflict):
        rules.conclude(done, "again", TODAY, TODAY)
    with pytest.raises(RuleViolation):
        rules.conclude(referral, "x", TODAY - timedelta(days=1), TODAY)  # before the referral
    for wrong in ({"kind": "police"}, {"referred_to": " "}, {"on": TODAY + timedelta(days=1)}):
        asked = {"kind": "department", "referred_to": "民政科", "on": TODAY} | wrong
        with pytest.raises(RuleViolation):
            rules.refer("r2", "h1", "e1", "c01", reason="困难", by="wang", today=TODAY, **asked)


def test_relief_is_handed_over_never_more_than_is_held_and_once_per_id():
    relief = rules.open_relief("f1", "h1", "e1", "c01", "火灾后重建").after
    for n, (by, fen) in enumerate((("共建单位某公司", 200_000), ("居民捐款", 150_050))):
        change = rules.receive_gift(relief, Gift(f"g{n}", by, fen, TODAY), TODAY)
        assert change is not None
        relief = change.after
    assert rules.receive_gift(relief, Gift("g0", "居民捐款", 1, TODAY), TODAY) is None
    assert relief.raised_fen == 350_050
    given = rules.hand_over(relief, Handover("o1", 300_000, TODAY, "wang", "老人本人"), TODAY)
    assert given is not None
    relief = given.after
    assert (relief.handed_over_fen, relief.held_fen) == (300_000, 50_050)
    assert rules.hand_over(relief, Handover("o1", 300_000, TODAY, "wang", "x"), TODAY) is None
    with pytest.raises(RuleViolation):
        rules.hand_over(relief, Handover("o2", 50_051, TODAY, "wang", "老人本人"), TODAY)
    with pytest.raises(RuleViolation):
        rules.receive_gift(relief, Gift("g9", "某人", 0, TODAY), TODAY)
