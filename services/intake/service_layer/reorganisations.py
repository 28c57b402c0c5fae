"""Use cases of reorganising the district's communities (`domain.reorganisation`): plan one and
see what it moves, apply it, or cancel it.

Applying is a batch the worker carries out (`carry_out`, a scheduled duty), not the request:
the district's list first, then the grid's cells, the households and the elders, then the
staff. Each record moves in its own compare-and-set write, with its history line and event;
each pass selects only what is still to move, so that a pass stopped anywhere (a crash, a
record changed meanwhile) is resumed by the next one, which moves nothing twice. The figures
of what moved are counted back from the records' history, exact however many passes it took.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass

from services.intake.domain import elder as elder_rules
from services.intake.domain import grid as grid_rules
from services.intake.domain import reorganisation as rules
from services.intake.domain.district import changed
from services.intake.domain.grid import GridCell
from services.intake.domain.household import Household
from services.intake.domain.reorganisation import (
    APPLIED,
    APPLYING,
    MERGE,
    Figures,
    Leaving,
    Plan,
    Reorganisation,
    moved_line,
)
from services.intake.service_layer import changes, grid, households, users
from services.intake.service_layer.container import Intake
from shared.audit import Actor
from shared.changes import Change
from shared.errors import Conflict, RuleViolation
from shared.events import announce_change
from shared.stores import at_version

BATCH = 500  # elders read and moved at a time
ACTIVE = "active"


@dataclass(frozen=True)
class AffectedStaff:
    """A staff account of a community reorganised: where it works now and after."""

    username: str
    roles: tuple[str, ...]
    community: str
    becomes: str  # the community after (the same where it stays)


def plan(intake: Intake, sent: Plan, by: Actor) -> Reorganisation:
    """Check the plan against the district as it is and record it with its preview."""
    check(intake, sent)
    reorganisation = Reorganisation(
        str(uuid.uuid4()), sent, by.user, intake.clock.now(), preview=preview(intake, sent)
    )
    intake.reorganisations.add(reorganisation, change=f"planned: {sent.described()}")
    return reorganisation


def listed(
    intake: Intake, status: str | None, skip: int, limit: int
) -> tuple[list[Reorganisation], int]:
    """A page of the reorganisations (of one status, if named), the newest planned first, and
    how many there are."""
    query = {"status": status} if status else {}
    return intake.reorganisations.find(query, [("planned_at", -1)], skip, limit)


def check(intake: Intake, sent: Plan) -> None:
    cells = {c.cell_id: c for c in _cells(intake, sent.sources, {"status": ACTIVE})}
    rules.check_plan(sent, intake.district.get(), cells)


def preview(intake: Intake, sent: Plan) -> Figures:
    """What the plan would move now."""
    moving = Counter(community for _, community in _elders_to_move(intake, sent))
    return Figures(
        elders=tuple(Leaving(c, n) for c, n in sorted(moving.items())),
        households=sum(1 for _ in _households_to_move(intake, sent)),
        cells=len(_cells_to_move(intake, sent)),
        staff=sum(1 for s in affected_staff(intake, sent) if s.becomes != s.community),
    )


def elders_moving(intake: Intake, sent: Plan) -> list[str]:
    """The ids of the active elders the plan would move now, in the order of their ids."""
    return sorted(elder_id for elder_id, _ in _elders_to_move(intake, sent))


def affected_staff(intake: Intake, sent: Plan) -> list[AffectedStaff]:
    """The staff of every community the plan touches: those of a merged community join the
    one it becomes; others keep theirs, with more or fewer elders in it."""
    touched = {*sent.sources, sent.target}
    return [
        AffectedStaff(
            user.username,
            user.roles,
            user.community,
            sent.target if sent.kind == MERGE and sent.moves(user.community) else user.community,
        )
        for user in intake.users.all()
        if user.community in touched
    ]


def apply(intake: Intake, reorganisation_id: str, version: int, by: Actor) -> Reorganisation:
    """Start applying a previewed plan; the worker carries it out. One at a time."""
    reorganisation = at_version(intake.reorganisations, reorganisation_id, version)
    change = rules.start(reorganisation, by.user, intake.clock.now())
    running = next(iter(intake.reorganisations.each({"status": APPLYING})), None)
    if running is not None:
        raise RuleViolation(
            f"reorganisation {running.reorganisation_id} is being applied; wait until it is done",
            field="status",
        )
    check(intake, reorganisation.plan)  # the district may have changed since the preview
    return _save(intake, reorganisation, change)


def cancel(intake: Intake, reorganisation_id: str, version: int) -> Reorganisation:
    reorganisation = at_version(intake.reorganisations, reorganisation_id, version)
    return _save(intake, reorganisation, rules.cancel(reorganisation))


def carry_out(intake: Intake) -> int:
    """Carry out every reorganisation being applied, as far as it goes; returns how many
    records moved in this pass. Stopped anywhere, the next pass resumes it."""
    moved = 0
    for reorganisation in list(intake.reorganisations.each({"status": APPLYING})):
        moved += carry_out_one(intake, reorganisation)
    return moved


def carry_out_one(intake: Intake, reorganisation: Reorganisation) -> int:
    plan_, rid = reorganisation.plan, reorganisation.reorganisation_id
    by = Actor(reorganisation.applied_by or reorganisation.planned_by, f"reorganisation {rid}")
    district = intake.district.get()
    after = rules.district_after(district, reorganisation)
    if after != district:
        try:
            intake.district.save(district, changed(after), "district.reorganised")
        except Conflict:
            return 0  # the configuration changed meanwhile: the next pass reads it again
    moved = _move_cells(intake, reorganisation)
    moved += _move_households(intake, reorganisation)
    moved += _move_elders(intake, reorganisation, by)
    moved += _move_staff(intake, plan_)
    if _still_to_move(intake, plan_):
        return moved  # some record changed meanwhile: the next pass moves it
    finished = rules.finish(reorganisation, _moved(intake, reorganisation), intake.clock.now())
    with suppress(Conflict):  # another pass finished it
        _save(intake, reorganisation, finished)
    return moved


def _move_cells(intake: Intake, reorganisation: Reorganisation) -> int:
    moved = 0
    for cell, community in _cells_to_move(intake, reorganisation.plan):
        summary = moved_line(reorganisation.plan, reorganisation.reorganisation_id, cell.community)
        change = grid_rules.reorganise_cell(cell, community, summary)
        events = announce_change(intake, change, cell.cell_id, grid.state(change.after))
        moved += intake.grid.save(cell, change.after, *events, change=summary)
    return moved


def _move_households(intake: Intake, reorganisation: Reorganisation) -> int:
    plan_, moved = reorganisation.plan, 0
    cells = _grid_of(intake, plan_)
    for household, community in list(_households_to_move(intake, plan_, cells)):
        kept = plan_.cell_kept(cells.get(household.cell_id or ""))
        summary = moved_line(plan_, reorganisation.reorganisation_id, household.community)
        moved += households.reorganise(intake, household, community, kept, summary)
    return moved


def _move_elders(intake: Intake, reorganisation: Reorganisation, by: Actor) -> int:
    plan_, rid, moved = reorganisation.plan, reorganisation.reorganisation_id, 0
    to_move = list(_elders_to_move(intake, plan_))
    for start in range(0, len(to_move), BATCH):
        for elder in intake.elders.by_ids([i for i, _ in to_move[start : start + BATCH]]):
            if elder.status != ACTIVE or not plan_.moves(elder.community):
                continue
            summary = moved_line(plan_, rid, elder.community)
            change: Change = elder_rules.reorganise(elder, plan_.target, summary, rid)
            try:
                changes.save_change(intake, elder, change, by)
            except Conflict:
                continue  # changed meanwhile: the next pass moves it
            moved += 1
    return moved


def _move_staff(intake: Intake, sent: Plan) -> int:
    moved = 0
    for staff in affected_staff(intake, sent):
        if staff.becomes == staff.community:
            continue
        try:
            users.change_user(intake, staff.username, community=staff.becomes)
        except Conflict:
            continue
        moved += 1
    return moved


def _still_to_move(intake: Intake, sent: Plan) -> bool:
    return bool(
        _cells_to_move(intake, sent)
        or next(_households_to_move(intake, sent), None)
        or next(_elders_to_move(intake, sent), None)
        or any(s.becomes != s.community for s in affected_staff(intake, sent))
    )


def _moved(intake: Intake, reorganisation: Reorganisation) -> Figures:
    """What the reorganisation moved, counted back from the records' history."""
    plan_, rid = reorganisation.plan, reorganisation.reorganisation_id
    sources = [source for source in plan_.sources if plan_.moves(source)]
    lines = [moved_line(plan_, rid, source) for source in sources]
    elders = [
        Leaving(source, intake.elders.changed_by(line))
        for source, line in zip(sources, lines, strict=True)
    ]
    return Figures(
        elders=tuple(sorted((e for e in elders if e.elders), key=lambda e: e.community)),
        households=sum(intake.households.changed_by(line) for line in lines),
        cells=sum(intake.grid.changed_by(line) for line in lines),
        staff=reorganisation.preview.staff,  # only a merge moves staff
    )


