"""Reorganising the district's communities (撤并, 拆分, 更名): the reports' district merged 34
neighbourhood committees and 10 villages into 29 communities.

- A **merge** puts several communities into one: a new one, or one of them that absorbs the
  others. The others are retired; their codes and names then mean the one they joined.
- A **split** takes some of a community's buildings, courtyards and resident groups, or the
  homes at some addresses, into a new community.
- A **rename** gives a community a new name; its code, and so every record, stays.

A plan is previewed first (who and what moves where), then applied: the district's list of
communities changes, then the grid's cells, the households and the elders move, each with its
history line and its event, then the staff of the communities merged. Every step selects what
is still to move by a rule that does not change as things move (`destination`), so that the
application, stopped anywhere, resumes and moves nothing twice.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from services.intake.domain.district import Community, District, RetiredCommunity
from services.intake.domain.grid import GridCell, lives_at
from services.intake.domain.household import address_key
from shared.changes import Change
from shared.errors import RuleViolation
from shared.vocabulary import SETTLEMENTS

MERGE, SPLIT, RENAME = "merge", "split", "rename"
KINDS = (MERGE, SPLIT, RENAME)
PREVIEWED, APPLYING, APPLIED, CANCELLED = "previewed", "applying", "applied", "cancelled"
PLACE_KINDS = tuple(SETTLEMENTS)


@dataclass(frozen=True)
class Plan:
    kind: str  # KINDS
    sources: tuple[str, ...]  # the communities reorganised
    # merge: the community they become (new, or one of them); split: the new community; rename:
    # the community renamed
    target: str
    name: str | None = None  # a new community's name, or the new name
    place_kind: str = "community"  # a new community's: community (社区) or village (村)
    cells: tuple[str, ...] = ()  # split: the buildings, courtyards and resident groups that go
    addresses: tuple[str, ...] = ()  # split: the addresses whose homes go (a road, a number)
    # who does the resulting community's work, in visits (none: as visits has it)
    worker: str | None = None
    head: str | None = None

    def moves(self, community: str) -> bool:
        """Whether what is in `community` may move at all."""
        return community in self.sources and community != self.target

    def destination(self, community: str, home: GridCell | None, address: str) -> str | None:
        """Where a household (or a cell, or an elder) in `community` goes, given the building or
        courtyard it is in and its address; None: it stays. The same before and after it moved."""
        if self.kind == RENAME or not self.moves(community):
            return None
        if self.kind == MERGE:
            return self.target
        return self.target if self.takes(home, address) else None

    def takes(self, home: GridCell | None, address: str) -> bool:
        """A split takes this home: its building, courtyard or group is named, or its address
        is at one of the addresses named."""
        if home is not None and self._names(home):
            return True
        key = address_key(address)
        return any(lives_at(key, address_key(named)) for named in self.addresses)

    def cell_destination(self, cell: GridCell) -> str | None:
        """Where a cell of the grid goes: with its community in a merge; in a split, if it is
        named, or is a building or courtyard of a group named."""
        if self.kind == RENAME or not self.moves(cell.community):
            return None
        return self.target if self.kind == MERGE or self._names(cell) else None

    def cell_kept(self, home: GridCell | None) -> str | None:
        """The building or courtyard a household that moves stays in: its own, if that moves
        with it; else none (a split by address leaves the building behind)."""
        if home is None or not (self.kind == MERGE or self._names(home)):
            return None
        return home.cell_id

    @property
    def retired(self) -> tuple[str, ...]:
        """The communities that no longer exist once applied: a merge's others."""
        return tuple(s for s in self.sources if self.kind == MERGE and self.moves(s))

    def _names(self, cell: GridCell) -> bool:
        return bool({cell.cell_id, cell.group_id} & set(self.cells))

    def described(self) -> str:
        sources = ", ".join(self.sources)
        if self.kind == MERGE:
            return f"{sources} merged into {self.target}"
        if self.kind == SPLIT:
            return f"{self.target} split off {sources}"
        return f"{self.target} renamed {self.name}"


@dataclass(frozen=True)
class Leaving:
    """The elders who leave one community."""

    community: str
    elders: int


@dataclass(frozen=True)
class Figures:
    """What a reorganisation moves (or moved): active elders by the community they leave,
    households, cells of the grid, and staff accounts."""

    elders: tuple[Leaving, ...] = ()
    households: int = 0
    cells: int = 0
    staff: int = 0

    @property
    def elders_total(self) -> int:
        return sum(leaving.elders for leaving in self.elders)

    def leaving(self) -> dict[str, int]:
        return {leaving.community: leaving.elders for leaving in self.elders}


@dataclass(frozen=True)
class Reorganisation:
    reorganisation_id: str
    plan: Plan
    planned_by: str
    planned_at: datetime
    status: str = PREVIEWED
    preview: Figures = Figures()
    moved: Figures = Figures()  # once applied
    applied_by: str | None = None
    applying_since: datetime | None = None
    applied_at: datetime | None = None
    version: int = 1


def check_plan(plan: Plan, district: District, cells: dict[str, GridCell]) -> None:
    """Refuses a plan that cannot be carried out on the district as it is; `cells` are the
    active cells of the grid by id."""
    if plan.kind not in KINDS:
        raise RuleViolation(f"unknown reorganisation {plan.kind!r}", field="kind")
    if len(set(plan.sources)) != len(plan.sources) or not plan.sources:
        raise RuleViolation("name each community reorganised once", field="sources")
    for code in plan.sources:
        district.community(code)
    if plan.place_kind not in PLACE_KINDS:
        raise RuleViolation("a community is a community or a village", field="place_kind")
    {MERGE: _check_merge, SPLIT: _check_split, RENAME: _check_rename}[plan.kind](plan, district)
    for cell_id in plan.cells:
        cell = cells.get(cell_id)
        if cell is None or cell.community != plan.sources[0]:
            raise RuleViolation(
                f"{cell_id!r} is not a building, courtyard or group of {plan.sources[0]}",
                field="cells",
            )


