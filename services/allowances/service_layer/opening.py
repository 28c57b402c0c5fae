"""Opening a cycle: compute the roll of the elders the programme concerns, freeze it, and
total it.

The roll considers only who can be paid this month (`Programme.concerns`: for the high-age
allowance, those 80 or over by the month's end, read by an indexed birth-date bound), those it
pays now (whose payment may stop), and those with adjustments outstanding. Anyone else would
only be excluded, and their statement says why when asked (`queries.statement`), from the
cycle's frozen rules.

The roll is written in batches of lines with ids derived from the cycle and the elder, so that
opening again after an interruption adds only what is missing; the totals are then counted
from what is stored. Back pay and outstanding adjustments become items of the elder's line
(deductions only as far as the line pays), and the standing of each elder whose line changes
it is updated with its event. Overpayments after a death or move are receivables, never
lines.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import Any

from services.allowances.adapters.cycle_rules import rules_of, rules_snapshot
from services.allowances.domain.adjustments import (
    OUTSTANDING,
    Adjustment,
    back_pay,
    corrections,
    paid_months,
)
from services.allowances.domain.cycle import OPENING, AllowanceCycle, begin, cycle_id_for, opened
from services.allowances.domain.elder import ACTIVE, Elder
from services.allowances.domain.entitlements import GRANTED, Entitlement, on_roll
from services.allowances.domain.household import home_care_homes
from services.allowances.domain.programmes import (
    MONTHLY,
    CycleRules,
    FestivalCampaign,
    Programme,
    campaign_id_of,
)
from services.allowances.domain.reinstatement import paid_since_grant
from services.allowances.domain.roll import (
    Assessment,
    Concerned,
    LineItem,
    RollLine,
    Tally,
    Totals,
    roll_line,
)
from services.allowances.domain.stops import stop_of
from services.allowances.service_layer.announcements import entitlement_changed
from services.allowances.service_layer.container import Allowances
from services.allowances.service_layer.stops import stop_payments
from shared.batches import batches
from shared.clock import local_today
from shared.errors import Conflict, RuleViolation
from shared.months import add_months

BATCH = 1000


def programme_named(allowances: Allowances, code: str) -> Programme:
    campaign = campaign_id_of(code)
    if campaign is not None:
        return allowances.campaigns.require(campaign)
    return allowances.programmes.get().monthly(code)


def open_cycle(allowances: Allowances, code: str, month: str | None, by: str) -> AllowanceCycle:
    """Open the programme's cycle for `month` (a festival campaign's month is its own), or
    finish opening one that was interrupted."""
    config = allowances.programmes.get()
    programme = programme_named(allowances, code)
    if isinstance(programme, FestivalCampaign):
        if month not in (None, programme.month):
            raise RuleViolation(
                f"campaign {programme.campaign_id} is paid in {programme.month}", field="month"
            )
        month = programme.month
    if month is None:
        raise RuleViolation("say which month the cycle is for", field="month")
    cycle = allowances.cycles.get(cycle_id_for(code, month))
    if cycle is None:
        latest = next(allowances.cycles.each({"programme": code}, [("month", -1)]), None)
        cycle = begin(
            code,
            month,
            by,
            allowances.clock.now(),
            local_today(allowances.clock, allowances.settings.zone),
            config.report_due_day,
            rules_snapshot(programme, config.stops),
            latest,
        )
        if not allowances.cycles.add(cycle, change="cycle.opening"):
            raise Conflict(f"cycle {cycle.cycle_id} is being opened by someone else just now")
    elif cycle.state != OPENING:
        raise Conflict(
            f"cycle {cycle.cycle_id} is already open (now {cycle.state})", cycle_id=cycle.cycle_id
        )
    frozen = opened(cycle, freeze_roll(allowances, cycle))
    if not allowances.cycles.save(cycle, frozen.after, change=frozen.summary):
        raise Conflict(f"cycle {cycle.cycle_id} was finished by someone else just now")
    return frozen.after


def freeze_roll(allowances: Allowances, cycle: AllowanceCycle) -> Totals:
    rules = rules_of(cycle.programme, cycle.rules)
    standing = allowances.entitlements.of_programme(cycle.programme)
    outstanding = _outstanding_adjustments(allowances, cycle.programme)
    past = (
        {
            c.month: rules_of(c.programme, c.rules)
            for c in allowances.cycles.each(
                {"programme": cycle.programme, "month": {"$lt": cycle.month}}
            )
        }
        if rules.programme.back_pay
        else {}
    )
    tally, carried, all_new = Tally(), dict[str, int](), True
    before = add_months(cycle.month, -1)
    paying = {i for i, e in standing.items() if e.status == GRANTED}
    # stopped since the month before: their line says why this month pays them no more
    stopped = {i for i, e in standing.items() if e.status != GRANTED and e.as_of >= before}
    listed = paying | stopped
    concerns = rules.programme.concerns(cycle.month)
    concerned = _concerned(allowances, concerns, listed, outstanding)
    homes = _home_care_homes(allowances) if concerns.home_care else {}
    held: list[str] = []  # standings changed: announced once the roll is stored
    for elders in batches(concerned, BATCH):
        assessed = {e.elder_id: rules.programme.assess(e, cycle.month, rules.stops) for e in elders}
        owed = _back_pay(allowances, cycle, elders, assessed, standing, past) if past else {}
        elders = [e for e in elders if _on_roll(e, assessed[e.elder_id], listed, outstanding)]
        lines = [
            roll_line(
                cycle.cycle_id,
                cycle.programme,
                cycle.month,
                elder,
                assessed[elder.elder_id],
                _items(
                    assessed[elder.elder_id],
                    owed.get(elder.elder_id, []),
                    outstanding.get(elder.elder_id, []),
                ),
                homes.get(elder.elder_id),
            )
            for elder in elders
        ]
        all_new = allowances.lines.add(lines) and all_new
        _update_standing(allowances, cycle, assessed, standing, held)
        for line in lines:
            _count(line, tally, carried)
    if not all_new:  # an earlier attempt stored part of the roll: count what is stored
        tally, carried = Tally(), {}
        for line in allowances.lines.each_of_cycle(cycle.cycle_id):
            _count(line, tally, carried)
    allowances.entitlements.release(held)
    _settle(allowances, cycle, carried)
    _catch_stops(allowances, cycle, rules.stops)
    return tally.totals()


def _concerned(
    allowances: Allowances, concerned: Concerned, *also: Iterable[str]
) -> Iterator[Elder]:
    """The elders the programme concerns this month, then those of `also` (paid now, or owed)
    not among them, read by id."""
    query: dict[str, Any] = {}
    if concerned.born_by is not None:
        query["birth_date"] = {"$lte": concerned.born_by.isoformat()}
    for flag in ("home_care", "low_income"):
        if getattr(concerned, flag) is not None:
            query[flag] = getattr(concerned, flag)
    seen = set()
    for elder in allowances.elders.each(query, ordered=False):
        seen.add(elder.elder_id)
        yield elder
    others = sorted({i for ids in also for i in ids} - seen)
    for ids in batches(others, BATCH):
        yield from allowances.elders.each({"_id": {"$in": ids}}, ordered=False)


def _home_care_homes(allowances: Allowances) -> dict[str, str]:
    """The home-care household of each elder living in one, as intake's events last said."""
    query = {"home_care": True, "status": ACTIVE}
    return home_care_homes(list(allowances.households.each(query, ordered=False)))