def _cells(intake: Intake, communities: tuple[str, ...], query: dict) -> list[GridCell]:
    return list(intake.grid.each({"community": {"$in": list(communities)}, **query}))


def _grid_of(intake: Intake, sent: Plan) -> dict[str, GridCell]:
    """Every cell of the communities the plan touches, by id, wherever it is by now."""
    return {c.cell_id: c for c in _cells(intake, (*sent.sources, sent.target), {})}


def _cells_to_move(intake: Intake, sent: Plan) -> list[tuple[GridCell, str]]:
    found = []
    for cell in _cells(intake, sent.sources, {"status": ACTIVE}):
        community = sent.cell_destination(cell)
        if community is not None:
            found.append((cell, community))
    return found


def _households_to_move(
    intake: Intake, sent: Plan, cells: dict[str, GridCell] | None = None
) -> Iterator[tuple[Household, str]]:
    if cells is None:
        cells = _grid_of(intake, sent)
    query = {"community": {"$in": list(sent.sources)}, "status": ACTIVE}
    for household in intake.households.each(query):
        home = cells.get(household.cell_id or "")
        community = sent.destination(household.community, home, household.address)
        if community is not None:
            yield household, community


def _elders_to_move(intake: Intake, sent: Plan) -> Iterator[tuple[str, str]]:
    """(elder id, community) of each active elder still to move: in a merge, everyone of the
    communities merged; in a split, the members of the households it takes (wherever they
    are by now), and the elders in no household whose address it takes."""
    moving = [s for s in sent.sources if sent.moves(s)]
    if not moving:
        return
    query = {"community": {"$in": moving}, "status": ACTIVE}
    if sent.kind == MERGE:
        for document in intake.elders.scan(query, ["_id", "community"]):
            yield document["_id"], document["community"]
        return
    taken, housed = _split_members(intake, sent)
    for document in intake.elders.scan(query, ["_id", "community", "address"]):
        elder_id = document["_id"]
        if elder_id in taken or (
            elder_id not in housed and sent.takes(None, document.get("address") or "")
        ):
            yield elder_id, document["community"]


