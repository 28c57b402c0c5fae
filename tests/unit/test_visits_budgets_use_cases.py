"""The yearly elder-work budget as use cases on stores in memory: set from the version the
office read (none yet: 0), changed with its spending kept, spending recorded once against a
line, and the district's budgets of a year read together. A budget announces no event: what
happened is in its history."""

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from memory_visits import memory_visits

from services.visits.domain.budgets import Budget, BudgetLine, PartnerUnit, Spending
from services.visits.service_layer import budgets
from services.visits.service_layer.container import Visits
from shared.errors import Conflict, NotFound, RuleViolation
from shared.memory_stores import MemoryRecords

NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)
TODAY = date(2026, 11, 29)  # in Shanghai too, at 16:30
LINES = [BudgetLine("equipment", 500_000), BudgetLine("activities", 120_050)]
PARTNERS = [
    PartnerUnit("区人民医院", "money", 200_000),
    PartnerUnit("第一小学", "venue", venue="操场"),
]


@pytest.fixture
def visits() -> Visits:
    return memory_visits(NOW)


def kept(visits: Visits) -> MemoryRecords[Budget]:
    store = visits.budgets
    assert isinstance(store, MemoryRecords)
    return store


def spending(spending_id: str, line: str = "equipment", **changes: Any) -> Spending:
    facts = {"amount_fen": 80_000, "spent_on": TODAY, "what": "健身器材", "recorded_by": "li"}
    return Spending(spending_id, line, **{**facts, **changes})


class Unread:
    """The budgets as an office saw them before another office set this one: `get` answers
    None for it, every other call goes through to the store."""

    def __init__(self, store: Any, budget_id: str) -> None:
        self.store = store
        self.budget_id = budget_id

    def get(self, record_id: str) -> Any:
        return None if record_id == self.budget_id else self.store.get(record_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def test_a_budget_is_set_from_version_0_and_changed_from_the_version_read(visits):
    made = budgets.set_budget(visits, "xinhua", 2026, LINES, PARTNERS, "li", 0)
    stored = visits.budgets.require("xinhua:2026")
    assert stored == made
    assert (stored.owner, stored.year, stored.version, stored.set_by) == ("xinhua", 2026, 1, "li")
    assert (stored.planned_fen, stored.partner_money_fen) == (620_050, 200_000)

    changed = budgets.set_budget(visits, "xinhua", 2026, LINES[:1], [], "wang", 1)
    assert visits.budgets.require("xinhua:2026") == changed
    assert (changed.version, changed.lines, changed.partners) == (2, tuple(LINES[:1]), ())
    history = visits.budgets.history("xinhua:2026")
    assert [line["change"] for line in history] == [
        "budget of 2026: 620050 fen planned",
        "budget of 2026: 500000 fen planned",
    ]
    assert kept(visits).announced == []


def test_a_budget_set_from_a_stale_version_or_set_meanwhile_is_refused(visits):
    budgets.set_budget(visits, "xinhua", 2026, LINES, PARTNERS, "li", 0)
    with pytest.raises(Conflict):  # made by someone else: this office read none
        budgets.set_budget(visits, "xinhua", 2026, LINES[:1], [], "wang", 0)
    with pytest.raises(Conflict):  # a version that never was
        budgets.set_budget(visits, "xinhua", 2026, LINES[:1], [], "wang", 2)
    assert visits.budgets.require("xinhua:2026").lines == tuple(LINES)

    # read as none, then set by someone else before this office's write
    late = replace(visits, budgets=Unread(visits.budgets, "xinhua:2026"))
    with pytest.raises(Conflict, match="set meanwhile"):
        budgets.set_budget(late, "xinhua", 2026, LINES[:1], [], "wang", 0)
    assert visits.budgets.require("xinhua:2026").version == 1


def test_a_budget_of_a_year_out_of_range_or_with_a_line_twice_is_refused(visits):
    with pytest.raises(RuleViolation) as year:
        budgets.set_budget(visits, "xinhua", 1999, LINES, [], "li", 0)
    assert year.value.context["field"] == "year"
    twice = [BudgetLine("equipment", 1), BudgetLine("equipment", 2)]
    with pytest.raises(RuleViolation) as lines:
        budgets.set_budget(visits, "xinhua", 2026, twice, [], "li", 0)
    assert lines.value.context["field"] == "lines"
    assert list(visits.budgets.each({})) == []


def test_spending_is_recorded_once_against_a_line_and_a_line_spent_on_is_kept(visits):
    budgets.set_budget(visits, "xinhua", 2026, LINES, PARTNERS, "li", 0)
    spent = budgets.record_spending(visits, "xinhua", 2026, spending("s1"))
    assert visits.budgets.require("xinhua:2026") == spent
    assert (spent.version, spent.spent_fen, spent.left_fen) == (2, 80_000, 740_050)
    again = budgets.record_spending(visits, "xinhua", 2026, spending("s1"))
    assert again == spent  # sent twice: recorded once
    assert len(visits.budgets.history("xinhua:2026")) == 2
    assert visits.budgets.history("xinhua:2026")[-1]["change"] == "80000 fen spent on equipment"

    with pytest.raises(RuleViolation) as dropped:  # money was spent on equipment
        budgets.set_budget(visits, "xinhua", 2026, LINES[1:], [], "li", 2)
    assert dropped.value.context["field"] == "lines"
    kept_line = budgets.set_budget(visits, "xinhua", 2026, LINES[:1], [], "li", 2)
    assert kept_line.spending == spent.spending and kept_line.version == 3


def test_spending_on_no_budget_on_no_line_of_it_or_ahead_of_today_is_refused(visits):
    with pytest.raises(NotFound):
        budgets.record_spending(visits, "xinhua", 2026, spending("s1"))
    budgets.set_budget(visits, "xinhua", 2026, LINES, PARTNERS, "li", 0)
    refused = {
        "line": spending("s2", line="training"),
        "spent_on": spending("s3", spent_on=date(2026, 11, 30)),  # tomorrow in Shanghai
        "amount_fen": spending("s4", amount_fen=0),
    }
    for field, wrong in refused.items():
        with pytest.raises(RuleViolation) as refusal:
            budgets.record_spending(visits, "xinhua", 2026, wrong)
        assert refusal.value.context["field"] == field
    assert visits.budgets.require("xinhua:2026").spending == ()
    with pytest.raises(NotFound):
        budgets.budget_of(visits, "xinhua", 2025)


def test_the_districts_budgets_of_a_year_are_its_own_and_each_communitys(visits):
    assert budgets.district_budgets(visits, 2026) == (None, [])
    budgets.set_budget(visits, "xinhua", 2026, LINES, [], "li", 0)
    budgets.set_budget(visits, "dongfeng", 2026, LINES[:1], [], "zhou", 0)
    budgets.set_budget(visits, "xinhua", 2025, LINES, [], "li", 0)
    own, communities = budgets.district_budgets(visits, 2026)
    assert own is None
    assert [b.budget_id for b in communities] == ["dongfeng:2026", "xinhua:2026"]
    budgets.set_budget(visits, "district", 2026, LINES[1:], [], "chen", 0)
    own, communities = budgets.district_budgets(visits, 2026)
    assert own is not None and own.planned_fen == 120_050
    assert [b.owner for b in communities] == ["dongfeng", "xinhua"]
    with pytest.raises(RuleViolation):
        budgets.district_budgets(visits, 2101)
