"""The yearly elder-work budget's rules: lines known and budgeted once, partner units giving
money or a venue, spending against a line within the year, recorded once, a line spent on
kept, and the year's funds, spending and what is left counted to the fen."""

from datetime import date

import pytest

from services.visits.domain.budgets import (
    BudgetLine,
    PartnerUnit,
    Spending,
    at_version,
    set_budget,
    spend,
)
from shared.errors import Conflict, RuleViolation

TODAY = date(2026, 6, 10)
LINES = [BudgetLine("equipment", 500_000), BudgetLine("periodicals", 120_050)]
PARTNERS = [
    PartnerUnit("区人民医院", "money", 200_000),
    PartnerUnit("第一小学", "venue", venue="操场"),
]


def budget():
    return set_budget("xinhua", 2026, LINES, PARTNERS, "li", None).after


def test_the_years_funds_spending_and_what_is_left_are_counted_to_the_fen():
    first = spend(budget(), Spending("s1", "equipment", 333_333, TODAY, "健身器材", "li"), TODAY)
    assert first is not None
    after = first.after
    again = spend(after, Spending("s1", "equipment", 333_333, TODAY, "健身器材", "li"), TODAY)
    assert again is None  # sent twice, recorded once
    more = spend(after, Spending("s2", "periodicals", 130_000, TODAY, "老年报", "li"), TODAY)
    assert more is not None
    spent = more.after
    assert (spent.planned_fen, spent.partner_money_fen, spent.spent_fen) == (
        620_050,
        200_000,
        463_333,
    )
    assert spent.left_fen == 620_050 + 200_000 - 463_333
    assert spent.spent_on_line("periodicals") - 120_050 == 9_950  # overspent, shown not refused
    assert (spent.version, spent.budget_id) == (3, "xinhua:2026")


def test_a_budget_refuses_what_the_office_could_not_mean():
    for lines in ([BudgetLine("yachts", 1)], [LINES[0], LINES[0]], [BudgetLine("other", -1)]):
        with pytest.raises(RuleViolation):
            set_budget("xinhua", 2026, lines, [], "li", None)
    for partner in (
        PartnerUnit("", "money", 1),
        PartnerUnit("某公司", "goods"),
        PartnerUnit("某公司", "money", 0),
        PartnerUnit("某学校", "venue"),
    ):
        with pytest.raises(RuleViolation):
            set_budget("xinhua", 2026, LINES, [partner], "li", None)


def test_spending_is_on_a_line_of_the_budget_within_its_year():
    for wrong in (
        Spending("s", "training", 100, TODAY, "培训", "li"),  # not budgeted
        Spending("s", "equipment", 0, TODAY, "器材", "li"),
        Spending("s", "equipment", 100, date(2025, 12, 31), "器材", "li"),
        Spending("s", "equipment", 100, date(2026, 6, 11), "器材", "li"),  # tomorrow
        Spending("s", "equipment", 100, TODAY, " ", "li"),
    ):
        with pytest.raises(RuleViolation):
            spend(budget(), wrong, TODAY)


def test_a_line_spent_on_is_kept_and_a_stale_version_is_refused():
    change = spend(budget(), Spending("s1", "periodicals", 100, TODAY, "报纸", "li"), TODAY)
    assert change is not None
    spent = change.after
    with pytest.raises(RuleViolation):
        set_budget("xinhua", 2026, [LINES[0]], [], "li", spent)
    changed = set_budget("xinhua", 2026, [*LINES, BudgetLine("training", 5)], [], "zhao", spent)
    assert changed.after.spending == spent.spending and changed.after.version == spent.version + 1
    assert at_version(spent, spent.version) == spent and at_version(None, 0) is None
    with pytest.raises(Conflict):
        at_version(spent, 1)
