"""Home-care vouchers on allowances' stores in memory: a voucher is a paid line of an approved
voucher cycle, found by its id, redeemed once for its face value by the elder's provider, within
the validity its cycle froze and while the elder was alive and in the district."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from memory_allowances import memory_allowances

from services.allowances.domain.elder import Absence
from services.allowances.domain.programmes import VoucherProgramme
from services.allowances.domain.vouchers import Redemption
from services.allowances.service_layer import configuration, cycles, opening, stops
from services.allowances.service_layer.container import Allowances
from services.allowances.service_layer.vouchers import find_voucher, redeem_voucher
from shared.audit import Actor, acting_as
from shared.clock import FixedClock
from shared.errors import Conflict, NotFound, RuleViolation
from shared.events import Event
from shared.memory_stores import MemoryRecords

NOW = datetime(2026, 11, 20, 2, tzinfo=UTC)  # 20 November in the district
TODAY = date(2026, 11, 20)
NOVEMBER = "home_care_voucher:2026-11:e-1"  # e-1's voucher of November


@pytest.fixture
def allowances() -> Allowances:
    district = memory_allowances(NOW)
    for elder_id, community in (("e-1", "c01"), ("e-2", "c02")):
        data = {
            "name": f"老人{elder_id}",
            "birth_date": date(1945, 3, 3),
            "community": community,
            "status": "active",
            "home_care": True,
        }
        district.elders.apply(elder_id, 1, f"ev-{elder_id}", data)
    return district


def issued(allowances: Allowances, month: str = "2026-11") -> str:
    """The month's voucher cycle opened and approved (which issues its vouchers)."""
    cycle = opening.open_cycle(allowances, "home_care_voucher", month, "officer-a")
    cycles.review_cycle(allowances, cycle.cycle_id, "officer-a", None)
    cycles.approve_cycle(allowances, cycle.cycle_id, "approver-b")
    return cycle.cycle_id


def on(allowances: Allowances, at: datetime) -> Allowances:
    return replace(allowances, clock=FixedClock(at))


def redemptions_store(allowances: Allowances) -> MemoryRecords:
    store = allowances.redemptions
    assert isinstance(store, MemoryRecords)
    return store


def test_an_issued_voucher_is_redeemed_once_for_its_face_value(allowances):
    issued(allowances)
    voucher, valid_months, stop = find_voucher(allowances, NOVEMBER)
    assert (voucher.elder_id, voucher.community, voucher.month, voucher.amount_fen) == (
        "e-1",
        "c01",
        "2026-11",
        6_000,
    )
    assert (valid_months, stop, voucher.redemption) == (3, None, None)
    assert voucher.status(TODAY, valid_months, stop) == "issued"

    with acting_as(Actor("clerk-c", "test")):
        redemption = redeem_voucher(
            allowances, NOVEMBER, "e-1", " 安康家政 ", "housekeeping", date(2026, 11, 18), "clerk-c"
        )
    assert (redemption.amount_fen, redemption.provider, redemption.service) == (
        6_000,
        "安康家政",
        "housekeeping",
    )
    assert (redemption.redeemed_on, redemption.served_on, redemption.recorded_by) == (
        TODAY,
        date(2026, 11, 18),
        "clerk-c",
    )
    assert allowances.redemptions.require(NOVEMBER) == redemption
    store = redemptions_store(allowances)
    assert [(line["change"], line["by"]) for line in store.history(NOVEMBER)] == [
        ("redemptions.created", "clerk-c")
    ]
    assert store.announced == []
    found, valid_months, stop = find_voucher(allowances, NOVEMBER)
    assert found.redemption == redemption
    assert found.status(TODAY, valid_months, stop) == "redeemed"

    with pytest.raises(Conflict, match="already redeemed on 2026-11-20 by 安康家政"):
        redeem_voucher(allowances, NOVEMBER, "e-1", "夕阳红", "meals", TODAY, "clerk-d")
    assert len(store.documents) == 1
    assert allowances.redemptions.require(NOVEMBER).provider == "安康家政"
    # the other elder's voucher is a voucher of its own, still to redeem
    other, _, _ = find_voucher(allowances, "home_care_voucher:2026-11:e-2")
    assert (other.community, other.redemption) == ("c02", None)


def test_only_a_voucher_the_district_issued_is_found(allowances):
    away = Absence(date(2026, 9, 10), date(2026, 12, 1))  # away all November
    allowances.elders.apply("e-2", 2, "ev-e-2-away", {"absences": [away]})
    allowances.elders.apply(
        "e-3",
        1,
        "ev-e-3",
        {"name": "老人e-3", "birth_date": date(1940, 1, 1), "community": "c01", "status": "active"},
    )
    issued(allowances)
    opening.open_cycle(allowances, "high_age", "2026-11", "officer-a")
    excluded = allowances.lines.get("home_care_voucher:2026-11:e-2")
    assert excluded is not None and (excluded.eligible, excluded.reason) == (False, "moved_out")
    assert allowances.lines.get("high_age:2026-11:e-3") is not None
    for unknown in (
        "home_care_voucher:2026-11:e-9",  # no such line
        "home_care_voucher:2026-11:e-2",  # her line pays no voucher
        "high_age:2026-11:e-3",  # a line of the cash allowance
    ):
        with pytest.raises(NotFound):
            find_voucher(allowances, unknown)
        with pytest.raises(NotFound):
            redeem_voucher(allowances, unknown, "e-2", "安康家政", "meals", TODAY, "clerk-c")
    assert list(allowances.redemptions.each({})) == []


