"""What became of an event another system sent: applied to an elder, or parked for staff when
its ID number matches no elder, then matched to one or discarded. Its key is derived from the
reporter and its reference, so the same report received twice finds its receipt."""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from shared.errors import Conflict
from shared.personal import mask_national_id

APPLIED, PARKED, MATCHED, DISCARDED = "applied", "parked", "matched", "discarded"


@dataclass(frozen=True)
class InboundReceipt:
    key: str
    type: str
    event_id: str
    source: str
    reference: str | None
    occurred_at: datetime | None
    received_at: datetime
    status: str  # applied, parked, matched or discarded
    community: str | None = None  # the elder's, or the one an unknown elder's event names
    elder_id: str | None = None
    outcome: str | None = None
    national_id: str | None = None  # a parked event's, to match it by
    reason: str | None = None  # why it was parked
    envelope: dict[str, Any] | None = None  # a parked event, processed when it is matched
    override: str | None = None  # why it was applied to an elder with another ID number
    closed_by: str | None = None  # who matched or discarded it
    version: int = 1

    def masked(self) -> "InboundReceipt":
        """As its history shows it: the ID number masked, the event itself left out (it is
        the receipt's, not a change of it)."""
        return replace(self, national_id=mask_national_id(self.national_id), envelope=None)


def require_parked(receipt: InboundReceipt) -> None:
    if receipt.status != PARKED:
        raise Conflict(f"inbound event {receipt.key} is not parked (status: {receipt.status})")


def closed(receipt: InboundReceipt, status: str, by: str, **changes: Any) -> InboundReceipt:
    """A parked event matched or discarded, once: a receipt no longer parked refuses."""
    require_parked(receipt)
    return replace(receipt, status=status, closed_by=by, version=receipt.version + 1, **changes)
