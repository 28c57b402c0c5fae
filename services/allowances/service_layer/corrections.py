"""Use cases: an officer records a correction for a later cycle."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from services.allowances.domain.adjustments import Adjustment, record_adjustment
from services.allowances.domain.programmes import RECOVERABLE
from shared.clock import local_today
from shared.errors import NotFound, RuleViolation

if TYPE_CHECKING:
    from services.allowances.bootstrap import Allowances


def adjust(
    allowances: Allowances,
    programme: str,
    elder_id: str,
    month: str,
    amount_fen: int,
    reason: str,
    by: str,
) -> Adjustment:
    """Paid (or recovered) with the programme's next cycle, as an item naming its reason."""
    if programme not in RECOVERABLE:
        raise RuleViolation(
            f"adjustments are made to monthly cash allowances: {', '.join(RECOVERABLE)}",
            field="programme",
        )
    if allowances.elders.get(elder_id) is None:
        raise NotFound(f"No elder with id {elder_id!r} is known to allowances.")
    adjustment = record_adjustment(
        str(uuid.uuid4()),
        programme,
        elder_id,
        month,
        amount_fen,
        reason,
        by,
        allowances.clock.now(),
        local_today(allowances.clock, allowances.settings.zone),
    )
    allowances.adjustments.add(adjustment)
    return adjustment
