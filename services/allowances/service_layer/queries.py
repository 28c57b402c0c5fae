"""Read-side use cases: an elder's statement, the 90+ roster."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from services.allowances.domain.programmes import HOME_CARE_VOUCHER
from services.allowances.domain.roster import NinetyPlusRoster, born_by, ninety_plus_roster
from services.allowances.service_layer.vouchers import voucher_of
from shared.errors import NotFound

if TYPE_CHECKING:
    from services.allowances.bootstrap import Allowances


def statement(allowances: Allowances, elder_id: str) -> dict[str, Any]:
    """Everything allowances holds about an elder's money, every amount with its rule."""
    elder = allowances.elders.get(elder_id)
    if elder is None:
        raise NotFound(f"No elder with id {elder_id!r} is known to allowances (yet).")
    lines = allowances.lines.of_elder(elder_id)
    return {
        "elder": elder,
        "entitlements": allowances.entitlements.of_elder(elder_id),
        "lines": lines,
        "overpayments": list(allowances.overpayments.each({"elder_id": elder_id})),
        "adjustments": list(allowances.adjustments.each({"elder_id": elder_id})),
        "vouchers": [
            voucher_of(allowances, line)
            for line in lines
            if line.programme == HOME_CARE_VOUCHER and line.eligible
        ],
    }


def roster(allowances: Allowances, month: str) -> NinetyPlusRoster:
    candidates = allowances.elders.each({"birth_date": {"$lte": born_by(month).isoformat()}})
    return ninety_plus_roster(candidates, month)