def _check_merge(plan: Plan, district: District) -> None:
    existing = district.known(plan.target)
    if existing is not None and plan.target not in plan.sources:
        raise RuleViolation(
            f"{plan.target} is a community already: list it among those merged, to keep it",
            field="target",
        )
    if len(plan.sources) < 2:  # distinct, so one at least is not the target
        raise RuleViolation("a merge takes two communities or more", field="sources")
    if existing is None:
        _check_new(plan, district)
    elif plan.name and plan.name != existing.name:
        raise RuleViolation(
            f"{plan.target} keeps its name {existing.name}; rename it on its own",
            field="name",
        )
    if plan.cells or plan.addresses:
        raise RuleViolation("a merge moves whole communities: name no buildings", field="cells")


def _check_split(plan: Plan, district: District) -> None:
    if len(plan.sources) != 1:
        raise RuleViolation("a split takes one community", field="sources")
    _check_new(plan, district)
    if not plan.cells and not [a for a in plan.addresses if a.strip()]:
        raise RuleViolation(
            "name the buildings, courtyards or groups, or the addresses, that go",
            field="cells",
        )


def _check_rename(plan: Plan, district: District) -> None:
    if plan.sources != (plan.target,):
        raise RuleViolation("a rename takes one community, which keeps its code", field="target")
    current = district.community(plan.target)
    if not plan.name or plan.name.strip() == current.name:
        raise RuleViolation(f"give {plan.target} a name other than {current.name}", field="name")
    _check_name_free(plan.name, district, plan.target)
    if plan.cells or plan.addresses:
        raise RuleViolation("a rename moves nothing: name no buildings", field="cells")


def _check_new(plan: Plan, district: District) -> None:
    if district.known(plan.target) is not None or district.retired_as(plan.target):
        raise RuleViolation(f"the code {plan.target} is taken already", field="target")
    if not plan.target.strip():
        raise RuleViolation("give the new community a code", field="target")
    if not plan.name or not plan.name.strip():
        raise RuleViolation(f"give {plan.target} a name", field="name")
    _check_name_free(plan.name, district, None)


def _check_name_free(name: str, district: District, keeping: str | None) -> None:
    staying = [c for c in district.communities if c.code != keeping]
    clash = next((c for c in staying if name.strip() in (c.name, *c.former_names)), None)
    if clash is not None:
        raise RuleViolation(f"{clash.code} is called {name.strip()} already", field="name")


def district_after(district: District, reorganisation: Reorganisation) -> District:
    """The district's communities once the plan is applied; the same district if it is
    already (so that applying again changes nothing)."""
    plan, rid = reorganisation.plan, reorganisation.reorganisation_id
    communities = list(district.communities)
    retired = list(district.retired)
    if plan.kind == RENAME:
        communities = [
            _renamed(c, plan.name or c.name) if c.code == plan.target else c for c in communities
        ]
    elif district.known(plan.target) is None:
        communities.append(Community(plan.target, (plan.name or "").strip(), plan.place_kind))
    if plan.kind == MERGE:
        for gone in [c for c in communities if plan.moves(c.code)]:
            communities.remove(gone)
            retired.append(RetiredCommunity(gone.code, gone.name, plan.target, rid))
    return replace(district, communities=tuple(communities), retired=tuple(retired))


def _renamed(community: Community, name: str) -> Community:
    if community.name == name.strip():
        return community
    former = (*community.former_names, community.name)
    return replace(community, name=name.strip(), former_names=former)


def start(reorganisation: Reorganisation, by: str, at: datetime) -> Change[Reorganisation]:
    if reorganisation.status != PREVIEWED:
        raise RuleViolation(
            f"the reorganisation is {reorganisation.status} already", field="status"
        )
    after = replace(
        reorganisation,
        status=APPLYING,
        applied_by=by,
        applying_since=at,
        version=reorganisation.version + 1,
    )
    return Change(
        after, [("community.reorganised", {})], f"applying: {reorganisation.plan.described()}"
    )


def cancel(reorganisation: Reorganisation) -> Change[Reorganisation]:
    if reorganisation.status != PREVIEWED:
        raise RuleViolation(
            f"the reorganisation is {reorganisation.status}; only a preview can be cancelled",
            field="status",
        )
    after = replace(reorganisation, status=CANCELLED, version=reorganisation.version + 1)
    return Change(after, [], "cancelled")


def finish(reorganisation: Reorganisation, moved: Figures, at: datetime) -> Change[Reorganisation]:
    after = replace(
        reorganisation,
        status=APPLIED,
        moved=moved,
        applied_at=at,
        version=reorganisation.version + 1,
    )
    summary = (
        f"applied: {reorganisation.plan.described()}; {moved.elders_total} elders, "
        f"{moved.households} households, {moved.cells} cells and {moved.staff} staff moved"
    )
    return Change(after, [("community.reorganised", {})], summary)


def moved_line(plan: Plan, reorganisation_id: str, from_community: str) -> str:
    """The history line of a record moved by the reorganisation: the same for every record it
    moved from one community, so that what it moved can be counted back exactly."""
    return f"reorganised: {from_community} -> {plan.target} ({reorganisation_id})"
