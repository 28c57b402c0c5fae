"""Pairings (结对帮扶): a partner — a volunteer, a cadre, property-management staff, a building
group leader (楼道长) or a neighbour — paired one-to-one with an elder, visiting the elder a set
number of times a month. A pairing ends when either side stops, or the elder dies; its history
stays.

Volunteers and cadres are named by their id (the volunteer's, or the cadre's user name). The
others may have neither; such a partner is known by name and reached by phone, and their visits
are recorded by the community's worker.
"""

from dataclasses import dataclass, replace
from datetime import date

from shared.changes import Change
from shared.errors import Conflict, RuleViolation, check_one_of
from shared.vocabulary import PARTNER_KINDS, PARTNERS_WITH_ID

MAX_VISITS_PER_MONTH = 8
BUILDING_LEADER = "building_leader"  # 楼道长: found from the grid when not named


@dataclass(frozen=True)
class Pairing:
    pairing_id: str
    elder_id: str
    community: str
    partner_id: str | None  # the volunteer's id or the user name; None for others
    partner_name: str
    partner_kind: str  # one of PARTNER_KINDS
    visits_per_month: int
    started_on: date
    partner_phone: str | None = None  # how to reach the partner
    status: str = "active"
    ended_on: date | None = None
    end_reason: str | None = None
    version: int = 1


def pair(
    pairing_id: str,
    elder_id: str,
    community: str,
    partner_id: str | None,
    partner_name: str,
    partner_kind: str,
    visits_per_month: int,
    started_on: date,
    today: date,
    partner_phone: str | None = None,
) -> Change[Pairing]:
    check_one_of(partner_kind, PARTNER_KINDS, "partner_kind", what="a partner")
    if not 1 <= visits_per_month <= MAX_VISITS_PER_MONTH:
        raise RuleViolation(
            f"visits_per_month is 1 to {MAX_VISITS_PER_MONTH}", field="visits_per_month"
        )
    if started_on > today:
        raise RuleViolation("started_on is in the future", field="started_on")
    partner_id, partner_phone = _text(partner_id), _text(partner_phone)
    _check_partner(partner_kind, partner_id, partner_name, partner_phone)
    pairing = Pairing(
        pairing_id,
        elder_id,
        community,
        partner_id,
        partner_name.strip(),
        partner_kind,
        visits_per_month,
        started_on,
        partner_phone,
    )
    return Change(pairing, (("pairing.started", {}),))


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def _check_partner(kind: str, partner_id: str | None, name: str, phone: str | None) -> None:
    if not name.strip():
        raise RuleViolation("name the partner", field="partner_name")
    if kind in PARTNERS_WITH_ID and partner_id is None:
        raise RuleViolation(
            f"a {kind} is named by their id (a volunteer's id, a cadre's user name): give "
            "partner_id",
            field="partner_id",
        )
    if partner_id is None and phone is None:
        raise RuleViolation(
            "a partner who is neither a registered volunteer nor a user of the system is "
            "reached by phone: give partner_phone",
            field="partner_phone",
        )


def visit_assignee(pairing: Pairing, worker: str | None) -> str | None:
    """Who is assigned the pairing's visits: the partner, or, for a partner with no account
    to record them, the community's worker."""
    return pairing.partner_id or worker


def end(pairing: Pairing, reason: str, on: date) -> Change[Pairing]:
    if pairing.status != "active":
        raise Conflict(f"pairing {pairing.pairing_id} has already ended ({pairing.end_reason})")
    if not reason.strip():
        raise RuleViolation("say why the pairing ends", field="reason")
    ended = replace(
        pairing,
        status="ended",
        ended_on=max(on, pairing.started_on),
        end_reason=reason.strip(),
        version=pairing.version + 1,
    )
    return Change(ended, (("pairing.ended", {}),))