def _on_roll(
    elder: Elder, assessment: Assessment, listed: Collection[str], owed: Collection[str]
) -> bool:
    """Whether the elder gets a line: not one who died, left or was merged before this month,
    is neither paid nor stopped since the month before, and is owed nothing (their statement
    says why, when asked)."""
    return (
        assessment.eligible
        or elder.status == ACTIVE
        or elder.elder_id in listed
        or elder.elder_id in owed
    )


def _items(
    assessment: Assessment, owed: list[LineItem], adjustments: list[Adjustment]
) -> list[LineItem]:
    """Back pay, then the adjustments, deductions taking no more than the line pays."""
    paid = (assessment.item.amount_fen if assessment.item else 0) + sum(
        item.amount_fen for item in owed
    )
    return [*owed, *corrections(paid, adjustments)]


def _count(line: RollLine, tally: Tally, carried: dict[str, int]) -> None:
    tally.add(line)
    for item in line.items:
        if item.ref:
            carried[item.ref] = carried.get(item.ref, 0) + item.amount_fen


def _outstanding_adjustments(allowances: Allowances, programme: str) -> dict[str, list[Adjustment]]:
    found: dict[str, list[Adjustment]] = {}
    query = {"programme": programme, "status": {"$in": list(OUTSTANDING)}}
    for adjustment in allowances.adjustments.each(query):
        found.setdefault(adjustment.elder_id, []).append(adjustment)
    return found


