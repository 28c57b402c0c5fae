"""Read-side use cases: an elder's statement, the 90+ roster."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from services.allowances.adapters.cycle_rules import rules_of
from services.allowances.domain.cycle import OPENING
from services.allowances.domain.elder import Elder
from services.allowances.domain.programmes import HOME_CARE_VOUCHER
from services.allowances.domain.roll import NOT_ON_ROLL, Assessment, RollLine, roll_line
from services.allowances.domain.roster import NinetyPlusRoster, born_by, ninety_plus_roster
from services.allowances.service_layer.container import Allowances
from services.allowances.service_layer.vouchers import voucher_of
from shared.errors import NotFound
from shared.stores import filtered

# The filters of each list, matched as given (the schemas check their values)
ELDER_FILTERS = ("community",)
VOUCHER_FILTERS = ("month", "elder_id", "community")
CYCLE_FILTERS = ("programme", "month", "state")
LINE_FILTERS = ("eligible", "reason", "community", "elder_id")
CORRECTION_FILTERS = ("elder_id", "programme", "status")
REMINDER_FILTERS = ("status", "cause")


def elders_query(filters: dict[str, Any]) -> dict[str, Any]:
    return filtered(filters, ELDER_FILTERS)


def vouchers_query(filters: dict[str, Any]) -> dict[str, Any]:
    """The home-care vouchers: the programme's paid lines."""
    return filtered(filters, VOUCHER_FILTERS, programme=HOME_CARE_VOUCHER, eligible=True)


def cycles_query(filters: dict[str, Any]) -> dict[str, Any]:
    return filtered(filters, CYCLE_FILTERS)


def lines_query(cycle_id: str, filters: dict[str, Any]) -> dict[str, Any]:
    return filtered(filters, LINE_FILTERS, cycle_id=cycle_id)


def corrections_query(filters: dict[str, Any]) -> dict[str, Any]:
    return filtered(filters, CORRECTION_FILTERS)


def reminders_query(filters: dict[str, Any]) -> dict[str, Any]:
    return filtered(filters, REMINDER_FILTERS)


def payees_query(filters: dict[str, Any]) -> dict[str, Any]:
    """Payee accounts are kept by the elder's id."""
    return {"_id": filters["elder_id"]} if "elder_id" in filters else {}


def statement(allowances: Allowances, elder_id: str) -> dict[str, Any]:
    """Everything allowances holds about an elder's money, every amount with its rule."""
    elder = allowances.elders.get(elder_id)
    if elder is None:
        raise NotFound(f"No elder with id {elder_id!r} is known to allowances (yet).")
    lines = allowances.lines.of_elder(elder_id)
    return {
        "elder": elder,
        "entitlements": allowances.entitlements.of_elder(elder_id),
        "lines": sorted(
            [*lines, *not_on_roll(allowances, elder, {line.cycle_id for line in lines})],
            key=lambda line: (line.month, line.cycle_id),
        ),
        "overpayments": list(allowances.overpayments.each({"elder_id": elder_id})),
        "adjustments": list(allowances.adjustments.each({"elder_id": elder_id})),
        "vouchers": [
            voucher_of(allowances, line)
            for line in lines
            if line.programme == HOME_CARE_VOUCHER and line.eligible
        ],
    }


def not_on_roll(allowances: Allowances, elder: Elder, listed: set[str]) -> list[RollLine]:
    """For each opened cycle that gave the elder no line, why not: worked out now, from that
    cycle's frozen rules, and marked `computed`. The roll gives lines only to the elders its
    programme concerns (see `opening`), so this is where "why is this elder not paid?" is
    answered for everyone else."""
    found = []
    for cycle in allowances.cycles.each({"state": {"$ne": OPENING}}):
        if cycle.cycle_id in listed:
            continue
        rules = rules_of(cycle.programme, cycle.rules)
        assessment = rules.programme.assess(elder, cycle.month, rules.stops)
        if assessment.eligible:  # known to allowances too late for that roll, or changed since
            owed = "; owed months follow as back pay" if rules.programme.back_pay else ""
            detail = f"not on the roll frozen for {cycle.month}{owed}"
            assessment = Assessment.excluded(NOT_ON_ROLL, detail)
        line = roll_line(cycle.cycle_id, cycle.programme, cycle.month, elder, assessment)
        found.append(replace(line, computed=True))
    return found


def roster(allowances: Allowances, month: str) -> NinetyPlusRoster:
    """The month's roster as the elders are now: worked out from those born early enough, and
    kept until the worker next applies an event about an elder."""

    def work_out() -> NinetyPlusRoster:
        candidates = allowances.elders.each({"birth_date": {"$lte": born_by(month).isoformat()}})
        return ninety_plus_roster(candidates, month)

    return allowances.rosters_kept.get(month, work_out)
