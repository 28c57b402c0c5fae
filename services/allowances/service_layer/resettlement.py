"""The elder's birth date was corrected (`elder.updated` naming `birth_date`): settle the months
already paid by the high-age allowance again (`domain/resettlement.py`)."""

from __future__ import annotations

from services.allowances.domain.entitlements import entitlement_id
from services.allowances.domain.programmes import HIGH_AGE
from services.allowances.domain.reinstatement import paid_since_grant
from services.allowances.domain.resettlement import kept_by_month, resettled
from services.allowances.service_layer.container import Allowances
from services.allowances.service_layer.reinstatement import past_cycles


def resettle_birth_date(allowances: Allowances, elder_id: str, cause: str, by: str) -> bool:
    """True if any correction was recorded now; each has an id derived from `cause`, so a
    second delivery records nothing."""
    elder = allowances.elders.get(elder_id)
    standing = {e.entitlement_id: e for e in allowances.entitlements.of_elder(elder_id)}
    paid = standing.get(entitlement_id(HIGH_AGE, elder_id))
    if elder is None or paid is None or not paid_since_grant(paid):
        return False  # not being paid by the cycles: the next cycle's back pay settles it
    lines = [line for line in allowances.lines.of_elder(elder_id) if line.programme == HIGH_AGE]
    kept = kept_by_month(
        HIGH_AGE,
        lines,
        allowances.adjustments.each({"elder_id": elder_id}),
        allowances.overpayments.each({"elder_id": elder_id}),
    )
    past = past_cycles(allowances, HIGH_AGE, {line.cycle_id for line in lines})
    corrections = resettled(elder, HIGH_AGE, past, kept, cause, by, allowances.clock.now())
    added = [
        allowances.adjustments.add(correction, change="adjustment.birth_date_corrected")
        for correction in corrections
    ]
    return any(added)
