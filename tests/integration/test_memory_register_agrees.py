"""Intake's in-memory container (tests/unit/memory_intake.py) answers as intake on the real
store does: the same use cases run on both, then every kind of read the service layer makes of
the register is compared, by ID number (the generated ids differ)."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from intake_under_test import intake_under_test
from memory_intake import memory_intake
from test_intake_use_cases import assessed_until, registration

from services.intake.domain.district import Community
from services.intake.domain.elder import Circumstances
from services.intake.service_layer import changes, priority_cards, queries, reports
from services.intake.service_layer.container import Intake
from services.intake.service_layer.registration import register_elder, register_many
from shared.audit import Actor

NOW = datetime(2026, 11, 29, 2, tzinfo=UTC)
CLERK = Actor("clerk", "test")
COMMUNITIES = (Community("c01", "一社区"), Community("c02", "二社区"))
FILTERS: list[dict[str, Any]] = [
    {},
    {"community": "c01"},
    {"status": "deceased"},
    {"household_type": "living_alone"},
    {"key_target": True},
    {"card": "any"},
    {"card": "none"},
    {"age_band": "80-89"},
    {"name": "王秀英"},
]


def district(intake: Intake) -> None:
    """Five elders, changed as a district's week changes them."""
    alone = Circumstances(household_type="living_alone")
    first = register_elder(intake, registration(2), CLERK)
    second = register_elder(intake, registration(4, community="c02"), CLERK)
    report = register_many(
        intake,
        [
            (2, registration(6, born=date(1934, 5, 1))),
            (3, registration(8, community="c02", circumstances=alone)),
            (4, registration(2)),
        ],
        CLERK,
    )
    assert (report.imported, report.unchanged) == (2, 1)
    changes.issue_card(intake, first.elder_id, 1, CLERK, None)
    assessed_until(intake, first.elder_id, 2, date(2026, 12, 1))
    priority_cards.issue(intake, second.elder_id, 1, CLERK)
    changes.record_death(intake, second.elder_id, 2, CLERK, date(2026, 11, 20), "家属")


def answers(intake: Intake) -> dict[str, Any]:
    def ids(elders: list[Any]) -> list[str]:
        return [e.national_id for e in elders]

    later = date(2027, 1, 1)  # the assessment lapsed
    found = {}
    for filters in FILTERS:
        # a whole list on one page: the order of the generated ids differs between the two
        page = queries.search(intake, filters, queries.Window(limit=10))
        found[repr(filters)] = (sorted(ids(page.elders)), page.total)
    year = reports.year_summary(intake, "2026")
    return {
        "pages": found,
        "statistics": queries.statistics(intake),
        "year": (
            year.cards_issued,
            year.priority_cards_held,
            year.priority_cards_issued,
            year.household_types,
        ),
        "lapsed": ids(intake.elders.by_ids(intake.elders.with_lapsed_assessments(later))),
        "known": intake.elders.by_national_id(registration(8).national_id) is not None,
        "index": sorted(intake.elders.index().national_ids),
    }


@pytest.mark.integration
def test_the_memory_register_answers_as_the_real_one(settings):
    memory = memory_intake(NOW, COMMUNITIES)
    district(memory)
    with intake_under_test(settings, NOW, COMMUNITIES, "") as real:
        district(real)
        expected = answers(real)
    assert expected["lapsed"] == [registration(2).national_id]  # the comparison compares
    assert expected["pages"][repr({"status": "deceased"})][1] == 1
    # the priority card of the elder who died was issued in the year: it counts, though gone
    assert expected["year"][:3] == ({"70": 1}, 0, 1)
    got = answers(memory)
    assert got["pages"] == expected["pages"]
    assert got["statistics"] == expected["statistics"]
    assert got == expected
