"""Money paid for months after a stop (death, move out of the district), found when the stop
becomes known. Nothing more is paid to such an elder, so nothing can be deducted: each
overpayment is a receivable from the family or the estate, resolved by hand, with four eyes —
an allowance officer proposes `recovered` (with the receipt of the money collected) or `waived`
(with the reason), and an approver other than the proposer approves, giving their own reason
for a waiver, or rejects the proposal, which leaves the receivable open.

An overpayment is one per elder, cause and overpaid cycle, so it is found exactly once whether
the stop arrives before or after that cycle's roll was frozen. Which months were payable is
judged by the stop rule of the cycle that paid them (its rules snapshot), not by today's."""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from services.allowances.domain.adjustments import Adjustment
from services.allowances.domain.elder import Elder
from services.allowances.domain.money import yuan
from services.allowances.domain.programmes import RECOVERABLE
from services.allowances.domain.roll import RollLine
from services.allowances.domain.stops import Stop, stop_of
from shared.changes import Change
from shared.errors import Conflict, RuleViolation

OPEN, PROPOSED, RECOVERED, WAIVED = "open", "proposed", "recovered", "waived"
RECOVERING = "recovering"  # only in records kept from when recoveries were negative roll lines
CANCELLED = "cancelled"  # its cause was revoked (a death in error): not collected, or paid back
OUTCOMES = (RECOVERED, WAIVED)
STATUSES = (OPEN, PROPOSED, RECOVERED, WAIVED, CANCELLED)


@dataclass(frozen=True)
class Overpayment:
    overpayment_id: str
    elder_id: str
    programme: str
    cause: str
    stop_on: date
    from_month: str  # the first month that was not payable, by the paying cycle's rule
    cycle_id: str  # the cycle that paid too much
    month: str  # that cycle's month
    months: tuple[str, ...]  # the months paid that were not payable
    amount_fen: int
    detail: str
    detected_at: datetime
    status: str = OPEN  # then proposed, then recovered or waived (or open again if rejected)
    recovery_cycle_id: str | None = None  # only in older records
    version: int = 1
    outcome: str | None = None  # proposed or approved: recovered or waived
    receipt: str | None = None  # the receipt of the money collected (recovered)
    received_on: date | None = None
    reason: str | None = None  # why the proposer would waive it
    proposed_by: str | None = None
    proposed_at: datetime | None = None
    decided_by: str | None = None  # the approver
    decided_at: datetime | None = None
    decision_note: str | None = None  # the approver's reason (required to waive or reject)


def overpayment_id(elder_id: str, cause: str, cycle_id: str) -> str:
    return f"{elder_id}:{cause}:{cycle_id}"


def overpayments(
    elder: Elder,
    lines: Iterable[RollLine],
    stops_of: Mapping[str, str],
    at: datetime,
    withheld: Collection[str] = (),
) -> list[Overpayment]:
    """For each line of a recoverable programme, what it paid for months from the stop on;
    `stops_of` gives the stop rule each line's cycle paid by. A line its payment file withheld
    (`withheld`: line ids, e.g. no payee account) paid nothing, so it overpaid nothing."""
    found = []
    for line in lines:
        if line.programme not in RECOVERABLE or line.line_id in withheld:
            continue
        stop = stop_of(elder, stops_of[line.cycle_id])
        if stop is None:
            continue
        items = [i for i in line.items if i.amount_fen > 0 and i.month >= stop.from_month]
        if not items:
            continue
        found.append(
            Overpayment(
                overpayment_id(line.elder_id, stop.cause, line.cycle_id),
                line.elder_id,
                line.programme,
                stop.cause,
                stop.on,
                stop.from_month,
                line.cycle_id,
                line.month,
                tuple(sorted({i.month for i in items})),
                sum(i.amount_fen for i in items),
                stop.describe(),
                at,
            )
        )
    return found


def from_deduction(adjustment: Adjustment, stop: Stop, at: datetime) -> Overpayment:
    """What a living elder's deduction had left to take when payment stopped: a receivable
    like any overpayment, for the month it corrected."""
    left = adjustment.outstanding_fen
    detail = (
        f"{yuan(left)} yuan of a deduction for {adjustment.month} ({adjustment.reason}) was "
        f"still to take when payment stopped: {stop.describe()}"
    )
    return Overpayment(
        overpayment_id(adjustment.elder_id, stop.cause, f"adjustment:{adjustment.adjustment_id}"),
        adjustment.elder_id,
        adjustment.programme,
        stop.cause,
        stop.on,
        stop.from_month,
        f"{adjustment.programme}:{adjustment.month}",
        adjustment.month,
        (adjustment.month,),
        left,
        detail,
        at,
    )


