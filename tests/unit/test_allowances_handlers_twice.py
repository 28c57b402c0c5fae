"""Allowances' handlers of intake's elder events, each event delivered twice: the second
delivery answers False and leaves every store as the first left it (the projection, the
entitlements, the overpayments, the adjustments, the rolls and what each announced); and an
older version of the record delivered after a newer one changes nothing."""

from copy import deepcopy
from datetime import UTC, date, datetime
from typing import Any

import pytest
from memory_allowances import memory_allowances
from memory_rolls import MemoryEntitlements, MemoryRolls

from services.allowances.domain.adjustments import Adjustment
from services.allowances.domain.elder import Absence, Elder
from services.allowances.domain.entitlements import Entitlement
from services.allowances.domain.overpayments import Overpayment
from services.allowances.service_layer import corrections, opening
from services.allowances.service_layer.container import Allowances
from services.allowances.service_layer.handlers import handlers
from shared.audit import Actor, acting_as
from shared.config import Settings
from shared.events import Event, event_type, new_event
from shared.memory_stores import MemoryProjection, MemoryRecords
from shared.stamps import StampedProjection

NOW = datetime(2026, 12, 2, 2, tzinfo=UTC)  # 10:00 in the district: December 2026
INTAKE = Settings(service="intake", district="d1").event_source
BORN = date(1940, 5, 5)  # 86: paid in the band 80-89
NOVEMBER = "high_age:2026-11"


@pytest.fixture
def allowances() -> Allowances:
    return memory_allowances(NOW)


def snapshot(version: int, **facts: Any) -> dict[str, Any]:
    return {
        "elder_id": "e-1",
        "version": version,
        "name": "王秀英",
        "sex": "female",
        "birth_date": BORN,
        "community": "c01",
        "status": "active",
        "died_on": None,
        "moved_out_on": None,
        **facts,
    }


def sent(type_: str, version: int, **facts: Any) -> Event:
    return new_event(type_, "e-1", snapshot(version, **facts), source=INTAKE, district="d1", at=NOW)


def registered(version: int = 1, **facts: Any) -> Event:
    return sent("elder.registered", version, registered_at=NOW, **facts)


def updated(version: int, changed: list[str], **facts: Any) -> Event:
    return sent("elder.updated", version, changed=changed, **facts)


def deceased(version: int, died_on: date) -> Event:
    return sent(
        "elder.deceased", version, status="deceased", died_on=died_on, reported_by="hospital"
    )


def moved_out(version: int, moved_on: date) -> Event:
    return sent(
        "elder.moved_out", version, status="moved_out", moved_out_on=moved_on, moved_on=moved_on
    )


def death_revoked(version: int, died_on: date) -> Event:
    return sent("elder.death_revoked", version, revoked_died_on=died_on, reason="误报")


def handle(allowances: Allowances, event: Event) -> bool:
    """As the consumer does: the handler of the event's type, with its data as loaded."""
    return handlers(allowances)[event.type](event, event_type(event.type).load(event))


def memory_elders(allowances: Allowances) -> MemoryProjection:
    """The elders' projection in memory, behind the stamp its writes move."""
    stamped = allowances.elders
    assert isinstance(stamped, StampedProjection) and isinstance(stamped.store, MemoryProjection)
    return stamped.store


def stores(allowances: Allowances) -> dict[str, Any]:
    """Everything a handler may write, as stored, with what each write announced."""
    elders, lines = memory_elders(allowances), allowances.lines
    entitlements = allowances.entitlements
    overpayments, adjustments = allowances.overpayments, allowances.adjustments
    assert isinstance(lines, MemoryRolls)
    assert isinstance(entitlements, MemoryEntitlements)
    assert isinstance(overpayments, MemoryRecords) and isinstance(adjustments, MemoryRecords)
    return deepcopy(
        {
            "elders": elders.documents,
            "entitlements": (entitlements.documents, [e.id for e in entitlements.announced]),
            "overpayments": (
                overpayments.documents,
                overpayments.histories,
                [e.id for e in overpayments.announced],
            ),
            "adjustments": (
                adjustments.documents,
                adjustments.histories,
                [e.id for e in adjustments.announced],
            ),
            "lines": (lines.documents, lines.stops),
            "cycles": {c.cycle_id: c for c in allowances.cycles.each({})},
        }
    )