def _back_pay(
    allowances: Allowances,
    cycle: AllowanceCycle,
    elders: list[Elder],
    assessed: dict[str, Assessment],
    standing: dict[str, Entitlement],
    past: dict[str, CycleRules],
) -> dict[str, list[LineItem]]:
    """Only an elder who was not being paid can be owed months: one who was had every month
    since their grant paid, by this same rule, when each cycle opened. An entitlement granted
    again when a death was revoked was not (see `reinstatement.paid_since_grant`)."""
    candidates = [
        e.elder_id
        for e in elders
        if assessed[e.elder_id].eligible
        and (e.elder_id not in standing or not paid_since_grant(standing[e.elder_id]))
    ]
    if not candidates:
        return {}
    earlier = allowances.lines.of_elders(cycle.programme, candidates)
    owed = {}
    for elder in elders:
        if elder.elder_id not in earlier:
            continue
        lines = [line for line in earlier[elder.elder_id] if line.cycle_id != cycle.cycle_id]
        items = back_pay(
            elder,
            past,
            paid_months(lines, cycle.programme),
            {line.month: line.reason for line in lines},
        )
        if items:
            owed[elder.elder_id] = items
    return owed


def _update_standing(
    allowances: Allowances,
    cycle: AllowanceCycle,
    assessed: dict[str, Assessment],
    standing: dict[str, Entitlement],
    held: list[str],
) -> None:
    changes = []
    for elder_id, assessment in assessed.items():
        change = on_roll(
            standing.get(elder_id),
            cycle.programme,
            elder_id,
            cycle.cycle_id,
            cycle.month,
            assessment,
        )
        if change is not None:
            changes.append((change, entitlement_changed(allowances, change)))
    allowances.entitlements.apply(changes, held)


def _settle(allowances: Allowances, cycle: AllowanceCycle, carried: dict[str, int]) -> None:
    """Record on each adjustment the stored roll carries (`carried`: its amount on the stored
    lines) what this cycle took of it; once per cycle, so an opening finished again does not
    count a deduction twice."""
    if not carried:
        return
    query = {"_id": {"$in": sorted(carried)}, "status": {"$in": list(OUTSTANDING)}}
    for adjustment in allowances.adjustments.each(query):
        if cycle.cycle_id in adjustment.cycle_ids:
            continue
        taken = adjustment.carried(cycle.cycle_id, abs(carried[adjustment.adjustment_id]))
        change = "adjustment.applied" if taken.amount_fen > 0 else "adjustment.deducted"
        allowances.adjustments.save(adjustment, taken, change=change)


def _catch_stops(allowances: Allowances, cycle: AllowanceCycle, stops: str) -> None:
    """A death or move recorded while the roll was computed found no line of this cycle to
    recover from, and was noted on the cycle (`stops.stop_payments`): stop those elders'
    payments now that the lines are stored. A stop noted after this read finds the lines
    itself."""
    if cycle.programme not in MONTHLY:
        return
    noted = allowances.lines.stops_noted(cycle.cycle_id)
    for ids in batches(noted, BATCH):
        for elder in allowances.elders.each({"_id": {"$in": ids}}):
            stop = stop_of(elder, stops)
            if stop is not None and stop.from_month <= cycle.month:
                stop_payments(allowances, elder)
