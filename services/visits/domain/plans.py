"""The community's yearly service plan (制订服务计划): its targets, each with the person
responsible; progress against each is worked out from the records when it is read, never typed
in; and the district's plan is the roll-up of its communities'.

A measure is a count (service items offered, lectures, activities, volunteer teams) or a share
in per cent (routine visits made of those due, must-visits made within their deadline), each
kept as its numerator and denominator so that the district's share is counted again from them,
not averaged."""

from collections.abc import Iterable
from dataclasses import dataclass

from shared.changes import Change
from shared.errors import RuleViolation, check_one_of

# measure -> (label, unit); a unit "%" is a share of its denominator
MEASURES = {
    "routine_visits": ("重点对象常规走访完成率", "%"),
    "must_visits_in_time": ("必访按时完成率", "%"),
    "service_items": ("提供的服务项目", "项"),
    "lectures": ("健康讲座", "次"),
    "activities": ("文体活动", "次"),
    "volunteer_teams": ("志愿服务队", "支"),
}


@dataclass(frozen=True)
class Target:
    measure: str
    target: float
    responsible: str


@dataclass(frozen=True)
class Plan:
    plan_id: str  # <community>:<year>
    community: str
    year: int
    targets: tuple[Target, ...]
    made_by: str
    version: int = 1


@dataclass(frozen=True)
class Tally:
    """What the records say of a measure: the count, or a share's parts."""

    numerator: int
    denominator: int | None = None  # None: a count

    @property
    def value(self) -> float | None:
        if self.denominator is None:
            return float(self.numerator)
        return round(100 * self.numerator / self.denominator, 1) if self.denominator else None


@dataclass(frozen=True)
class Progress:
    measure: str
    target: float
    responsible: str
    tally: Tally

    @property
    def reached(self) -> bool:
        value = self.tally.value
        return value is not None and value >= self.target


def plan_id(community: str, year: int) -> str:
    return f"{community}:{year}"


def make_plan(
    community: str, year: int, targets: Iterable[Target], by: str, before: Plan | None
) -> Change[Plan]:
    """The plan as set now (a new one, or the one `before` changed), its targets checked."""
    listed = tuple(targets)
    seen: set[str] = set()
    for target in listed:
        check_one_of(target.measure, MEASURES, "targets", what="measure")
        if target.measure in seen:
            raise RuleViolation(f"{target.measure} is planned twice", field="targets")
        seen.add(target.measure)
        if target.target < 0 or (MEASURES[target.measure][1] == "%" and target.target > 100):
            raise RuleViolation(f"{target.measure}: the target is out of range", field="targets")
        if not target.responsible.strip():
            raise RuleViolation(f"{target.measure}: name the person responsible", field="targets")
    version = before.version + 1 if before else 1
    plan = Plan(plan_id(community, year), community, year, listed, by, version)
    return Change(plan, summary=f"plan of {year}: {len(listed)} targets")


def progress(plan: Plan, tallies: dict[str, Tally]) -> list[Progress]:
    return [
        Progress(t.measure, t.target, t.responsible, tallies.get(t.measure, Tally(0)))
        for t in plan.targets
    ]


def rolled_up(plans: Iterable[list[Progress]]) -> list[Progress]:
    """The district's progress: each measure's targets and parts summed over the communities
    that plan it (a share counted again from its summed parts)."""
    summed: dict[str, tuple[float, int, int | None, list[str]]] = {}
    for community in plans:
        for p in community:
            target, num, den, who = summed.get(p.measure, (0.0, 0, None, []))
            if MEASURES[p.measure][1] == "%":
                target = max(target, p.target)  # the district holds every community to it
                den = (den or 0) + (p.tally.denominator or 0)
            else:
                target += p.target
            summed[p.measure] = (target, num + p.tally.numerator, den, [*who, p.responsible])
    return [
        Progress(m, target, "、".join(dict.fromkeys(who)), Tally(num, den))
        for m, (target, num, den, who) in summed.items()
    ]
