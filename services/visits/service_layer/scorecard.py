"""Use cases of the yearly evaluation (年度考核): the cards of a year worked out from its records,
for the district's communities and workers or one community; the records behind any measure;
the weights the district sets; and the year frozen at its end.

The district's cards read the whole year of every community, which takes seconds on the
development store, so visits' worker counts them ahead (`count_year`, every
`Settings.scorecard_count_seconds`) and they say when; the weights are applied when they are
read. One community's card and the records behind a measure are read as they are now."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from services.visits.domain import scorecard as rules
from services.visits.domain.config import set_scorecard_weights
from services.visits.domain.filings import Filing
from services.visits.domain.scorecard import (
    DISTRICT,
    MEASURES,
    Counted,
    FrozenYear,
    Line,
    Scorecard,
)
from services.visits.domain.scorecard_lines import (
    URGENT,
    five_ones_lines,
    help_lines,
    obligation_lines,
    rating_lines,
    report_lines,
    year_bounds,
)
from services.visits.service_layer.container import Visits
from services.visits.service_layer.plans import check_plan_year
from services.visits.service_layer.records import create
from shared.clock import local_today
from shared.errors import Conflict, NotFound, RuleViolation
from shared.service_contacts import in_force
from shared.vocabulary import KEY_TARGET_REASONS, VOLUNTEER_TEAM_KINDS


@dataclass(frozen=True)
class YearCards:
    """A year's cards as counted at `counted_at`, and as frozen at its end, if it was."""

    year: int
    weights: dict[str, int]
    communities: list[Scorecard]
    workers: list[Scorecard]
    counted_at: datetime
    frozen: FrozenYear | None


def keep_filing(visits: Visits, data: dict[str, Any]) -> bool:
    """A monthly cycle approved, as allowances announced it; a second delivery finds it kept."""
    filing = Filing(
        data["cycle_id"],
        data["programme"],
        data["month"],
        data["late"],
        data["approved_by"],
        data.get("due_on"),
    )
    return visits.filings.add(filing)


def district_cards(visits: Visits, year: int, fresh: bool = False) -> YearCards:
    """Every community's card and every worker's, as last counted (`fresh`, or never counted:
    counted now), weighed as the district weighs them now."""
    check_plan_year(year)
    counted = visits.scorecard_counts.get(str(year))
    if counted is None or fresh:
        counted = count_year(visits, year)
    weights = weights_now(visits)
    cards = [rules.rescored(card, weights) for card in counted.cards]
    return YearCards(
        year,
        weights,
        [c for c in cards if c.kind == rules.COMMUNITY],
        [c for c in cards if c.kind == rules.WORKER],
        counted.counted_at,
        visits.scorecards.get(str(year)),
    )


def count_year(visits: Visits, year: int) -> Counted:
    """Count the year's cards of the whole district from its records, and keep the count (one
    document a year, replaced by each newer count; no history, which would grow with each)."""
    weights = weights_now(visits)
    lines = year_lines(visits, year, None)
    communities = _communities(visits, lines)
    lines += _five_ones(visits, year, communities)
    cards = (
        *rules.community_cards(lines, communities, weights),
        *rules.worker_cards(lines, weights),
    )
    before = visits.scorecard_counts.get(str(year))
    counted = Counted(
        str(year), year, visits.clock.now(), cards, before.version + 1 if before else 1
    )
    facts = {"year": year, "counted_at": counted.counted_at, "cards": cards}
    if visits.scorecard_counts.apply(counted.year_id, counted.version, "count", facts):
        return counted
    return visits.scorecard_counts.get(str(year)) or counted  # another count came first


def count_this_year(visits: Visits) -> Counted:
    """The worker's duty: the current year counted again."""
    return count_year(visits, local_today(visits.clock, visits.settings.zone).year)


def community_card(visits: Visits, community: str, year: int) -> YearCards:
    """One community's card and those of the workers whose work in it was judged, as now."""
    check_plan_year(year)
    weights = weights_now(visits)
    lines = year_lines(visits, year, community) + _five_ones(visits, year, [community])
    card = rules.community_cards(lines, [community], weights)
    workers = rules.worker_cards(lines, weights)
    frozen = visits.scorecards.get(str(year))
    return YearCards(year, weights, card, workers, visits.clock.now(), frozen)


