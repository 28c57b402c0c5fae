"""The yearly evaluation (年度考核) of the elder work, as a scorecard per community and per
worker: each measure is a share of the records behind it, weighted as the district sets, so
that every point can be traced to the records that earned or lost it.

A measure is a list of lines, one per record it judges (a must-visit, a rating, a month's
report, one of the "five ones"), each counted or not, with why not. Its share is the lines
counted of all its lines. A measure with no line this year (nothing fell due) judges nothing:
it is left out and its weight shared among the others, so that a score is always out of 100.

Who a line is about: a community, or the whole district (`DISTRICT`, the monthly reports the
office files, which every community's card carries). A worker's card has the measures a
worker answers for (`Measure.per_worker`), from the lines that name them.

At the year's end the district freezes the cards (`freeze`), as a payment cycle is frozen:
the frozen cards are the year's result, and a record corrected later changes the cards
worked out now, which are shown beside them, never the frozen ones."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from shared.changes import Change
from shared.errors import Conflict, RuleViolation, check_one_of

DISTRICT = ""  # the community of a line about the whole district


@dataclass(frozen=True)
class Measure:
    label: str
    weight: int  # the default weight; the district's configuration may set another
    per_worker: bool  # a worker's card has it too
    what: str  # what a line is, and when it counts


MEASURES = {
    "must_visits_in_time": Measure("必访按时完成率", 25, True, "每个到期的必访：按时完成即得分"),
    "no_overdue_work": Measure(
        "到期工作无逾期未办", 10, True, "每项已到期的走访任务：已完成或已取消即得分，逾期未办失分"
    ),
    "routine_visits": Measure("常规走访完成率", 20, True, "每个到期的常规走访：已走访即得分"),
    "urgent_help_in_time": Measure(
        "紧急求助及时响应率", 15, True, "每个到期的紧急求助：在响应时限内接手即得分"
    ),
    "reports_on_time": Measure(
        "月报表按时报送率", 10, False, "每月的发放名册及月报表：报送日前提交即得分（全街道）"
    ),
    "satisfaction": Measure("服务满意度", 10, True, "每条评价：满意（4 分及以上）即得分"),
    "five_ones": Measure(
        "“五个一”落实", 10, False, "重点对象名单、服务指南、优先服务卡、服务热线、志愿服务队"
    ),
}
COMMUNITY, WORKER = "community", "worker"


@dataclass(frozen=True)
class Line:
    """One record behind a measure, and whether it counts."""

    measure: str
    community: str  # DISTRICT: about the whole district
    record: str  # the record's id: an obligation, a help request, a rating, a cycle, an item
    label: str  # what it is, for people
    counted: bool
    why: str = ""  # why it does not count, or a note on how it did
    worker: str | None = None  # whose work it judges, if one person's
    elder_id: str | None = None


@dataclass(frozen=True)
class Score:
    measure: str
    weight: int
    counted: int
    lines: int
    points: float | None  # None: nothing to judge; its weight went to the other measures

    @property
    def share(self) -> float | None:
        return round(100 * self.counted / self.lines, 1) if self.lines else None


@dataclass(frozen=True)
class Scorecard:
    kind: str  # COMMUNITY or WORKER
    subject: str  # the community's code, or the worker's user name
    scores: tuple[Score, ...]
    total: float | None  # out of 100; None when no measure judged anything

    def score(self, measure: str) -> Score | None:
        return next((s for s in self.scores if s.measure == measure), None)


@dataclass(frozen=True)
class Counted:
    """The district's cards of a year as last counted from its records (reading a whole year
    of every community takes seconds, so it is counted ahead, not when a page is read)."""

    year_id: str  # the year, as text
    year: int
    counted_at: datetime
    cards: tuple[Scorecard, ...]
    version: int = 1


@dataclass(frozen=True)
class FrozenYear:
    """The year's cards as the district froze them: its result, kept as it was."""

    year_id: str  # the year, as text
    year: int
    frozen_by: str
    frozen_at: datetime
    weights: dict[str, int]
    cards: tuple[Scorecard, ...]
    version: int = 1

    def card(self, kind: str, subject: str) -> Scorecard | None:
        return next((c for c in self.cards if c.kind == kind and c.subject == subject), None)


