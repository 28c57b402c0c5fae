"""Help that goes beyond a visit (物色有关人员予以帮助): a help request referred to another
department, or to a legal helper, with who took it, when, and what came of it; and one-off
relief raised for an elder (募集资金) against the request: what was raised, from whom, and
what was handed over. Amounts are whole fen, never more handed over than raised.

A referral: open -> concluded (its outcome said)."""

from dataclasses import dataclass, replace
from datetime import date

from shared.changes import Change
from shared.errors import Conflict, RuleViolation, check_one_of
from shared.vocabulary import REFERRAL_KINDS


@dataclass(frozen=True)
class Referral:
    referral_id: str
    request_id: str
    elder_id: str
    community: str
    kind: str  # REFERRAL_KINDS
    referred_to: str  # the department or the person
    referred_on: date
    referred_by: str
    reason: str
    status: str = "open"
    outcome: str | None = None
    concluded_on: date | None = None
    version: int = 1


@dataclass(frozen=True)
class Gift:
    gift_id: str  # from the client: a gift sent twice is one
    given_by: str  # a unit or a person
    amount_fen: int
    given_on: date


@dataclass(frozen=True)
class Handover:
    handover_id: str  # from the client: a handover sent twice is one
    amount_fen: int
    handed_on: date
    handed_by: str
    received_by: str  # the elder, or who took it for them


@dataclass(frozen=True)
class Relief:
    """Relief raised for one help request's elder."""

    relief_id: str
    request_id: str
    elder_id: str
    community: str
    purpose: str
    gifts: tuple[Gift, ...] = ()
    handovers: tuple[Handover, ...] = ()
    version: int = 1

    @property
    def raised_fen(self) -> int:
        return sum(g.amount_fen for g in self.gifts)

    @property
    def handed_over_fen(self) -> int:
        return sum(h.amount_fen for h in self.handovers)

    @property
    def held_fen(self) -> int:
        """Raised and not yet handed over."""
        return self.raised_fen - self.handed_over_fen


def refer(
    referral_id: str,
    request_id: str,
    elder_id: str,
    community: str,
    kind: str,
    referred_to: str,
    reason: str,
    by: str,
    on: date,
    today: date,
) -> Change[Referral]:
    check_one_of(kind, REFERRAL_KINDS, "kind")
    if not referred_to.strip():
        raise RuleViolation("say to whom it is referred", field="referred_to")
    if not reason.strip():
        raise RuleViolation("say why it is referred", field="reason")
    _not_after(on, today, "referred_on")
    referral = Referral(
        referral_id,
        request_id,
        elder_id,
        community,
        kind,
        referred_to.strip(),
        on,
        by,
        reason.strip(),
    )
    return Change(referral, summary=f"referred to {referred_to.strip()}")


def conclude(referral: Referral, outcome: str, on: date, today: date) -> Change[Referral]:
    if referral.status == "concluded":
        raise Conflict(f"referral {referral.referral_id} was concluded on {referral.concluded_on}")
    if not outcome.strip():
        raise RuleViolation("say what came of it", field="outcome")
    _not_after(on, today, "concluded_on")
    if on < referral.referred_on:
        raise RuleViolation("concluded_on is before the referral", field="concluded_on")
    after = replace(
        referral,
        status="concluded",
        outcome=outcome.strip(),
        concluded_on=on,
        version=referral.version + 1,
    )
    return Change(after, summary="referral concluded")


def open_relief(
    relief_id: str, request_id: str, elder_id: str, community: str, purpose: str
) -> Change[Relief]:
    if not purpose.strip():
        raise RuleViolation("say what the relief is for", field="purpose")
    relief = Relief(relief_id, request_id, elder_id, community, purpose.strip())
    return Change(relief, summary="relief opened")


def receive_gift(relief: Relief, gift: Gift, today: date) -> Change[Relief] | None:
    """The gift added; None if it was added before (the same id)."""
    if any(g.gift_id == gift.gift_id for g in relief.gifts):
        return None
    _positive(gift.amount_fen)
    if not gift.given_by.strip():
        raise RuleViolation("say who gave it", field="given_by")
    _not_after(gift.given_on, today, "given_on")
    after = replace(relief, gifts=(*relief.gifts, gift), version=relief.version + 1)
    return Change(after, summary=f"{gift.amount_fen} fen given by {gift.given_by}")


def hand_over(relief: Relief, handover: Handover, today: date) -> Change[Relief] | None:
    """The handover added; None if it was added before (the same id)."""
    if any(h.handover_id == handover.handover_id for h in relief.handovers):
        return None
    _positive(handover.amount_fen)
    if handover.amount_fen > relief.held_fen:
        raise RuleViolation(
            f"only {relief.held_fen} fen raised is not yet handed over", field="amount_fen"
        )
    if not handover.received_by.strip():
        raise RuleViolation("say who received it", field="received_by")
    _not_after(handover.handed_on, today, "handed_on")
    after = replace(relief, handovers=(*relief.handovers, handover), version=relief.version + 1)
    return Change(after, summary=f"{handover.amount_fen} fen handed to {handover.received_by}")


def _positive(amount_fen: int) -> None:
    if amount_fen <= 0:
        raise RuleViolation("an amount is a positive number of fen", field="amount_fen")


def _not_after(day: date, today: date, field: str) -> None:
    if day > today:
        raise RuleViolation(f"{field} is in the future", field=field)