def twice(allowances: Allowances, event: Event) -> None:
    """The event changes the stores on its first delivery, and on its second changes nothing."""
    before = stores(allowances)
    assert handle(allowances, event) is True
    once = stores(allowances)
    assert once != before
    assert handle(allowances, event) is False
    assert stores(allowances) == once


def unchanged(allowances: Allowances, event: Event) -> None:
    """An older version of the record: answered False, nothing changed."""
    before = stores(allowances)
    assert handle(allowances, event) is False
    assert stores(allowances) == before


def november_rolled(allowances: Allowances) -> None:
    """E-1 as intake registered her, on November's roll at 100 yuan, with a deduction of 50
    yuan for November still to take from her next payment."""
    assert handle(allowances, registered())
    opening.open_cycle(allowances, "high_age", "2026-11", "officer-a")
    corrections.adjust(allowances, "high_age", "e-1", "2026-11", -5_000, "paid twice", "officer-a")


def granted(**changes: Any) -> Entitlement:
    standing = {
        "programme": "high_age",
        "elder_id": "e-1",
        "status": "granted",
        "band": "80-89",
        "amount_fen": 10_000,
        "as_of": "2026-11",
        "cycle_id": NOVEMBER,
        **changes,
    }
    return Entitlement(**standing)


def the_deduction(allowances: Allowances) -> Adjustment:
    [deduction] = [a for a in allowances.adjustments.each({}) if a.reason == "paid twice"]
    return deduction


def owed_back(allowances: Allowances, cause: str, stop_on: date, what: str) -> list[Overpayment]:
    """What a stop on `stop_on` in October leaves owed by the month_after rule: November's 100
    yuan paid, and the 50 yuan the deduction had still to take."""
    stop = f"{what} on {stop_on}; payable through 2026-10"
    deduction = the_deduction(allowances).adjustment_id
    return [
        Overpayment(
            f"e-1:{cause}:adjustment:{deduction}",
            "e-1",
            "high_age",
            cause,
            stop_on,
            "2026-11",
            NOVEMBER,
            "2026-11",
            ("2026-11",),
            5_000,
            "50.00 yuan of a deduction for 2026-11 (paid twice) was still to take when payment "
            f"stopped: {stop}",
            NOW,
        ),
        Overpayment(
            f"e-1:{cause}:{NOVEMBER}",
            "e-1",
            "high_age",
            cause,
            stop_on,
            "2026-11",
            NOVEMBER,
            "2026-11",
            ("2026-11",),
            10_000,
            stop,
            NOW,
        ),
    ]


# -- each event delivered twice ------------------------------------------------------------


def test_a_registration_delivered_twice_is_known_once(allowances):
    event = registered(community="c02", home_care=True)
    twice(allowances, event)
    assert allowances.elders.get("e-1") == Elder("e-1", "王秀英", BORN, "c02", 1, home_care=True)
    assert memory_elders(allowances).documents["e-1"]["last_event_id"] == event.id
    assert allowances.entitlements.of_elder("e-1") == []


def test_an_update_delivered_twice_changes_the_record_once(allowances):
    november_rolled(allowances)
    twice(allowances, updated(2, ["community"], community="c02"))
    elder = allowances.elders.get("e-1")
    assert elder is not None and (elder.community, elder.version) == ("c02", 2)
    assert allowances.entitlements.of_elder("e-1") == [granted()]
    assert [a.rule for a in allowances.adjustments.each({})] == ["adjustment.manual"]


