"""Opening a cycle: compute the roll of every elder known to allowances, freeze it, and total it.

The roll is written in batches of lines with ids derived from the cycle and the elder, so that
opening again after an interruption adds only what is missing; the totals are then counted
from what is stored. Back pay and pending corrections (overpayments to recover, adjustments)
become items of the elder's line, and the standing of each elder whose line changes it is
updated with its event.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from services.allowances.adapters.cycle_rules import rules_of, rules_snapshot
from services.allowances.domain.adjustments import APPLIED, PENDING, back_pay, paid_months
from services.allowances.domain.cycle import OPENING, AllowanceCycle, begin, cycle_id_for, opened
from services.allowances.domain.elder import Elder
from services.allowances.domain.entitlements import Entitlement, on_roll
from services.allowances.domain.overpayments import OPEN, RECOVERING
from services.allowances.domain.programmes import (
    MONTHLY,
    CycleRules,
    FestivalCampaign,
    Programme,
    campaign_id_of,
)
from services.allowances.domain.reinstatement import paid_since_grant
from services.allowances.domain.roll import Assessment, LineItem, Tally, Totals, roll_line
from services.allowances.domain.stops import CAUSES, stop_of
from services.allowances.service_layer.announcements import entitlement_changed
from services.allowances.service_layer.reinstatement import refund_cancelled_carried
from services.allowances.service_layer.stops import stop_payments
from shared.batches import batches
from shared.clock import local_today
from shared.errors import Conflict, RuleViolation

if TYPE_CHECKING:
    from services.allowances.bootstrap import Allowances

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
    if not allowances.cycles.save(cycle, frozen, change="cycle.roll_frozen"):
        raise Conflict(f"cycle {cycle.cycle_id} was finished by someone else just now")
    return frozen


def freeze_roll(allowances: Allowances, cycle: AllowanceCycle) -> Totals:
    rules = rules_of(cycle.programme, cycle.rules)
    standing = allowances.entitlements.of_programme(cycle.programme)
    corrections = _pending_corrections(allowances, cycle.programme)
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
    tally, paid, carried, all_new = Tally(), set(), set(), True
    for elders in batches(allowances.elders.each({}, ordered=False), BATCH):
        assessed = {e.elder_id: rules.programme.assess(e, cycle.month, rules.stops) for e in elders}
        owed = _back_pay(allowances, cycle, elders, assessed, standing, past) if past else {}
        lines = [
            roll_line(
                cycle.cycle_id,
                cycle.programme,
                cycle.month,
                elder,
                assessed[elder.elder_id],
                [*owed.get(elder.elder_id, ()), *corrections.get(elder.elder_id, ())],
            )
            for elder in elders
        ]
        all_new = allowances.lines.add(lines) and all_new
        _update_standing(allowances, cycle, assessed, standing)
        for line in lines:
            tally.add(line)
            carried.update(line.refs)
            if line.eligible:
                paid.add(line.elder_id)
    if not all_new:  # an earlier attempt stored part of the roll: count what is stored
        tally, paid, carried = Tally(), set(), set()
        for line in allowances.lines.each_of_cycle(cycle.cycle_id):
            tally.add(line)
            carried.update(line.refs)
            if line.eligible:
                paid.add(line.elder_id)
    _settle(allowances, cycle, carried)
    _catch_stops(allowances, cycle, paid, rules.stops)
    return tally.totals()


def _pending_corrections(allowances: Allowances, programme: str) -> dict[str, list[LineItem]]:
    found: dict[str, list[LineItem]] = {}
    for overpayment in allowances.overpayments.each({"programme": programme, "status": OPEN}):
        found.setdefault(overpayment.elder_id, []).append(overpayment.recovery())
    for adjustment in allowances.adjustments.each({"programme": programme, "status": PENDING}):
        found.setdefault(adjustment.elder_id, []).append(adjustment.item())
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
    allowances.entitlements.apply(changes)


def _settle(allowances: Allowances, cycle: AllowanceCycle, carried: set[str]) -> None:
    """Mark the overpayments and adjustments the stored roll carries (`carried`, as counted
    from the stored lines) as taken by this cycle."""
    if not carried:
        return
    ids = sorted(carried)
    for overpayment in allowances.overpayments.each({"_id": {"$in": ids}, "status": OPEN}):
        taken = replace(
            overpayment,
            status=RECOVERING,
            recovery_cycle_id=cycle.cycle_id,
            version=overpayment.version + 1,
        )
        allowances.overpayments.save(overpayment, taken, change="overpayment.recovering")
    for adjustment in allowances.adjustments.each({"_id": {"$in": ids}, "status": PENDING}):
        taken = replace(
            adjustment, status=APPLIED, cycle_id=cycle.cycle_id, version=adjustment.version + 1
        )
        allowances.adjustments.save(adjustment, taken, change="adjustment.applied")
    refund_cancelled_carried(allowances, cycle.cycle_id, ids)


def _catch_stops(allowances: Allowances, cycle: AllowanceCycle, paid: set[str], stops: str) -> None:
    """A death or move recorded while the roll was computed found no line of this cycle to
    recover from; stop those elders' payments now that the lines are stored."""
    if cycle.programme not in MONTHLY:
        return
    for ids in batches(sorted(paid), BATCH):  # the paid elders as they are now, read by id
        stopped = {"_id": {"$in": ids}, "status": {"$in": list(CAUSES)}}
        for elder in allowances.elders.each(stopped):
            stop = stop_of(elder, stops)
            if stop is not None and stop.from_month <= cycle.month:
                stop_payments(allowances, elder)
