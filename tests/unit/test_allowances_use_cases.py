"""Allowances' use cases on stores in memory: a cycle's roll, approval and payment order,
corrections and their four eyes, the configuration's compare-and-set, and the events and
history each write leaves."""

from datetime import UTC, date, datetime

import pytest
from memory_allowances import memory_allowances

from services.allowances.domain.overpayments import Overpayment
from services.allowances.domain.payees import PayeeAccount
from services.allowances.domain.programmes import HighAgeProgramme
from services.allowances.service_layer import (
    configuration,
    corrections,
    cycles,
    opening,
    reinstatement,
    stops,
)
from shared.audit import Actor, acting_as
from shared.errors import Conflict, NotFound, RuleViolation
from shared.memory_stores import MemoryRecords

NOW = datetime(2026, 12, 2, 2, tzinfo=UTC)


@pytest.fixture
def allowances():
    return memory_allowances(NOW)


def elder_known(allowances, elder_id="e-1", status="active", died_on=None):
    data = {
        "name": "张桂芳",
        "birth_date": date(1940, 5, 5),
        "community": "c01",
        "status": status,
        "died_on": died_on,
    }
    allowances.elders.apply(elder_id, 1, f"ev-{elder_id}", data)


def overpayment(allowances) -> Overpayment:
    owed = Overpayment(
        "e-1:deceased:high_age:2026-10",
        "e-1",
        "high_age",
        "deceased",
        date(2026, 9, 20),
        "2026-10",
        "high_age:2026-10",
        "2026-10",
        ("2026-10",),
        10_000,
        "died on 2026-09-20; payable through 2026-09",
        NOW,
    )
    assert allowances.overpayments.add(owed)
    return owed


def test_an_overpayment_is_resolved_by_another_person_than_its_proposer(allowances):
    owed = overpayment(allowances)
    with acting_as(Actor("officer-a", "test")):
        proposed = corrections.propose_resolution(
            allowances, owed.overpayment_id, "recovered", "officer-a", "R-77", date(2026, 12, 2)
        )
    assert (proposed.status, proposed.proposed_by) == ("proposed", "officer-a")
    with pytest.raises(RuleViolation):
        corrections.decide_resolution(allowances, owed.overpayment_id, True, "officer-a", None)
    store = allowances.overpayments
    assert isinstance(store, MemoryRecords) and store.announced == []  # nothing settled yet

    with acting_as(Actor("approver-b", "test")):
        settled = corrections.decide_resolution(
            allowances, owed.overpayment_id, True, "approver-b", "receipt seen"
        )
    assert (settled.status, settled.decided_by, settled.receipt) == (
        "recovered",
        "approver-b",
        "R-77",
    )
    [event] = store.announced
    assert event.type == "allowance.overpayment_resolved"
    assert (event.data["approved_by"], event.data["amount_fen"]) == ("approver-b", 10_000)
    lines = store.history(owed.overpayment_id)
    assert [(line["change"], line["by"]) for line in lines] == [
        ("overpayments.created", "system"),
        ("overpayment.resolution_proposed", "officer-a"),
        ("overpayment.resolved", "approver-b"),
    ]
    with pytest.raises(Conflict):  # settled: nothing more to decide
        corrections.decide_resolution(allowances, owed.overpayment_id, False, "c", "no")


def test_an_adjustment_names_a_known_elder_a_past_month_and_its_reason(allowances):
    with pytest.raises(NotFound):
        corrections.adjust(allowances, "high_age", "e-9", "2026-11", 500, "missed", "officer")
    elder_known(allowances)
    with pytest.raises(RuleViolation):
        corrections.adjust(allowances, "high_age", "e-1", "2027-01", 500, "missed", "officer")
    with pytest.raises(RuleViolation):
        corrections.adjust(allowances, "home_care_voucher", "e-1", "2026-11", 500, "x", "o")
    made = corrections.adjust(allowances, "high_age", "e-1", "2026-11", 500, " missed ", "officer")
    assert (made.amount_fen, made.reason, made.status) == (500, "missed", "pending")
    assert allowances.adjustments.require(made.adjustment_id) == made


def test_the_configuration_changes_only_from_the_version_read(allowances):
    birthday = HighAgeProgramme(starts="birthday_month")
    changed = configuration.configure(allowances, 0, high_age=birthday, report_due_day=20)
    assert (changed.version, changed.report_due_day, changed.high_age.starts) == (
        1,
        20,
        "birthday_month",
    )
    assert allowances.programmes.get() == changed
    with pytest.raises(Conflict):
        configuration.configure(allowances, 0, report_due_day=22)
    assert allowances.programmes.get().report_due_day == 20


def city(allowances) -> None:
    """Four elders as intake announced them: 86, 91, 76, and one who died in October."""
    for elder_id, born, died_on in (
        ("e-1", date(1940, 5, 5), None),
        ("e-2", date(1935, 3, 1), None),
        ("e-3", date(1950, 1, 1), None),
        ("e-4", date(1930, 2, 2), date(2026, 10, 15)),
    ):
        data = {
            "name": f"老人{elder_id}",
            "birth_date": born,
            "community": "c01",
            "status": "deceased" if died_on else "active",
            "died_on": died_on,
        }
        allowances.elders.apply(elder_id, 1, f"ev-{elder_id}", data)


