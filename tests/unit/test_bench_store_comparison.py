"""`./dev bench --stores`: each figure of each store side by side, with its raw limit."""

from bench import report
from bench.stores import markdown


def _store(name: str, figures: list[dict], failures: list[str]) -> dict:
    summary = f"{20 - len(failures)} of 20 conformance tests passed"
    return {
        "store": f"FerretDB ({name})",
        "conformance": {"failed": len(failures), "failures": failures, "summary": summary},
        "figures": figures,
    }


def test_each_figure_is_one_row_with_a_column_per_store():
    sqlite = [
        report.figure("1 import", "elders", 232.3, "elders/s", 951, "update_one", ">= 500", False),
        report.figure("4 API", "lookup p99", 175.9, "ms", 77.4, "pymongo"),
    ]
    postgresql = [
        report.figure("4 API", "lookup p99", 12.5, "ms", 3.25, "pymongo"),
        report.figure("1 import", "elders", 610.0, "elders/s", 2000, "update_one", ">= 500", True),
    ]
    table = markdown(
        {
            "sqlite": _store("SQLite", sqlite, []),
            "postgresql": _store("PostgreSQL", postgresql, ["test_atomic"]),
        }
    ).splitlines()

    assert table[0] == "| store | sqlite | postgresql |"
    assert "| FerretDB (SQLite) | FerretDB (PostgreSQL) |" in table[2]
    assert "20 of 20 conformance tests passed | 19 of 20" in table[3]
    rows = [line for line in table if line.startswith("| 1 import") or line.startswith("| 4 API")]
    assert rows == [
        "| 1 import | elders | >= 500 | 232.3 elders/s (NO); raw 951 "
        "| 610.0 elders/s (yes); raw 2000 |",
        "| 4 API | lookup p99 |  | 175.9 ms; raw 77.4 | 12.5 ms; raw 3.250 |",
    ]


def test_a_figure_one_store_lacks_shows_a_dash():
    only = [report.figure("6 page", "p95", 267.7, "ms", 5709.6, "pymongo", "< 200", False)]
    table = markdown({"sqlite": _store("SQLite", only, []), "postgresql": _store("PG", [], [])})
    assert "| 6 page | p95 | < 200 | 267.7 ms (NO); raw 5,709.6 | - |" in table