def propose_recovered(
    overpayment: Overpayment,
    receipt: str,
    received_on: date,
    by: str,
    at: datetime,
    today: date,
) -> Change[Overpayment]:
    """The family or estate paid the overpayment back; `receipt` names the evidence."""
    _require_open(overpayment)
    if not receipt.strip():
        raise RuleViolation("give the receipt of the money collected", field="receipt")
    if received_on > today:
        raise RuleViolation(f"received_on {received_on} is in the future", field="received_on")
    if received_on < overpayment.detected_at.date():
        raise RuleViolation(
            f"received_on {received_on} is before the overpayment was found "
            f"({overpayment.detected_at.date()})",
            field="received_on",
        )
    return _proposed(
        overpayment, RECOVERED, by, at, receipt=receipt.strip(), received_on=received_on
    )


def propose_waiver(
    overpayment: Overpayment, reason: str, by: str, at: datetime
) -> Change[Overpayment]:
    """The money will not be collected (e.g. no estate); an approver must agree."""
    _require_open(overpayment)
    if not reason.strip():
        raise RuleViolation("say why the overpayment should be waived", field="reason")
    return _proposed(overpayment, WAIVED, by, at, reason=reason.strip())


def approve_resolution(
    overpayment: Overpayment, by: str, at: datetime, note: str | None
) -> Change[Overpayment]:
    """The approver, never the proposer, settles the overpayment as proposed (announced)."""
    _require_proposed(overpayment, by, "approve")
    note = (note or "").strip() or None
    if overpayment.outcome == WAIVED and note is None:
        raise RuleViolation("an approver waives an overpayment with their reason", field="note")
    settled = _decided(overpayment, overpayment.outcome or OPEN, by, at, note)
    announced = [("allowance.overpayment_resolved", {"approved_by": by})]
    return Change(settled, announced, "overpayment.resolved")


def reject_resolution(
    overpayment: Overpayment, by: str, at: datetime, note: str
) -> Change[Overpayment]:
    """The approver refuses the proposal: the receivable is open again."""
    _require_proposed(overpayment, by, "reject")
    if not note.strip():
        raise RuleViolation("say why the proposal is rejected", field="note")
    reopened = _decided(overpayment, OPEN, by, at, note.strip())
    return Change(reopened, summary="overpayment.resolution_rejected")


def _require_open(overpayment: Overpayment) -> None:
    if overpayment.status != OPEN:
        raise Conflict(
            f"overpayment {overpayment.overpayment_id} is {overpayment.status}; only an open "
            "one can be proposed for resolution",
            current_status=overpayment.status,
        )


def _require_proposed(overpayment: Overpayment, by: str, verb: str) -> None:
    if overpayment.status != PROPOSED:
        raise Conflict(
            f"overpayment {overpayment.overpayment_id} is {overpayment.status}; there is no "
            f"proposal to {verb}",
            current_status=overpayment.status,
        )
    if by == overpayment.proposed_by:
        raise RuleViolation(
            f"{by} proposed this resolution and so cannot {verb} it; another approver must",
            proposed_by=overpayment.proposed_by,
        )


def _proposed(
    overpayment: Overpayment, outcome: str, by: str, at: datetime, **evidence: Any
) -> Change[Overpayment]:
    cleared: dict[str, Any] = {"receipt": None, "received_on": None, "reason": None}
    proposed = replace(
        overpayment,
        **{**cleared, **evidence},
        status=PROPOSED,
        outcome=outcome,
        proposed_by=by,
        proposed_at=at,
        decided_by=None,
        decided_at=None,
        decision_note=None,
        version=overpayment.version + 1,
    )
    return Change(proposed, summary="overpayment.resolution_proposed")


def _decided(
    overpayment: Overpayment, status: str, by: str, at: datetime, note: str | None
) -> Overpayment:
    return replace(
        overpayment,
        status=status,
        outcome=overpayment.outcome if status != OPEN else None,
        decided_by=by,
        decided_at=at,
        decision_note=note,
        version=overpayment.version + 1,
    )
