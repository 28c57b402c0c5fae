"""Use cases of the yearly elder-work budget: set by the community's head (or the district,
which also sets its own), spending recorded against its lines, and the district's budgets of
the year read together."""

from __future__ import annotations

from services.visits.domain import budgets as rules
from services.visits.domain.budgets import (
    DISTRICT_BUDGET,
    Budget,
    BudgetLine,
    PartnerUnit,
    Spending,
)
from services.visits.service_layer.container import Visits
from services.visits.service_layer.plans import check_plan_year
from services.visits.service_layer.records import commit, create
from shared.clock import local_today
from shared.errors import Conflict, NotFound


def set_budget(
    visits: Visits,
    owner: str,
    year: int,
    lines: list[BudgetLine],
    partners: list[PartnerUnit],
    by: str,
    version: int,
) -> Budget:
    """The budget made, or changed from the version the caller read (0: none yet)."""
    check_plan_year(year)
    before = rules.at_version(visits.budgets.get(rules.budget_id(owner, year)), version)
    change = rules.set_budget(owner, year, lines, partners, by, before)
    if before is None:
        if not create(visits, visits.budgets, change):
            raise Conflict("the budget was set meanwhile; read it again")
        return change.after
    return commit(visits, visits.budgets, before, change)


def record_spending(visits: Visits, owner: str, year: int, spending: Spending) -> Budget:
    """Spending against a line; the same spending sent again changes nothing."""
    budget = budget_of(visits, owner, year)
    change = rules.spend(budget, spending, local_today(visits.clock, visits.settings.zone))
    return budget if change is None else commit(visits, visits.budgets, budget, change)


def budget_of(visits: Visits, owner: str, year: int) -> Budget:
    check_plan_year(year)
    budget = visits.budgets.get(rules.budget_id(owner, year))
    if budget is None:
        raise NotFound(f"{owner} has no budget for {year}")
    return budget


def district_budgets(visits: Visits, year: int) -> tuple[Budget | None, list[Budget]]:
    """The district's own budget of the year, if set, and every community's."""
    check_plan_year(year)
    found = sorted(visits.budgets.each({"year": year}), key=lambda b: b.owner)
    own = next((b for b in found if b.owner == DISTRICT_BUDGET), None)
    return own, [b for b in found if b.owner != DISTRICT_BUDGET]
