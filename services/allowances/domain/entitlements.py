"""An elder's standing in a programme, and what is announced when it changes.

A new cycle's roll grants, changes the band of, or suspends an entitlement; a death or a move
out of the district suspends it at once. Each change happens once: a cycle that already set the
standing, or a stop dated after the cycle's month, leaves it alone.
"""

from dataclasses import dataclass, replace

from services.allowances.domain.roll import Assessment
from services.allowances.domain.stops import Stop
from shared.changes import Change

GRANTED = "granted"
SUSPENDED = "suspended"


@dataclass(frozen=True)
class Entitlement:
    programme: str
    elder_id: str
    status: str  # granted or suspended
    band: str | None
    amount_fen: int
    as_of: str  # the month from which this standing holds
    reason: str | None = None  # why suspended
    cycle_id: str | None = None  # the cycle that set it; None for a stop
    version: int = 1

    @property
    def entitlement_id(self) -> str:
        return entitlement_id(self.programme, self.elder_id)


def entitlement_id(programme: str, elder_id: str) -> str:
    return f"{programme}:{elder_id}"


def on_roll(
    current: Entitlement | None,
    programme: str,
    elder_id: str,
    cycle_id: str,
    month: str,
    assessment: Assessment,
) -> Change[Entitlement] | None:
    """The change a cycle's assessment of the elder makes, if any."""
    if current is not None and (current.cycle_id == cycle_id or current.as_of > month):
        return None
    where = {"programme": programme, "month": month, "cycle_id": cycle_id}
    if assessment.eligible:
        amount = assessment.item.amount_fen if assessment.item else 0
        granted = Entitlement(programme, elder_id, GRANTED, assessment.band, amount, month)
        granted = replace(granted, cycle_id=cycle_id)
        if current is None or current.status != GRANTED:
            details = {**where, "band": assessment.band, "amount_fen": amount}
            return Change(_after(current, granted), [("allowance.granted", details)])
        if current.band != assessment.band:
            details = {
                **where,
                "from_band": current.band,
                "to_band": assessment.band,
                "amount_fen": amount,
            }
            return Change(_after(current, granted), [("allowance.band_changed", details)])
        return None
    if current is not None and current.status == GRANTED:
        suspended = replace(
            current, status=SUSPENDED, reason=assessment.reason, as_of=month, cycle_id=cycle_id
        )
        details = {
            **where,
            "reason": assessment.reason,
            "from_month": month,
            "detail": assessment.detail,
        }
        return Change(_after(current, suspended), [("allowance.suspended", details)])
    return None


def on_stop(current: Entitlement | None, stop: Stop) -> Change[Entitlement] | None:
    """A death or a move out of the district suspends a granted entitlement at once."""
    if current is None or current.status != GRANTED:
        return None
    suspended = replace(
        current, status=SUSPENDED, reason=stop.cause, as_of=stop.from_month, cycle_id=None
    )
    details = {
        "programme": current.programme,
        "month": stop.from_month,
        "cycle_id": None,
        "reason": stop.cause,
        "from_month": stop.from_month,
        "detail": stop.describe(),
    }
    return Change(_after(current, suspended), [("allowance.suspended", details)])


def _after(current: Entitlement | None, new: Entitlement) -> Entitlement:
    return replace(new, version=1 if current is None else current.version + 1)