def test_a_cycle_freezes_the_roll_of_those_concerned_and_is_opened_once(allowances):
    city(allowances)
    cycle = opening.open_cycle(allowances, "high_age", "2026-11", "officer-a")
    assert cycle.state == "open" and cycle.cycle_id == "high_age:2026-11"
    lines = {line.elder_id: line for line in allowances.lines.each_of_cycle(cycle.cycle_id)}
    assert sorted(lines) == ["e-1", "e-2"]  # 76 is not concerned; the dead was never paid
    assert (lines["e-1"].amount_fen, lines["e-2"].amount_fen) == (10_000, 30_000)
    totals = cycle.totals
    assert totals is not None and totals.reconciles
    assert (totals.payees, totals.payable_fen) == (2, 40_000)
    granted = allowances.entitlements.of_programme("high_age")
    assert {i: e.status for i, e in granted.items()} == {"e-1": "granted", "e-2": "granted"}
    store = allowances.entitlements
    assert [e.type for e in store.announced] == ["allowance.granted", "allowance.granted"]
    with pytest.raises(Conflict, match="already open"):
        opening.open_cycle(allowances, "high_age", "2026-11", "officer-a")


def test_an_exported_cycle_has_one_payment_order_with_its_exceptions(allowances):
    city(allowances)
    opened = opening.open_cycle(allowances, "high_age", "2026-11", "officer-a")
    cycles.review_cycle(allowances, opened.cycle_id, "officer-a", None)
    with pytest.raises(RuleViolation):
        cycles.approve_cycle(allowances, opened.cycle_id, "officer-a")  # four eyes
    cycles.approve_cycle(allowances, opened.cycle_id, "approver-b")
    exported = cycles.export_cycle(allowances, opened.cycle_id, "officer-a")
    order = allowances.payment_orders.get(opened.cycle_id)
    assert order is not None and exported.file_sha256
    # no payee account is known: every line is withheld, with its reason
    assert (len(order.payments), len(order.exceptions), order.withheld_fen) == (0, 2, 40_000)
    held = allowances.payment_orders.withheld([opened.cycle_id], ["high_age:2026-11:e-1", "x"])
    assert held == {"high_age:2026-11:e-1"}


def november_paid(allowances) -> None:
    """The city's November paid: e-1 into her account, e-2's withheld, no account known."""
    city(allowances)
    account = PayeeAccount(
        "e-1", "e-1", "bank_account", "农商银行", "6222021234567890123", "老人e-1", "officer-a", NOW
    )
    assert allowances.payees.add(account)  # e-2 has none: her November is withheld
    opened = opening.open_cycle(allowances, "high_age", "2026-11", "officer-a")
    cycles.review_cycle(allowances, opened.cycle_id, "officer-a", None)
    cycles.approve_cycle(allowances, opened.cycle_id, "approver-b")
    cycles.export_cycle(allowances, opened.cycle_id, "officer-a")


def test_a_death_reported_after_a_paid_month_stops_payment_and_is_owed_back_once(allowances):
    november_paid(allowances)
    died = {"status": "deceased", "died_on": date(2026, 10, 20)}  # reported in December
    allowances.elders.apply("e-1", 2, "ev-e-1-died", died)
    elder = allowances.elders.get("e-1")
    assert stops.stop_payments(allowances, elder) is True
    [standing] = allowances.entitlements.of_elder("e-1")
    assert standing.status == "suspended"
    [owed] = list(allowances.overpayments.each({"elder_id": "e-1"}))
    assert (owed.months, owed.amount_fen) == (("2026-11",), 10_000)  # paid past October
    assert stops.stop_payments(allowances, elder) is False  # the event delivered again
    allowances.elders.apply("e-2", 2, "ev-e-2-died", died)
    assert stops.stop_payments(allowances, allowances.elders.get("e-2")) is True
    # her November was withheld for want of an account: never paid, so nothing is owed back
    assert list(allowances.overpayments.each({"elder_id": "e-2"})) == []
    assert [e.type for e in allowances.entitlements.announced][-1] == "allowance.suspended"
    detected = [e.type for e in allowances.overpayments.announced]  # e-1's alone
    assert detected == ["allowance.overpayment_detected"]


def test_a_death_reported_in_error_is_revoked_and_payment_resumes_with_nothing_owed(allowances):
    november_paid(allowances)
    died = {"status": "deceased", "died_on": date(2026, 10, 20)}
    allowances.elders.apply("e-1", 2, "ev-e-1-died", died)
    assert stops.stop_payments(allowances, allowances.elders.get("e-1"))
    alive = {"status": "active", "died_on": None}  # intake revoked the death: she is alive
    allowances.elders.apply("e-1", 3, "ev-e-1-revoked", alive)
    assert reinstatement.reinstate(allowances, "e-1", date(2026, 10, 20), "误报", "officer-a")
    [standing] = allowances.entitlements.of_elder("e-1")
    assert standing.status == "granted"
    [owed] = list(allowances.overpayments.each({"elder_id": "e-1"}))
    assert owed.status == "cancelled"  # not collected from a family whose mother is alive
    assert not reinstatement.reinstate(allowances, "e-1", date(2026, 10, 20), "误报", "officer-a")
    announced = [e.type for e in allowances.overpayments.announced]
    assert announced[-1] == "allowance.overpayment_cancelled"
    assert [e.type for e in allowances.entitlements.announced][-1] == "allowance.reinstated"
