"""A visit obligation: someone must visit an elder between `opens_at` and `due_at`.

States: open -> met (only by a visit record) or cancelled. While open it can become overdue
and then be escalated to the community head; both are flags, because the obligation stays
open until a visit meets it.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from services.visits.domain.triggers import Incident
from services.visits.domain.visit_records import VisitRecord
from shared.changes import Change
from shared.errors import Conflict, RuleViolation


@dataclass(frozen=True)
class Obligation:
    obligation_id: str  # derived from the cause, so a cause creates it once
    elder_id: str
    community: str
    kind: str  # mandatory, routine, pairing, festival, door_check
    source: str  # incident:<id>, elder.moved:<event id>, visit:<id>, home_care, ...
    opens_at: datetime
    due_at: datetime
    created_at: datetime
    assignee: str | None = None
    trigger: str | None = None  # which of the eight must-visits, for kind mandatory
    reported_by: str | None = None
    reference: str | None = None  # the reporter's own id, e.g. a hospital admission
    note: str | None = None
    status: str = "open"
    overdue: bool = False
    escalated: bool = False
    escalated_to: str | None = None
    escalated_at: datetime | None = None
    visit_id: str | None = None
    met_at: datetime | None = None
    gift: str | None = None
    cancelled_reason: str | None = None
    closed_at: datetime | None = None
    version: int = 1

    @property
    def on_time(self) -> bool | None:
        return None if self.met_at is None else self.met_at <= self.due_at

    def is_overdue(self, now: datetime) -> bool:
        return self.status == "open" and now > self.due_at


def mandatory_visit(
    incident: Incident, community: str, hours: int, assignee: str | None, now: datetime
) -> Obligation:
    return Obligation(
        obligation_id=incident.obligation_id,
        elder_id=incident.elder_id,
        community=community,
        kind="mandatory",
        source=incident.source,
        opens_at=incident.occurred_at,
        due_at=incident.occurred_at + timedelta(hours=hours),
        created_at=now,
        assignee=assignee,
        trigger=incident.trigger,
        reported_by=incident.reported_by,
        reference=incident.reference,
        note=incident.note,
    )


def meet(obligation: Obligation, visit: VisitRecord, at: datetime) -> Change[Obligation]:
    """The visit meets the obligation: the same elder, in person, inside its window."""
    _require_open(obligation)
    if visit.elder_id != obligation.elder_id:
        raise RuleViolation(
            f"visit {visit.visit_id} was to another elder than obligation "
            f"{obligation.obligation_id}",
            field="visit_id",
        )
    if not visit.in_person:
        raise RuleViolation(
            "a phone call is recorded but meets no obligation: a visit in person is needed",
            field="visit_id",
        )
    # staff give a visit's time to the minute: one in the minute the obligation opened counts
    if visit.visited_at < obligation.opens_at.replace(second=0, microsecond=0):
        raise RuleViolation(
            f"the visit ({visit.visited_at.isoformat()}) was before obligation "
            f"{obligation.obligation_id} opened ({obligation.opens_at.isoformat()})",
            field="visit_id",
        )
    if obligation.kind == "festival" and not visit.gift:
        raise RuleViolation("a festival visit records the gift given", field="gift")
    if obligation.kind == "door_check" and visit.door_check is None:
        raise RuleViolation(
            "a door-to-door check records what was checked (nothing wrong, or the corrections)",
            field="door_check",
        )
    met = _next(
        obligation,
        status="met",
        visit_id=visit.visit_id,
        met_at=visit.visited_at,
        gift=visit.gift if obligation.kind == "festival" else None,
        closed_at=at,
    )
    details = {"visit_id": visit.visit_id, "met_at": visit.visited_at, "on_time": met.on_time}
    return Change(met, (("obligation.met", {**details, "gift": met.gift}),))


def cancel(obligation: Obligation, reason: str, at: datetime) -> Change[Obligation]:
    _require_open(obligation)
    if not reason.strip():
        raise RuleViolation("say why the obligation is cancelled", field="reason")
    cancelled = _next(obligation, status="cancelled", cancelled_reason=reason, closed_at=at)
    return Change(cancelled, (("obligation.cancelled", {"reason": reason}),))


def flag_overdue(obligation: Obligation, now: datetime, head: str | None) -> Change[Obligation]:
    """Past due and unmet: flag it overdue once, and escalate it once a head is known.

    Without a configured community head it stays overdue and unescalated; a later pass
    escalates it when the district has named one. No events means nothing changed.
    """
    if not obligation.is_overdue(now) or obligation.escalated:
        return Change(obligation)
    events: list[tuple[str, dict]] = []
    changes: dict = {}
    if not obligation.overdue:
        changes["overdue"] = True
        events.append(("obligation.overdue", {"detected_at": now}))
    if head:
        changes.update(escalated=True, escalated_to=head, escalated_at=now)
        events.append(("obligation.escalated", {"escalated_at": now}))
    if not events:
        return Change(obligation)
    return Change(_next(obligation, **changes), tuple(events))


def reassign(obligation: Obligation, community: str, assignee: str | None) -> Change[Obligation]:
    _require_open(obligation)
    if (community, assignee) == (obligation.community, obligation.assignee):
        return Change(obligation)
    details = {
        "previous_community": obligation.community,
        "previous_assignee": obligation.assignee,
    }
    moved = _next(obligation, community=community, assignee=assignee)
    return Change(moved, (("obligation.reassigned", details),))


def _require_open(obligation: Obligation) -> None:
    if obligation.status != "open":
        raise Conflict(
            f"obligation {obligation.obligation_id} is {obligation.status}, no longer open",
            current_status=obligation.status,
        )


def _next(obligation: Obligation, **changes: object) -> Obligation:
    return replace(obligation, **changes, version=obligation.version + 1)  # type: ignore[arg-type]