def measure_lines(
    visits: Visits, year: int, measure: str, community: str, worker: str | None = None
) -> list[Line]:
    """The records behind one measure of a card: those that did not count first."""
    check_plan_year(year)
    if measure not in MEASURES:
        raise NotFound(f"no measure {measure!r}; the measures are {', '.join(MEASURES)}")
    if worker is not None and not MEASURES[measure].per_worker:
        raise RuleViolation(
            f"{measure} is a measure of the community, not of a worker", field="worker"
        )
    if measure == "five_ones":
        lines = _five_ones(visits, year, [community])
    else:
        lines = year_lines(visits, year, community, measure)
    chosen = [
        line
        for line in lines
        if line.measure == measure
        and line.community in (community, DISTRICT)
        and (worker is None or line.worker == worker)
    ]
    return sorted(chosen, key=lambda line: (line.counted, line.label))


def year_lines(
    visits: Visits, year: int, community: str | None, measure: str | None = None
) -> list[Line]:
    """The lines of the year's records (of one community, or all), but the five ones'; only
    those a measure needs are read when one is named."""
    zone, now = visits.settings.zone, visits.clock.now()
    start, end = year_bounds(year, zone)  # work not yet due is no line (`scorecard_lines`)
    mine = {} if community is None else {"community": community}
    wanted = set(MEASURES) if measure is None else {measure}
    lines: list[Line] = []
    if wanted & {"must_visits_in_time", "no_overdue_work", "routine_visits"}:
        due = {**mine, "due_at": {"$gte": start, "$lt": end}}
        lines += obligation_lines(visits.obligations.each(due, ordered=False), now, zone)
    if "urgent_help_in_time" in wanted:
        urgent = {**mine, "urgency": URGENT, "reported_at": {"$gte": start, "$lt": end}}
        lines += help_lines(visits.help_requests.each(urgent, ordered=False), now, zone)
    if "satisfaction" in wanted:
        rated = {**mine, "recorded_at": {"$gte": start, "$lt": end}}
        lines += rating_lines(visits.feedback.each(rated, ordered=False), zone)
    if "reports_on_time" in wanted:
        today = local_today(visits.clock, zone)
        lines += report_lines(visits.filings.each({}), year, today)
    return lines


def _five_ones(visits: Visits, year: int, communities: Iterable[str]) -> list[Line]:
    """Each community's five ones: its key-target list and priority cards from the register,
    its volunteer teams of the year, and the district's service guide and hotline."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    contacts = in_force(visits)
    lines = []
    for community in communities:
        active: dict[str, Any] = {"community": community, "status": "active"}
        key_targets = {**active, "key_target_reasons": {"$in": list(KEY_TARGET_REASONS)}}
        teams = visits.activities.teams.each(
            {"community": community, "kind": {"$in": list(VOLUNTEER_TEAM_KINDS)}}
        )
        in_place = {
            "key_target_list": _any(visits.elders.each(key_targets, ordered=False)),
            "service_guide": bool(contacts.service_guide),
            "priority_card": _any(visits.elders.each({**active, "priority_card": True}, False)),
            "hotline": bool(contacts.hotline),
            "volunteer_team": any(t.during(first, last) for t in teams),
        }
        lines += five_ones_lines(community, in_place)
    return lines


def _any(found: Iterable[object]) -> bool:
    return next(iter(found), None) is not None


def _communities(visits: Visits, lines: list[Line]) -> list[str]:
    """The communities the district has staff for, and any its records of the year name."""
    configured = {c.community for c in visits.config.get().communities}
    return sorted(configured | {line.community for line in lines if line.community})


def weights_now(visits: Visits) -> dict[str, int]:
    return rules.weights_of(visits.config.get().scorecard_weights)


def set_weights(visits: Visits, weights: dict[str, int]) -> dict[str, int]:
    """The district sets the weights of some measures; the others keep theirs."""
    config = visits.config.get()
    changed = set_scorecard_weights(config, rules.check_weights(weights))
    visits.config.save(config, changed, "config.scorecard_weights_set")
    return rules.weights_of(changed.scorecard_weights)


def freeze_year(visits: Visits, year: int, by: str) -> FrozenYear:
    """The year's cards, worked out now, frozen as its result."""
    cards = district_cards(visits, year, fresh=True)
    today = local_today(visits.clock, visits.settings.zone)
    change = rules.freeze(
        year,
        [*cards.communities, *cards.workers],
        cards.weights,
        by,
        visits.clock.now(),
        today,
        visits.scorecards.get(str(year)),
    )
    if not create(visits, visits.scorecards, change):
        raise Conflict(f"the scorecards of {year} were frozen meanwhile; read them again")
    return change.after
