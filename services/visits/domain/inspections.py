"""Supervision (督促检查): the area working group inspects a community, records what it found
and the corrections it requires, each with its due date; the community puts each right and
says how, and a correction still open after its due date is overdue, shown to the head and
the district until it is done.

A correction: open -> done."""

from dataclasses import dataclass, replace
from datetime import date

from shared.changes import Change
from shared.errors import Conflict, NotFound, RuleViolation


@dataclass(frozen=True)
class Correction:
    number: int  # 1, 2, … in the inspection
    what: str
    due_on: date
    status: str = "open"
    done_on: date | None = None
    how: str | None = None  # how it was put right
    done_by: str | None = None

    def is_overdue(self, today: date) -> bool:
        return self.status == "open" and today > self.due_on


@dataclass(frozen=True)
class Inspection:
    inspection_id: str
    community: str
    inspected_on: date
    inspectors: str
    findings: str
    corrections: tuple[Correction, ...]
    recorded_by: str
    version: int = 1

    def overdue(self, today: date) -> list[Correction]:
        return [c for c in self.corrections if c.is_overdue(today)]

    @property
    def settled(self) -> bool:
        return all(c.status == "done" for c in self.corrections)


def inspect(
    inspection_id: str,
    community: str,
    inspected_on: date,
    inspectors: str,
    findings: str,
    required: list[tuple[str, date]],
    recorded_by: str,
    today: date,
) -> Change[Inspection]:
    """An inspection with the corrections it requires, (what, due on) each."""
    if inspected_on > today:
        raise RuleViolation("inspected_on is in the future", field="inspected_on")
    if not inspectors.strip():
        raise RuleViolation("say who inspected", field="inspectors")
    if not findings.strip():
        raise RuleViolation("say what the inspection found", field="findings")
    corrections = []
    for number, (what, due_on) in enumerate(required, start=1):
        if not what.strip():
            raise RuleViolation(
                f"correction {number}: say what is to be put right", field="corrections"
            )
        if due_on < inspected_on:
            raise RuleViolation(
                f"correction {number} is due on {due_on.isoformat()}, before the inspection",
                field="corrections",
            )
        corrections.append(Correction(number, what.strip(), due_on))
    inspection = Inspection(
        inspection_id,
        community,
        inspected_on,
        inspectors.strip(),
        findings.strip(),
        tuple(corrections),
        recorded_by,
    )
    return Change(inspection, summary=f"inspected, {len(corrections)} corrections required")


def put_right(
    inspection: Inspection, number: int, how: str, by: str, on: date, today: date
) -> Change[Inspection]:
    """The community says how a correction was put right, and on which day."""
    found = next((c for c in inspection.corrections if c.number == number), None)
    if found is None:
        raise NotFound(f"inspection {inspection.inspection_id} has no correction {number}")
    if found.status == "done":
        raise Conflict(f"correction {number} was put right on {found.done_on}")
    if not how.strip():
        raise RuleViolation("say how it was put right", field="how")
    if on > today or on < inspection.inspected_on:
        raise RuleViolation("done_on is between the inspection and today", field="done_on")
    done = replace(found, status="done", done_on=on, how=how.strip(), done_by=by)
    corrections = tuple(done if c.number == number else c for c in inspection.corrections)
    after = replace(inspection, corrections=corrections, version=inspection.version + 1)
    return Change(after, summary=f"correction {number} put right")