def test_a_corrected_birth_date_delivered_twice_settles_the_paid_months_once(allowances):
    november_rolled(allowances)
    event = updated(2, ["birth_date"], birth_date=date(1936, 5, 5))  # 90 in May 2026
    twice(allowances, event)
    elder = allowances.elders.get("e-1")
    assert elder is not None and (elder.birth_date, elder.version) == (date(1936, 5, 5), 2)
    correction = Adjustment(
        f"{event.id}:high_age:2026-11",
        "high_age",
        "e-1",
        "2026-11",
        20_000,
        "birth date corrected to 1936-05-05: 2026-11 is owed 300.00 yuan (band 90-99), "
        "100.00 yuan was paid",
        INTAKE,
        NOW,
        rule="high_age.correction",
    )
    assert allowances.adjustments.get(correction.adjustment_id) == correction
    assert len(list(allowances.adjustments.each({}))) == 2  # with the officer's deduction
    assert allowances.entitlements.of_elder("e-1") == [granted()]  # the next cycle's to change


def test_a_death_delivered_twice_suspends_and_finds_what_is_owed_back_once(allowances):
    november_rolled(allowances)
    twice(allowances, deceased(2, date(2026, 10, 20)))
    assert allowances.entitlements.of_elder("e-1") == [
        granted(status="suspended", reason="deceased", cycle_id=None, version=2)
    ]
    owed = owed_back(allowances, "deceased", date(2026, 10, 20), "died")
    assert list(allowances.overpayments.each({"elder_id": "e-1"})) == owed
    assert the_deduction(allowances).status == "receivable"
    store = allowances.entitlements
    assert isinstance(store, MemoryEntitlements)
    assert [e.type for e in store.announced] == ["allowance.granted", "allowance.suspended"]


def test_a_move_out_delivered_twice_suspends_and_finds_what_is_owed_back_once(allowances):
    november_rolled(allowances)
    twice(allowances, moved_out(2, date(2026, 10, 20)))
    assert allowances.entitlements.of_elder("e-1") == [
        granted(status="suspended", reason="moved_out", cycle_id=None, version=2)
    ]
    owed = owed_back(allowances, "moved_out", date(2026, 10, 20), "moved out of the district")
    assert list(allowances.overpayments.each({"elder_id": "e-1"})) == owed
    assert the_deduction(allowances).status == "receivable"


def test_a_revoked_death_delivered_twice_undoes_the_death_once(allowances):
    november_rolled(allowances)
    assert handle(allowances, deceased(2, date(2026, 10, 20)))
    twice(allowances, death_revoked(3, date(2026, 10, 20)))
    elder = allowances.elders.get("e-1")
    assert elder is not None and (elder.status, elder.died_on, elder.version) == ("active", None, 3)
    # granted again from this month, with no cycle behind it; November was paid: nothing owed
    assert allowances.entitlements.of_elder("e-1") == [
        granted(as_of="2026-12", cycle_id=None, version=3)
    ]
    store = allowances.entitlements
    assert isinstance(store, MemoryEntitlements)
    reinstated = store.announced[-1]
    assert reinstated.type == "allowance.reinstated"
    assert (reinstated.data["back_pay_months"], reinstated.data["back_pay_fen"]) == ([], 0)
    owed = list(allowances.overpayments.each({"elder_id": "e-1"}))
    assert [(o.status, o.version) for o in owed] == [("cancelled", 2), ("cancelled", 2)]
    assert (the_deduction(allowances).status, the_deduction(allowances).version) == ("pending", 3)
    assert [a.rule for a in allowances.adjustments.each({})] == ["adjustment.manual"]  # no refund


def test_a_revoked_death_delivered_twice_pays_back_once_what_the_family_repaid(allowances):
    november_rolled(allowances)
    assert handle(allowances, deceased(2, date(2026, 10, 20)))
    paid_back = f"e-1:deceased:{NOVEMBER}"
    with acting_as(Actor("officer-a", "test")):
        corrections.propose_resolution(
            allowances, paid_back, "recovered", "officer-a", "R-77", date(2026, 12, 2)
        )
    with acting_as(Actor("approver-b", "test")):
        corrections.decide_resolution(allowances, paid_back, True, "approver-b", "receipt seen")
    twice(allowances, death_revoked(3, date(2026, 10, 20)))
    refund = Adjustment(
        f"{paid_back}:refund",
        "high_age",
        "e-1",
        "2026-11",
        10_000,
        f"refund of the 100.00 yuan collected for {paid_back}: 误报",
        INTAKE,
        NOW,
        rule="overpayment.refund",
    )
    assert allowances.adjustments.get(refund.adjustment_id) == refund
    rules = sorted(a.rule for a in allowances.adjustments.each({}))
    assert rules == ["adjustment.manual", "overpayment.refund"]
    store = allowances.overpayments
    assert isinstance(store, MemoryRecords)
    cancelled = [e for e in store.announced if e.type == "allowance.overpayment_cancelled"]
    assert sorted((e.data["amount_fen"], e.data["refund_fen"]) for e in cancelled) == [
        (5_000, 0),
        (10_000, 10_000),
    ]


