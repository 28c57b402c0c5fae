"""How allowances tells the other services what changed: events built from its records."""

from __future__ import annotations

from services.allowances.domain.cycle import AllowanceCycle
from services.allowances.domain.entitlements import Entitlement
from services.allowances.domain.overpayments import Overpayment
from services.allowances.service_layer.container import Allowances
from shared.changes import Change
from shared.events import Event, announce, announce_change


def entitlement_changed(allowances: Allowances, change: Change[Entitlement]) -> list[Event]:
    entitlement = change.after
    own = {"elder_id": entitlement.elder_id, "version": entitlement.version}
    return announce_change(allowances, change, entitlement.elder_id, own)


def overpayment_detected(allowances: Allowances, overpayment: Overpayment) -> Event:
    data = {
        "overpayment_id": overpayment.overpayment_id,
        "elder_id": overpayment.elder_id,
        "programme": overpayment.programme,
        "cause": overpayment.cause,
        "stop_on": overpayment.stop_on,
        "from_month": overpayment.from_month,
        "cycle_id": overpayment.cycle_id,
        "months": list(overpayment.months),
        "amount_fen": overpayment.amount_fen,
    }
    return announce(allowances, "allowance.overpayment_detected", overpayment.elder_id, data)


def overpayment_changed(allowances: Allowances, change: Change[Overpayment]) -> list[Event]:
    """The events of an overpayment's resolution carry its outcome and its evidence."""
    overpayment = change.after
    state = {
        "overpayment_id": overpayment.overpayment_id,
        "elder_id": overpayment.elder_id,
        "programme": overpayment.programme,
        "outcome": overpayment.outcome,
        "amount_fen": overpayment.amount_fen,
        "receipt": overpayment.receipt,
        "proposed_by": overpayment.proposed_by,
    }
    return announce_change(allowances, change, overpayment.elder_id, state)


def cycle_changed(allowances: Allowances, change: Change[AllowanceCycle]) -> list[Event]:
    """A cycle's events carry its month and the totals of its frozen roll."""
    cycle = change.after
    totals = cycle.totals
    state = {
        "cycle_id": cycle.cycle_id,
        "programme": cycle.programme,
        "month": cycle.month,
        "payees": totals.payees if totals else 0,
        "payable_fen": totals.payable_fen if totals else 0,
        "to_recover_fen": totals.to_recover_fen if totals else 0,
        "net_fen": totals.net_fen if totals else 0,
    }
    return announce_change(allowances, change, cycle.cycle_id, state)
