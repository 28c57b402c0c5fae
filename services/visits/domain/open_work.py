"""Open work as a worklist or a head's page orders it: due within the bounds asked, soonest
first. A community's (or a visitor's) open work is read once and kept until an obligation is
written (`service_layer.open_work`), and each page is chosen from it."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from services.visits.domain.obligations import Obligation


@dataclass(frozen=True)
class DueBounds:
    """`due_at < before` and `due_at <= by`, each if given."""

    before: datetime | None = None
    by: datetime | None = None

    def admit(self, due_at: datetime) -> bool:
        if self.before is not None and not due_at < self.before:
            return False
        return self.by is None or due_at <= self.by


def soonest_due(work: Iterable[Obligation], due: DueBounds) -> list[Obligation]:
    """The obligations due within the bounds, soonest first (the obligation list's order)."""
    chosen = (obligation for obligation in work if due.admit(obligation.due_at))
    return sorted(chosen, key=lambda obligation: (obligation.due_at, obligation.obligation_id))
