"""Allowances' in-memory rolls, entitlements and payment orders (tests/unit/memory_rolls.py)
answer as the real store does: two months of cycles, with a death between them, run on both,
and every read of the roll the service layer makes is compared."""

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from memory_allowances import memory_allowances
from test_allowances_use_cases import city

from services.allowances.bootstrap import bootstrap
from services.allowances.service_layer import cycles, opening
from services.allowances.service_layer.container import Allowances
from shared.clock import FixedClock

NOVEMBER = datetime(2026, 11, 30, 2, tzinfo=UTC)
DECEMBER = datetime(2026, 12, 30, 2, tzinfo=UTC)


def two_months(allowances: Allowances) -> Allowances:
    city(allowances)
    first = opening.open_cycle(allowances, "high_age", "2026-11", "officer-a")
    cycles.review_cycle(allowances, first.cycle_id, "officer-a", None)
    cycles.approve_cycle(allowances, first.cycle_id, "approver-b")
    cycles.export_cycle(allowances, first.cycle_id, "officer-a")
    died = {"status": "deceased", "died_on": date(2026, 11, 10)}
    allowances.elders.apply("e-2", 2, "ev-e-2-died", died)
    later = replace(allowances, clock=FixedClock(DECEMBER))
    opening.open_cycle(later, "high_age", "2026-12", "officer-a")
    return later


def answers(allowances: Allowances) -> dict[str, Any]:
    lines = allowances.lines
    page, total = lines.find({"cycle_id": "high_age:2026-12", "eligible": True}, 0, 10)
    return {
        "november": list(lines.each_of_cycle("high_age:2026-11")),
        "december": list(lines.each_of_cycle("high_age:2026-12")),
        "page": (page, total),
        "of_elders": lines.of_elders("high_age", ["e-1", "e-2", "e-9"]),
        "of_elder": lines.of_elder("e-2", ["high_age"]),
        "standing": allowances.entitlements.of_programme("high_age"),
        "e-2": allowances.entitlements.of_elder("e-2"),
        "order": allowances.payment_orders.get("high_age:2026-11"),
        "withheld": allowances.payment_orders.withheld(
            ["high_age:2026-11"], ["high_age:2026-11:e-1", "high_age:2026-11:e-3"]
        ),
        "cycle": allowances.cycles.require("high_age:2026-12").totals,
    }


@pytest.mark.integration
def test_the_memory_rolls_answer_as_the_real_ones(settings):
    real = bootstrap(settings, FixedClock(NOVEMBER))
    try:
        expected = answers(two_months(real))
    finally:
        real.db.client.drop_database(real.db.name)
    assert expected["e-2"][0].status != "granted"  # the death between the months shows
    assert expected["withheld"] == {"high_age:2026-11:e-1"}
    got = answers(two_months(memory_allowances(NOVEMBER)))
    for key, value in expected.items():
        assert got[key] == value, key
