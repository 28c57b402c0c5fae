"""The suite's own layout: pytest imports each test module by its file name (the folders have
no __init__.py), so two modules of one name in two folders stop the whole run at collection."""

import re
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_every_test_module_has_a_name_of_its_own():
    names = Counter(path.name for path in TESTS.rglob("test_*.py"))
    assert len(names) > 100
    assert [name for name, count in names.items() if count > 1] == []


def test_each_reliability_suite_registers_elders_under_an_address_code_of_its_own():
    """The suites share one stack: two under one code would register the same ID numbers,
    and the second would be answered 409 for the first one's elders."""
    found = re.compile(r'^PREFIX = "(\d{6})"', re.MULTILINE)
    codes = Counter(
        code
        for path in (TESTS / "reliability").glob("test_*.py")
        for code in found.findall(path.read_text())
    )
    assert len(codes) >= 4
    assert [code for code, count in codes.items() if count > 1] == []
