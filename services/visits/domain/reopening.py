"""A death reported in error was revoked: the work the death closed is reopened where it is
still relevant.

- A must-visit (kind mandatory) still is: the incident happened and the elder, alive, is owed
  the visit. It reopens with its deadline moved on by the time the record was closed, so that
  the worker is not held to the days the register said the elder was dead.
- A visit of a period (monthly routine, pairing, festival) reopens only while its period runs
  (its due time is still ahead); the schedule opens the next periods' visits as usual, so one
  whose period ended meanwhile stays cancelled.
- A pairing the death ended is active again, with the same partner.
- A must-visit reported while the register said the elder was dead (kept, dismissed) opens
  now; if its deadline passed meanwhile, it is due the trigger's hours from now.

Work cancelled for another reason (a move, a head's decision) is left as it is.
"""

from dataclasses import replace
from datetime import datetime, timedelta

from services.visits.domain.obligations import Obligation
from services.visits.domain.pairings import Pairing
from shared.changes import Change

DECEASED = "deceased"
ONE_OFF = ("mandatory",)


def reopened(obligation: Obligation, reason: str, now: datetime) -> Change[Obligation] | None:
    """The obligation again open, if the death cancelled it and it is still relevant."""
    if obligation.status != "cancelled" or obligation.cancelled_reason != DECEASED:
        return None
    closed_at = obligation.closed_at or now
    due_at = obligation.due_at
    if obligation.kind in ONE_OFF:
        due_at = obligation.due_at + max(now - closed_at, timedelta(0))
    elif obligation.due_at <= now:
        return None
    opened = replace(
        obligation,
        status="open",
        cancelled_reason=None,
        closed_at=None,
        due_at=due_at,
        version=obligation.version + 1,
    )
    details = {"reason": reason, "previous_due_at": obligation.due_at}
    return Change(opened, (("obligation.reopened", details),))


def resumed(pairing: Pairing, reason: str) -> Change[Pairing] | None:
    """The pairing active again, if the death ended it."""
    if pairing.status != "ended" or pairing.end_reason != DECEASED:
        return None
    active = replace(
        pairing, status="active", ended_on=None, end_reason=None, version=pairing.version + 1
    )
    return Change(active, (("pairing.resumed", {"reason": reason}),))


def held_over(obligation: Obligation, now: datetime, hours: int) -> Obligation:
    """A must-visit opened late because the register wrongly said the elder was dead: due no
    sooner than the trigger's hours from now."""
    return replace(obligation, due_at=max(obligation.due_at, now + timedelta(hours=hours)))
