"""Use cases that move a cycle on after its roll is frozen: review (submit the report),
approve, export the payment file, mark paid. Each is one compare-and-set write of the cycle
with its events. Export first fixes the cycle's payment order (each payment into the elder's
registered account, or an exception with its reason), so that the file is the same bytes
whenever it is downloaded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from services.allowances.adapters.payment_files import payment_csv, payment_xlsx, sha256
from services.allowances.domain import cycle as rules
from services.allowances.domain.cycle import EXPORTED, OPENING, PAID, AllowanceCycle
from services.allowances.domain.payment_orders import PaymentOrder, payment_order
from services.allowances.service_layer.announcements import cycle_changed
from services.allowances.service_layer.container import Allowances
from shared.batches import batches
from shared.changes import Change
from shared.clock import local_today
from shared.errors import Conflict

Decision = Callable[[AllowanceCycle, datetime, date], Change[AllowanceCycle]]
CSV, XLSX = "csv", "xlsx"
BATCH = 1000


def _change(allowances: Allowances, cycle_id: str, decide: Decision) -> AllowanceCycle:
    cycle = allowances.cycles.require(cycle_id)
    now = allowances.clock.now()
    change = decide(cycle, now, local_today(allowances.clock, allowances.settings.zone))
    events = cycle_changed(allowances, change)
    if not allowances.cycles.save(cycle, change.after, *events, change=change.summary):
        raise Conflict(f"cycle {cycle_id} was changed by someone else just now; reload it")
    return change.after


def review_cycle(
    allowances: Allowances, cycle_id: str, by: str, note: str | None
) -> AllowanceCycle:
    return _change(
        allowances, cycle_id, lambda cycle, now, today: rules.review(cycle, by, now, today, note)
    )


def approve_cycle(allowances: Allowances, cycle_id: str, by: str) -> AllowanceCycle:
    return _change(allowances, cycle_id, lambda cycle, now, _today: rules.approve(cycle, by, now))


def export_cycle(allowances: Allowances, cycle_id: str, by: str) -> AllowanceCycle:
    def decide(cycle: AllowanceCycle, now: datetime, _today: date) -> Change[AllowanceCycle]:
        rules.require_exportable(cycle)  # before its payment order is fixed
        order = allowances.payment_orders.fix(order_of(allowances, cycle))
        return rules.export(cycle, by, now, order, sha256(payment_csv(order)))

    return _change(allowances, cycle_id, decide)


def mark_cycle_paid(
    allowances: Allowances, cycle_id: str, by: str, paid_on: date
) -> AllowanceCycle:
    return _change(
        allowances,
        cycle_id,
        lambda cycle, now, today: rules.mark_paid(cycle, by, now, paid_on, today),
    )


def payment_file(allowances: Allowances, cycle_id: str, kind: str) -> tuple[bytes, str]:
    """The exported payment file again (the roll is frozen, so the CSV is the same bytes)."""
    cycle = allowances.cycles.require(cycle_id)
    rules.require_cash(cycle)
    if cycle.state not in (EXPORTED, PAID):
        raise Conflict(
            f"cycle {cycle_id} is {cycle.state}; its payment file exists once it is exported",
            state=cycle.state,
        )
    order = allowances.payment_orders.get(cycle_id) or order_of(allowances, cycle)
    content = payment_csv(order) if kind == CSV else payment_xlsx(cycle, order)
    return content, f"{cycle_id.replace(':', '_')}.{kind}"


def order_of(allowances: Allowances, cycle: AllowanceCycle) -> PaymentOrder:
    """The payment order of the cycle's roll with the payee accounts registered now."""
    lines = list(allowances.lines.each_of_cycle(cycle.cycle_id))
    paid = sorted({line.elder_id for line in lines if line.amount_fen > 0})
    accounts = {
        account.elder_id: account
        for ids in batches(paid, BATCH)
        for account in allowances.payees.each({"_id": {"$in": ids}})
    }
    return payment_order(cycle.cycle_id, f"{cycle.programme} {cycle.month}", lines, accounts)


def payment_exceptions(allowances: Allowances, cycle_id: str) -> tuple[PaymentOrder, bool]:
    """The cycle's payment order and whether it is fixed (exported): before export, a preview
    with the accounts registered now, so that missing ones can be registered in time."""
    cycle = allowances.cycles.require(cycle_id)
    rules.require_cash(cycle)
    if cycle.state == OPENING:
        raise Conflict(f"cycle {cycle_id} is still being opened", state=cycle.state)
    fixed = allowances.payment_orders.get(cycle_id)
    return (fixed, True) if fixed else (order_of(allowances, cycle), False)