def _split_members(intake: Intake, sent: Plan) -> tuple[set[str], set[str]]:
    """The elders of the households the split takes, and of every household around it."""
    cells = _grid_of(intake, sent)
    taken: set[str] = set()
    housed: set[str] = set()
    query = {"community": {"$in": [*sent.sources, sent.target]}, "status": ACTIVE}
    for household in intake.households.each(query):
        housed.update(household.members)
        if sent.takes(cells.get(household.cell_id or ""), household.address):
            taken.update(household.members)
    return taken, housed


def state(reorganisation: Reorganisation) -> dict[str, object]:
    """What the reorganisation's events carry."""
    plan_ = reorganisation.plan
    return {
        "reorganisation_id": reorganisation.reorganisation_id,
        "version": reorganisation.version,
        "status": reorganisation.status,
        "kind": plan_.kind,
        "sources": list(plan_.sources),
        "target": plan_.target,
        "name": plan_.name,
        "retired": list(plan_.retired),
        "worker": plan_.worker,
        "head": plan_.head,
        "elders": reorganisation.moved.elders_total if reorganisation.status == APPLIED else None,
    }


def _save(
    intake: Intake, reorganisation: Reorganisation, change: Change[Reorganisation]
) -> Reorganisation:
    events = announce_change(intake, change, reorganisation.reorganisation_id, state(change.after))
    if not intake.reorganisations.save(
        reorganisation, change.after, *events, change=change.summary
    ):
        raise Conflict(
            "the reorganisation changed meanwhile; reload it",
            reorganisation_id=reorganisation.reorganisation_id,
        )
    return change.after
