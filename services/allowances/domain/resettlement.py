"""Months already paid, settled again when the elder's birth date is corrected.

The birth date decides the high-age band, so a corrected one may mean the elder was owed more
(a higher band, or eligible earlier) or less (a lower band, or not yet 80) for months already
paid. For every past cycle month, what the elder is owed by that cycle's rules and the birth
date now known is set against what the rules left them for it: the band's item and back pay,
less receivables (and older roll recoveries), plus refunds, counting corrections not yet paid.
Each difference becomes a
`high_age.correction` item of the next cycle, either sign. An officer's manual adjustments
are the officer's: they are neither counted nor undone.

This settles an elder being paid by the cycles (`reinstatement.paid_since_grant`). One not
being paid is settled by the next cycle's own back pay, so the two never owe the same month.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime

from services.allowances.domain.adjustments import PENDING, Adjustment
from services.allowances.domain.elder import Elder
from services.allowances.domain.money import yuan
from services.allowances.domain.overpayments import OPEN, PROPOSED, RECOVERED, Overpayment
from services.allowances.domain.programmes import CycleRules
from services.allowances.domain.reinstatement import REFUND
from services.allowances.domain.roll import ADJUSTMENT, RECOVERY, RollLine

CORRECTION = "high_age.correction"
TO_COLLECT = (OPEN, PROPOSED, RECOVERED)  # receivables the family owes or paid back


def kept_by_month(
    programme: str,
    lines: Iterable[RollLine],
    adjustments: Iterable[Adjustment],
    overpayments: Iterable[Overpayment],
) -> dict[str, int]:
    """What the programme's rules left the elder for each month, in fen: paid by the rolls,
    owed by corrections not yet paid, less what the family owes or paid back."""
    kept: dict[str, int] = {}
    ruled = (f"{programme}.", RECOVERY, REFUND)
    for line in lines:
        if line.programme != programme:
            continue
        for item in line.items:
            if item.rule.startswith(ruled):
                kept[item.month] = kept.get(item.month, 0) + item.amount_fen
    for adjustment in adjustments:
        if (
            adjustment.programme == programme
            and adjustment.status == PENDING
            and adjustment.rule != ADJUSTMENT
        ):
            kept[adjustment.month] = kept.get(adjustment.month, 0) + adjustment.amount_fen
    for overpayment in overpayments:
        if (
            overpayment.programme == programme
            and overpayment.status in TO_COLLECT
            and overpayment.recovery_cycle_id is None  # older recoveries are on the lines
        ):
            kept[overpayment.month] = kept.get(overpayment.month, 0) - overpayment.amount_fen
    return kept


def resettled(
    elder: Elder,
    programme: str,
    past: Mapping[str, CycleRules],
    kept: Mapping[str, int],
    cause: str,
    by: str,
    at: datetime,
) -> list[Adjustment]:
    """A correction for every past cycle month whose amount the elder, as now known, is owed
    differs from what was kept; `cause` (the event's id) makes each correction once."""
    found = []
    for month, rules in sorted(past.items()):
        assessment = rules.programme.assess(elder, month, rules.stops)
        owed = assessment.item.amount_fen if assessment.eligible and assessment.item else 0
        difference = owed - kept.get(month, 0)
        if difference == 0:
            continue
        now = f"band {assessment.band}" if assessment.eligible else assessment.reason
        reason = (
            f"birth date corrected to {elder.birth_date}: {month} is owed {yuan(owed)} yuan "
            f"({now}), {yuan(kept.get(month, 0))} yuan was paid"
        )
        found.append(
            Adjustment(
                f"{cause}:{programme}:{month}",
                programme,
                elder.elder_id,
                month,
                difference,
                reason,
                by,
                at,
                rule=CORRECTION,
            )
        )
    return found
