"""Pairings (结对帮扶): a volunteer or a cadre paired one-to-one with an elder, visiting the
elder a set number of times a month. A pairing ends when either side stops, or the elder dies;
its history stays.
"""

from dataclasses import dataclass, replace
from datetime import date

from services.visits.domain.changes import Change
from shared.errors import Conflict, RuleViolation
from shared.events.visits import PARTNER_KINDS

MAX_VISITS_PER_MONTH = 8


@dataclass(frozen=True)
class Pairing:
    pairing_id: str
    elder_id: str
    community: str
    partner_id: str  # the volunteer's id, or the cadre's user name
    partner_name: str
    partner_kind: str  # volunteer, cadre
    visits_per_month: int
    started_on: date
    status: str = "active"
    ended_on: date | None = None
    end_reason: str | None = None
    version: int = 1


def pair(
    pairing_id: str,
    elder_id: str,
    community: str,
    partner_id: str,
    partner_name: str,
    partner_kind: str,
    visits_per_month: int,
    started_on: date,
    today: date,
) -> Change[Pairing]:
    if partner_kind not in PARTNER_KINDS:
        raise RuleViolation(
            f"a partner is one of {', '.join(PARTNER_KINDS)}, not {partner_kind!r}",
            field="partner_kind",
        )
    if not 1 <= visits_per_month <= MAX_VISITS_PER_MONTH:
        raise RuleViolation(
            f"visits_per_month is 1 to {MAX_VISITS_PER_MONTH}", field="visits_per_month"
        )
    if started_on > today:
        raise RuleViolation("started_on is in the future", field="started_on")
    if not partner_id.strip() or not partner_name.strip():
        raise RuleViolation("name the partner", field="partner_id")
    pairing = Pairing(
        pairing_id,
        elder_id,
        community,
        partner_id.strip(),
        partner_name.strip(),
        partner_kind,
        visits_per_month,
        started_on,
    )
    return Change(pairing, (("pairing.started", {}),))


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