# -- an older version after a newer one ----------------------------------------------------


def test_a_registration_after_a_newer_version_changes_nothing(allowances):
    assert handle(allowances, updated(2, ["community"], community="c02"))
    unchanged(allowances, registered())
    elder = allowances.elders.get("e-1")
    assert elder is not None and (elder.community, elder.version) == ("c02", 2)


def test_the_registration_again_after_a_death_changes_nothing(allowances):
    november_rolled(allowances)
    assert handle(allowances, deceased(2, date(2026, 10, 20)))
    unchanged(allowances, registered())
    elder = allowances.elders.get("e-1")
    assert elder is not None and (elder.status, elder.version) == ("deceased", 2)


def test_a_death_after_its_revocation_suspends_nothing_again(allowances):
    november_rolled(allowances)
    death = deceased(2, date(2026, 10, 20))
    assert handle(allowances, death)
    assert handle(allowances, death_revoked(3, date(2026, 10, 20)))
    unchanged(allowances, death)
    assert allowances.entitlements.of_elder("e-1") == [
        granted(as_of="2026-12", cycle_id=None, version=3)
    ]
    owed = list(allowances.overpayments.each({"elder_id": "e-1"}))
    assert [o.status for o in owed] == ["cancelled", "cancelled"]


def test_a_revocation_after_a_later_death_resumes_nothing(allowances):
    november_rolled(allowances)
    revoked = death_revoked(3, date(2026, 10, 20))
    assert handle(allowances, deceased(2, date(2026, 10, 20)))
    assert handle(allowances, revoked)
    assert handle(allowances, deceased(4, date(2026, 11, 25)))  # she did die, in November
    assert allowances.entitlements.of_elder("e-1") == [
        granted(status="suspended", reason="deceased", as_of="2026-12", cycle_id=None, version=4)
    ]
    unchanged(allowances, revoked)


def test_a_move_out_after_the_return_stops_nothing(allowances):
    november_rolled(allowances)
    left = moved_out(2, date(2026, 10, 20))
    assert handle(allowances, left)
    away = [{"moved_out_on": date(2026, 10, 20), "returned_on": date(2026, 11, 15)}]
    back = sent(
        "elder.returned",
        3,
        absences=away,
        returned_on=date(2026, 11, 15),
        away_since=date(2026, 10, 20),
        to_community="c01",
    )
    assert handle(allowances, back)
    elder = allowances.elders.get("e-1")
    absence = Absence(date(2026, 10, 20), date(2026, 11, 15))
    assert elder is not None and (elder.status, elder.absences) == ("active", (absence,))
    unchanged(allowances, left)


def test_a_birth_date_correction_after_a_newer_one_settles_nothing_again(allowances):
    november_rolled(allowances)
    first = updated(2, ["birth_date"], birth_date=date(1936, 5, 5))
    assert handle(allowances, first)
    back = updated(3, ["birth_date"], birth_date=BORN)  # corrected back again
    assert handle(allowances, back)
    undone = allowances.adjustments.get(f"{back.id}:high_age:2026-11")
    assert undone is not None and undone.amount_fen == -20_000
    assert undone.reason == (
        "birth date corrected to 1940-05-05: 2026-11 is owed 100.00 yuan (band 80-89), "
        "300.00 yuan was paid"
    )
    unchanged(allowances, first)
    elder = allowances.elders.get("e-1")
    assert elder is not None and (elder.birth_date, elder.version) == (BORN, 3)
