"""`--stores sqlite,postgresql`: FerretDB's backends compared in one run. Each passes the store
conformance test, then runs every workload on a stack of its own; the figures are set side by
side."""

import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import report
from devstack.paths import REPO_ROOT

CONFORMANCE = "tests/integration/test_store_conformance.py"


def compare(backends: list[str], run: Callable[[Path], int], output: Path) -> int:
    """Run each backend into `<output>-<backend>.json`; write the comparison to `output`."""
    outcome = 0
    results: dict[str, dict[str, Any]] = {}
    for backend in backends:
        os.environ["ELDERCARE_STORE_BACKEND"] = backend
        print(f"bench: store {backend}: the conformance test", flush=True)
        conformance = conformance_test()
        print(f"bench: store {backend}: {conformance['summary']}", flush=True)
        path = output.with_name(f"{output.stem}-{backend}.json")
        outcome |= run(path)
        measured = json.loads(path.read_text())
        results[backend] = {
            "conformance": conformance,
            "file": path.name,
            "store": measured["machine"]["store"],
            "figures": measured["figures"],
            "errors": measured["errors"],
        }
        outcome |= 1 if conformance["failed"] else 0
    comparison = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "stores": results}
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(comparison, indent=2, ensure_ascii=False) + "\n")
    output.with_suffix(".md").write_text(markdown(results) + "\n")
    print()
    print(markdown(results))
    print(f"wrote {output}")
    return outcome


def conformance_test() -> dict[str, Any]:
    """The store conformance test on the backend the environment names, as CI runs it."""
    with tempfile.TemporaryDirectory() as directory:
        junit = Path(directory) / "conformance.xml"
        pytest = [sys.executable, "-m", "pytest", CONFORMANCE, "-q", "-p", "no:cacheprovider"]
        subprocess.run(
            [*pytest, f"--junitxml={junit}"],
            cwd=REPO_ROOT,
            capture_output=True,
            timeout=900,
        )
        if not junit.exists():
            return {"passed": 0, "failed": 1, "failures": ["the test did not run"], "summary": ""}
        cases = list(ElementTree.parse(junit).getroot().iter("testcase"))
    failures = [
        case.get("name", "?")
        for case in cases
        if case.find("failure") is not None or case.find("error") is not None
    ]
    total = len(cases)
    passed = total - len(failures)
    summary = f"{passed} of {total} conformance tests passed" + (
        f"; failed: {', '.join(failures)}" if failures else ""
    )
    return {"passed": passed, "failed": len(failures), "failures": failures, "summary": summary}


def markdown(results: dict[str, dict[str, Any]]) -> str:
    """One row per figure, a column per store: its value, and its raw limit in the same run."""
    backends = list(results)
    lines = [
        "| store | " + " | ".join(backends) + " |",
        "| --- | " + " | ".join("---" for _ in backends) + " |",
        "| build | " + " | ".join(results[b]["store"] for b in backends) + " |",
        "| conformance test | "
        + " | ".join(results[b]["conformance"]["summary"] for b in backends)
        + " |",
        "",
        "| workload | figure | target | " + " | ".join(backends) + " |",
        "| --- | --- | --- | " + " | ".join("---:" for _ in backends) + " |",
    ]
    by_store = {b: {_key(f): f for f in results[b]["figures"]} for b in backends}
    every = {key: f for b in backends for key, f in by_store[b].items()}  # in first-seen order
    for key, figure in every.items():
        cells = " | ".join(_cell(by_store[b].get(key)) for b in backends)
        lines.append(f"| {key[0]} | {key[1]} | {figure['target'] or ''} | {cells} |")
    return "\n".join(lines)


def _key(figure: dict[str, Any]) -> tuple[str, str]:
    return figure["workload"], figure["figure"]


def _cell(figure: dict[str, Any] | None) -> str:
    if figure is None:
        return "-"
    value = report.cell(figure["value"])
    raw = report.cell(figure["raw_limit"]["value"])
    met = f" ({report.cell(figure['met'])})" if figure["target"] else ""
    return f"{value} {figure['unit']}{met}; raw {raw}"
