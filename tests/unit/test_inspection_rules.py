"""Supervision without a server: an inspection requires corrections due on or after its day;
each is put right once, with how; a correction open past its due date is overdue, and the
open ones are listed the overdue first, of one community or all."""

from datetime import date, timedelta

import pytest
from memory_visits import memory_visits
from test_visits_use_cases import NOW

from services.visits.domain import inspections as rules
from services.visits.service_layer import inspections
from shared.clock import FixedClock
from shared.errors import Conflict, NotFound, RuleViolation

TODAY = date(2026, 11, 29)


def test_an_inspection_requires_corrections_due_on_or_after_its_day():
    done = rules.inspect(
        "i1", "c01", TODAY, "街道驻片工作组", "重点对象名单未更新",
        [("更新重点对象名单", TODAY + timedelta(days=14)), ("补齐走访记录", TODAY)], "admin", TODAY,
    ).after  # fmt: skip
    assert [(c.number, c.status) for c in done.corrections] == [(1, "open"), (2, "open")]
    assert not done.settled and done.overdue(TODAY) == []
    assert [c.number for c in done.overdue(TODAY + timedelta(days=1))] == [2]
    for required, inspected_on in (
        ([("x", TODAY - timedelta(days=1))], TODAY),
        ([(" ", TODAY)], TODAY),
        ([], TODAY + timedelta(days=1)),
    ):
        with pytest.raises(RuleViolation):
            rules.inspect("i2", "c01", inspected_on, "组", "发现", required, "admin", TODAY)


def test_a_correction_is_put_right_once_with_how():
    inspection = rules.inspect(
        "i1", "c01", TODAY, "组", "发现", [("更新名单", TODAY + timedelta(days=7))], "admin", TODAY
    ).after
    later = TODAY + timedelta(days=3)
    fixed = rules.put_right(inspection, 1, "已更新", "li", later, later).after
    assert fixed.settled and fixed.corrections[0].done_by == "li"
    assert fixed.overdue(TODAY + timedelta(days=30)) == []
    with pytest.raises(Conflict):
        rules.put_right(fixed, 1, "again", "li", later, later)
    with pytest.raises(NotFound):
        rules.put_right(inspection, 9, "x", "li", later, later)
    with pytest.raises(RuleViolation):
        rules.put_right(inspection, 1, "x", "li", later + timedelta(days=1), later)


def test_the_open_corrections_are_followed_up_the_overdue_first():
    visits = memory_visits(NOW)
    soon, later = TODAY + timedelta(days=2), TODAY + timedelta(days=20)
    inspections.inspect(
        visits, "i1", "xinhua", TODAY, "组", "发现", [("甲", later), ("乙", soon)], "admin"
    )
    inspections.inspect(visits, "i2", "dongfeng", TODAY, "组", "发现", [("丙", later)], "admin")
    inspections.put_right(visits, "i1", 1, "已办", "li")
    clock = visits.clock
    assert isinstance(clock, FixedClock)
    clock.move_to(NOW + timedelta(days=5))
    followed = inspections.open_corrections(visits)
    assert [(o.inspection_id, o.correction.what, o.overdue) for o in followed] == [
        ("i1", "乙", True),
        ("i2", "丙", False),
    ]
    assert [o.community for o in inspections.open_corrections(visits, "dongfeng")] == ["dongfeng"]
    found, total = inspections.inspections(visits, {"open": True, "community": "xinhua"}, 0, 10)
    assert total == 1 and found[0].inspection_id == "i1"