def test_a_voucher_is_not_issued_before_its_cycle_is_approved(allowances):
    opened = opening.open_cycle(allowances, "home_care_voucher", "2026-11", "officer-a")
    for step in ("open", "reviewed"):
        voucher, valid_months, stop = find_voucher(allowances, NOVEMBER)
        assert (voucher.cycle_state, voucher.status(TODAY, valid_months, stop)) == (
            step,
            "not_issued",
        )
        with pytest.raises(Conflict, match="not issued"):
            redeem_voucher(allowances, NOVEMBER, "e-1", "安康家政", "meals", TODAY, "clerk-c")
        if step == "open":
            cycles.review_cycle(allowances, opened.cycle_id, "officer-a", None)
    cycles.approve_cycle(allowances, opened.cycle_id, "approver-b")
    assert redeem_voucher(allowances, NOVEMBER, "e-1", "安康家政", "meals", TODAY, "clerk-c")


def test_a_claim_must_name_the_voucher_s_elder_a_provider_and_a_service_day(allowances):
    issued(allowances)
    claims: list[tuple[str, str, date, str]] = [
        ("e-2", "安康家政", TODAY, "issued to another elder"),
        ("e-1", "  ", TODAY, "name the provider"),
        ("e-1", "安康家政", date(2026, 11, 21), "in the future"),
        ("e-1", "安康家政", date(2026, 10, 31), "from 2026-11 through 2027-01"),
    ]
    for elder_id, provider, served_on, why in claims:
        with pytest.raises(RuleViolation, match=why):
            redeem_voucher(allowances, NOVEMBER, elder_id, provider, "meals", served_on, "c")
    assert list(allowances.redemptions.each({})) == []


def test_after_a_death_vouchers_of_later_months_are_void_and_no_service_after_it_is_paid(
    allowances,
):
    october = issued(allowances, "2026-10")
    issued(allowances, "2026-11")
    died = {"status": "deceased", "died_on": date(2026, 10, 12)}  # reported in November
    allowances.elders.apply("e-1", 2, "ev-e-1-died", died)
    assert stops.stop_payments(allowances, allowances.elders.get("e-1"))
    voucher, valid_months, stop = find_voucher(allowances, NOVEMBER)
    assert stop is not None and (stop.cause, stop.from_month) == ("deceased", "2026-11")
    assert voucher.status(TODAY, valid_months, stop) == "void"
    with pytest.raises(RuleViolation, match="void: the elder died on 2026-10-12"):
        redeem_voucher(allowances, NOVEMBER, "e-1", "安康家政", "meals", date(2026, 11, 2), "c")

    own = f"{october}:e-1"  # October's was payable: for services before the death only
    with pytest.raises(RuleViolation, match="died on 2026-10-12"):
        redeem_voucher(allowances, own, "e-1", "安康家政", "meals", date(2026, 10, 15), "c")
    paid = redeem_voucher(allowances, own, "e-1", "安康家政", "meals", date(2026, 10, 10), "c")
    assert paid.amount_fen == 6_000
    assert [r.voucher_id for r in allowances.redemptions.each({})] == [own]


def test_a_voucher_is_valid_for_the_months_its_cycle_froze(allowances):
    issued(allowances)  # three months: November to January
    shorter = VoucherProgramme(amount_fen=6_500, valid_months=1)
    configuration.configure(allowances, 0, home_care_voucher=shorter)

    december = on(allowances, datetime(2026, 12, 10, 2, tzinfo=UTC))
    voucher, valid_months, _ = find_voucher(december, NOVEMBER)
    assert (voucher.amount_fen, valid_months) == (6_000, 3)
    dec_cycle = issued(december, "2026-12")
    dec_voucher, dec_valid, _ = find_voucher(december, f"{dec_cycle}:e-1")
    assert (dec_voucher.amount_fen, dec_valid) == (6_500, 1)
    redeemed = redeem_voucher(
        december, NOVEMBER, "e-1", "安康家政", "meals", date(2026, 12, 5), "clerk-c"
    )
    assert (redeemed.amount_fen, redeemed.redeemed_on) == (6_000, date(2026, 12, 10))

    february = on(allowances, datetime(2027, 2, 1, 2, tzinfo=UTC))
    late = "home_care_voucher:2026-11:e-2"
    with pytest.raises(RuleViolation, match="expired after 2027-01"):
        redeem_voucher(february, late, "e-2", "安康家政", "meals", date(2027, 1, 30), "c")
    with pytest.raises(RuleViolation, match="expired after 2026-12"):
        redeem_voucher(
            february, f"{dec_cycle}:e-2", "e-2", "安康家政", "meals", date(2027, 1, 30), "c"
        )
    assert [r.voucher_id for r in allowances.redemptions.each({})] == [NOVEMBER]


class RedeemedMeanwhile(MemoryRecords[Redemption]):
    """Redemptions where another request records its own just after the voucher was read."""

    def __init__(self, rival: Redemption, allowances: Allowances) -> None:
        super().__init__("redemptions", Redemption, "voucher redemption", allowances.clock)
        self.rival = rival

    def add(self, record: Redemption, *events: Event, change: str | None = None) -> bool:
        super().add(self.rival)
        return super().add(record, *events, change=change)


def test_a_voucher_redeemed_by_another_request_meanwhile_is_refused(allowances):
    issued(allowances)
    rival = Redemption(NOVEMBER, "e-1", "夕阳红", "meals", 6_000, TODAY, "clerk-d", NOW)
    racing = replace(allowances, redemptions=RedeemedMeanwhile(rival, allowances))
    with pytest.raises(Conflict, match=f"voucher {NOVEMBER} was already redeemed$"):
        redeem_voucher(racing, NOVEMBER, "e-1", "安康家政", "housekeeping", TODAY, "clerk-c")
    assert racing.redemptions.require(NOVEMBER) == rival  # the first one's stands
