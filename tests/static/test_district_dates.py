"""Dates are the district's: what is "today" or "this year" on a page or in a service comes
from the district's time zone, never from the server's clock, which on a UTC host is still
yesterday for the first eight hours of a day in China (the year's figures of 1 January would
be last year's). So no code asks for the server's local date or time."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# a demo survey's ages: a day either way changes nothing it is for
ALLOWED = {"services/intake/entrypoints/cli.py"}


def servers_clock(tree: ast.AST) -> list[int]:
    """Lines calling date.today(), datetime.today() or datetime.now() with no time zone."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        if not (isinstance(owner, ast.Name) and owner.id in ("date", "datetime")):
            continue
        if node.func.attr == "today" or (
            node.func.attr == "now" and not node.args and not node.keywords
        ):
            found.append(node.lineno)
    return found


def test_no_code_asks_the_servers_date():
    offending = []
    for folder in ("portal", "services", "shared", "ops"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name in ALLOWED:
                continue
            lines = servers_clock(ast.parse(path.read_text(encoding="utf-8")))
            offending += [f"{name}:{line}" for line in lines]
    assert offending == []


def test_the_check_finds_what_it_looks_for():
    code = "date.today()\ndatetime.now()\ndatetime.now(zone)\nclock.now()\n"
    assert servers_clock(ast.parse(code)) == [1, 2]