def weights_of(overrides: Mapping[str, int]) -> dict[str, int]:
    """Every measure's weight: the district's where it set one, else the default."""
    return {m: overrides.get(m, measure.weight) for m, measure in MEASURES.items()}


def check_weights(weights: Mapping[str, int]) -> dict[str, int]:
    for measure, weight in weights.items():
        check_one_of(measure, MEASURES, "weights", what="measure")
        if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 100:
            raise RuleViolation(f"{measure}: a weight is a whole number 0 to 100", field="weights")
    if not any(weights_of(weights).values()):
        raise RuleViolation("at least one measure must weigh something", field="weights")
    return dict(weights)


def scorecard(
    kind: str, subject: str, lines: Iterable[Line], weights: Mapping[str, int]
) -> Scorecard:
    """The card of `lines` (all about `subject`): each measure's share, and its points of the
    100 shared among the measures that judged something, in proportion to their weights."""
    counted: dict[str, list[bool]] = defaultdict(list)
    for line in lines:
        counted[line.measure].append(line.counted)
    tallies = {m: (sum(found), len(found)) for m, found in counted.items()}
    return scored(kind, subject, tallies, weights)


def rescored(card: Scorecard, weights: Mapping[str, int]) -> Scorecard:
    """The card's tallies weighed again: the district's weights as they are now."""
    tallies = {s.measure: (s.counted, s.lines) for s in card.scores}
    return scored(card.kind, card.subject, tallies, weights)


def scored(
    kind: str, subject: str, tallies: Mapping[str, tuple[int, int]], weights: Mapping[str, int]
) -> Scorecard:
    """`tallies`: (counted, lines) of each measure that has lines."""
    measures = [m for m, spec in MEASURES.items() if kind == COMMUNITY or spec.per_worker]
    judged = sum(weights[m] for m in measures if tallies.get(m, (0, 0))[1])
    scores = []
    for m in measures:
        counted, lines = tallies.get(m, (0, 0))
        points = round(100 * weights[m] * counted / lines / judged, 1) if lines and judged else None
        scores.append(Score(m, weights[m], counted, lines, points))
    earned = [s.points for s in scores if s.points is not None]
    return Scorecard(kind, subject, tuple(scores), round(sum(earned), 1) if earned else None)


def community_cards(
    lines: list[Line], communities: Iterable[str], weights: Mapping[str, int]
) -> list[Scorecard]:
    """Each community's card: its own lines, and the district's, which every card carries."""
    mine: dict[str, list[Line]] = defaultdict(list)
    for line in lines:
        mine[line.community].append(line)
    return [
        scorecard(COMMUNITY, c, [*mine[c], *mine[DISTRICT]], weights) for c in sorted(communities)
    ]


def worker_cards(lines: list[Line], weights: Mapping[str, int]) -> list[Scorecard]:
    theirs: dict[str, list[Line]] = defaultdict(list)
    for line in lines:
        if line.worker:
            theirs[line.worker].append(line)
    return [scorecard(WORKER, w, theirs[w], weights) for w in sorted(theirs)]


def freeze(
    year: int,
    cards: Iterable[Scorecard],
    weights: Mapping[str, int],
    by: str,
    now: datetime,
    today: date,
    before: FrozenYear | None,
) -> Change[FrozenYear]:
    """The year's cards frozen as its result, once the year is over, and only once."""
    if before is not None:
        raise Conflict(
            f"the scorecards of {year} were frozen by {before.frozen_by} on "
            f"{before.frozen_at:%Y-%m-%d}; later corrections show beside them"
        )
    if today.year <= year:
        raise RuleViolation(
            f"{year} is not over yet; its scorecards are frozen after it", field="year"
        )
    frozen = FrozenYear(str(year), year, by, now, dict(weights), tuple(cards))
    return Change(frozen, summary=f"scorecards of {year} frozen: {len(frozen.cards)} cards")
