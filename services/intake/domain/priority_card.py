"""The priority service card (老年人优先服务卡): issued on request to an elder in the register,
reissued under a new number when lost or worn, and cancelled when it is handed back or the
elder dies, the same way as the elder card. A number is never reused.

Each change carries its events: `elder.priority_card_issued` (with the card it replaces, on a
reissue) and `elder.priority_card_cancelled` (with the reason).
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from services.intake.domain.elder import Elder, PriorityCard, _next, _require_active
from shared.changes import Change
from shared.errors import Conflict, RuleViolation

ISSUED, CANCELLED = "elder.priority_card_issued", "elder.priority_card_cancelled"


def issue_priority_card(elder: Elder, next_number: Callable[[], str], today: date) -> Change[Elder]:
    """`next_number()` allocates the card's number; it is called only once checks pass."""
    _require_active(elder)
    if elder.priority_card:
        raise Conflict(
            f"the elder already holds priority service card {elder.priority_card.number}; "
            "reissue it if it was lost",
            card_number=elder.priority_card.number,
        )
    card = PriorityCard(next_number(), today)
    return Change(
        _next(elder, priority_card=card),
        [(ISSUED, _issued(card, replaces=None))],
        f"priority service card {card.number} issued",
    )


def reissue_priority_card(
    elder: Elder, reason: str, next_number: Callable[[], str], today: date
) -> Change[Elder]:
    old = _held(elder, "reissue")
    card = PriorityCard(next_number(), today)
    events = [
        (CANCELLED, {"card_number": old.number, "reason": reason}),
        (ISSUED, _issued(card, replaces=old.number)),
    ]
    summary = f"priority service card {old.number} cancelled ({reason}); {card.number} issued"
    return Change(_next(elder, priority_card=card), events, summary)


def cancel_priority_card(elder: Elder, reason: str) -> Change[Elder]:
    """The card handed back or withdrawn; the elder may be issued a new one later."""
    old = _held(elder, "cancel")
    return Change(
        _next(elder, priority_card=None),
        [(CANCELLED, {"card_number": old.number, "reason": reason})],
        f"priority service card {old.number} cancelled ({reason})",
    )


def _held(elder: Elder, what: str) -> PriorityCard:
    _require_active(elder)
    if not elder.priority_card:
        raise RuleViolation(f"the elder holds no priority service card to {what}")
    return elder.priority_card


def _issued(card: PriorityCard, replaces: str | None) -> dict[str, Any]:
    return {
        "card_number": card.number,
        "issued_on": card.issued_on,
        "reissue": replaces is not None,
        "replaces": replaces,
    }
