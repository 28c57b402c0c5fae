"""The inspection form's corrections, one a line: a line ending in a day is due that day; any
other is due two weeks after the inspection; blank lines are none; and the open corrections
are listed the overdue first."""

from datetime import date

from portal.inspections import open_corrections, required


def test_each_line_is_a_correction_due_on_its_day_or_in_two_weeks():
    text = "更新重点对象名单 2026-12-31\n\n  补齐两户走访记录  \n张贴服务项目 2026-13-01\n"
    assert required(text, date(2026, 12, 1)) == [
        {"what": "更新重点对象名单", "due_on": "2026-12-31"},
        {"what": "补齐两户走访记录", "due_on": "2026-12-15"},
        {"what": "张贴服务项目 2026-13-01", "due_on": "2026-12-15"},  # no such day
    ]


def test_the_open_corrections_are_listed_the_overdue_first_then_the_soonest_due():
    inspection = {
        "inspection_id": "i1",
        "corrections": [
            {"number": 1, "status": "open", "overdue": False, "due_on": "2026-12-10"},
            {"number": 2, "status": "done", "overdue": False, "due_on": "2026-11-10"},
            {"number": 3, "status": "open", "overdue": True, "due_on": "2026-11-20"},
            {"number": 4, "status": "open", "overdue": False, "due_on": "2026-12-05"},
        ],
    }
    assert [c["number"] for c in open_corrections([inspection])] == [3, 4, 1]
