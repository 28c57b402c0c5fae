"""What became of an event another system sent: applied to an elder, or parked for staff when
its ID number matches no elder, then matched to one or discarded. Its key is derived from the
reporter and its reference, so the same report received twice finds its receipt."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from shared.errors import Conflict
from shared.personal import mask_national_id

APPLIED, PARKED, MATCHED, DISCARDED = "applied", "parked", "matched", "discarded"
# How long a match under way holds a parked event against a discard: a match that stopped
# half-way (its process gone) is resumed by the next match, or given up after this.
MATCHING_FOR = timedelta(minutes=5)


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
    matching_to: str | None = None  # the elder a match under way applies it to
    matching_since: datetime | None = None
    version: int = 1

    def masked(self) -> "InboundReceipt":
        """As its history shows it: the ID number masked, the event itself left out (it is
        the receipt's, not a change of it)."""
        return replace(self, national_id=mask_national_id(self.national_id), envelope=None)


def require_parked(receipt: InboundReceipt) -> None:
    if receipt.status != PARKED:
        raise Conflict(f"inbound event {receipt.key} is not parked (status: {receipt.status})")


def matching(receipt: InboundReceipt, elder_id: str, at: datetime) -> InboundReceipt:
    """A parked event claimed for a match, before the elder's record is changed, so that a
    discard meanwhile is refused rather than leave the record changed and the event
    discarded."""
    require_parked(receipt)
    return replace(receipt, matching_to=elder_id, matching_since=at, version=receipt.version + 1)


def match_given_up(receipt: InboundReceipt) -> InboundReceipt:
    """Parked again as it was: the elder's record refused the event."""
    return replace(receipt, matching_to=None, matching_since=None, version=receipt.version + 1)


def require_not_matching(receipt: InboundReceipt, at: datetime) -> None:
    if receipt.matching_since is not None and at - receipt.matching_since < MATCHING_FOR:
        raise Conflict(
            f"inbound event {receipt.key} is being matched to elder {receipt.matching_to}; "
            "discard it, if still parked, once that is done"
        )


def closed(receipt: InboundReceipt, status: str, by: str, **changes: Any) -> InboundReceipt:
    """A parked event matched or discarded, once: a receipt no longer parked refuses."""
    require_parked(receipt)
    return replace(
        receipt,
        status=status,
        closed_by=by,
        matching_to=None,
        matching_since=None,
        version=receipt.version + 1,
        **changes,
    )
