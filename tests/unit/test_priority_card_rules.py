"""The priority service card's rules (老年人优先服务卡): pure domain, no servers."""

from dataclasses import replace
from datetime import date
from itertools import count

import pytest

from services.intake.domain import elder as rules
from services.intake.domain import priority_card as cards
from shared.errors import Conflict, RuleViolation
from tests.unit.test_intake_rules import TODAY, an_elder


def numbering():
    sequence = count(1)
    return lambda: f"D-P-{next(sequence):06d}"


def test_a_card_is_issued_once_with_its_number_and_day():
    issued = cards.issue_priority_card(an_elder(), numbering(), TODAY)
    assert issued.after.priority_card is not None
    assert (issued.after.priority_card.number, issued.after.priority_card.issued_on) == (
        "D-P-000001",
        TODAY,
    )
    assert issued.after.version == 2
    [(kind, details)] = issued.events
    assert kind == "elder.priority_card_issued"
    assert details == {
        "card_number": "D-P-000001",
        "issued_on": TODAY,
        "reissue": False,
        "replaces": None,
    }
    with pytest.raises(Conflict, match="already holds priority service card D-P-000001"):
        cards.issue_priority_card(issued.after, numbering(), TODAY)


def test_a_reissue_cancels_the_card_held_and_issues_a_new_number():
    number = numbering()
    held = cards.issue_priority_card(an_elder(), number, date(2026, 1, 5)).after
    reissued = cards.reissue_priority_card(held, "lost", number, TODAY)
    assert reissued.after.priority_card.number == "D-P-000002"
    assert reissued.after.priority_card.issued_on == TODAY
    assert reissued.events == [
        ("elder.priority_card_cancelled", {"card_number": "D-P-000001", "reason": "lost"}),
        (
            "elder.priority_card_issued",
            {
                "card_number": "D-P-000002",
                "issued_on": TODAY,
                "reissue": True,
                "replaces": "D-P-000001",
            },
        ),
    ]


def test_a_card_is_cancelled_and_can_be_issued_again():
    number = numbering()
    held = cards.issue_priority_card(an_elder(), number, TODAY).after
    cancelled = cards.cancel_priority_card(held, "handed back")
    assert cancelled.after.priority_card is None
    assert cancelled.events == [
        ("elder.priority_card_cancelled", {"card_number": "D-P-000001", "reason": "handed back"})
    ]
    again = cards.issue_priority_card(cancelled.after, number, TODAY)
    assert again.after.priority_card.number == "D-P-000002"


def test_without_a_card_there_is_nothing_to_reissue_or_cancel():
    with pytest.raises(RuleViolation, match="no priority service card to reissue"):
        cards.reissue_priority_card(an_elder(), "lost", numbering(), TODAY)
    with pytest.raises(RuleViolation, match="no priority service card to cancel"):
        cards.cancel_priority_card(an_elder(), "handed back")


def test_no_number_is_taken_for_a_refused_issue():
    taken = []

    def number():
        taken.append(1)
        return "D-P-000009"

    held = cards.issue_priority_card(an_elder(), numbering(), TODAY).after
    with pytest.raises(Conflict):
        cards.issue_priority_card(held, number, TODAY)
    dead = rules.record_death(an_elder(), TODAY, "family", TODAY).after
    with pytest.raises(RuleViolation, match="record is closed"):
        cards.issue_priority_card(dead, number, TODAY)
    assert taken == []


def test_a_death_cancels_both_cards_and_a_merge_drops_them():
    elder = rules.issue_card(an_elder(), "70", lambda c: f"D-{c}-000001", TODAY).after
    elder = cards.issue_priority_card(elder, numbering(), TODAY).after
    died = rules.record_death(elder, TODAY, "family", TODAY)
    assert (died.after.card, died.after.priority_card) == (None, None)
    assert died.events[-1] == (
        "elder.priority_card_cancelled",
        {"card_number": "D-P-000001", "reason": "deceased"},
    )
    merged = rules.resolve_duplicate(replace(elder, possible_duplicates=("e2",)), "e2", "merge")
    assert (merged.after.status, merged.after.priority_card) == ("merged", None)
