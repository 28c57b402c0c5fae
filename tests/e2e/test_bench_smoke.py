"""The benchmark command runs end to end at small sizes and reports every figure beside its
raw limit. Speed is never asserted: only that each number is there and makes sense."""

import json
import subprocess
import sys

import pytest

from devstack.paths import REPO_ROOT

WORKLOADS = {
    "1 district import",
    "2 monthly cycle",
    "3 event path",
    "4 API",
    "5 workbench",
    "6 community page",
    "7 worker copies",
    "8 reorganisation",
    "9 activities",
    "10 scorecards",
    "memory",
}


@pytest.mark.timeout(600)
def test_quick_benchmark_reports_every_figure_with_its_raw_limit_and_ratio(tmp_path):
    output = tmp_path / "quick.json"
    finished = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--output", str(output)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    assert "raw limit" in finished.stdout  # the table
    assert "| 1 district import |" in output.with_suffix(".md").read_text()  # and for the docs

    result = json.loads(output.read_text())
    assert result["quick"] is True and result["errors"] == []
    figures = result["figures"]
    assert {f["workload"] for f in figures} == WORKLOADS
    for figure in figures:
        name = f"{figure['workload']}: {figure['figure']}"
        assert figure["value"] > 0, name
        assert figure["raw_limit"]["value"] > 0 and figure["raw_limit"]["what"], name
        assert figure["ratio"] > 0, name
        assert figure["unit"], name
    targets = [f for f in figures if f["target"]]
    pages = [f for f in figures if f["workload"] == "5 workbench"]
    assert len(pages) >= 4  # search, an elder, the worklist, the cycles (and statistics, if there)
    # the import, the event path's p95 and p99, the roll, the community page, the activities'
    # statistics, the scorecards' page and API; and each page
    assert len(targets) == 8 + len(pages) and all(isinstance(f["met"], bool) for f in targets)
    memory = [f for f in figures if f["workload"] == "memory"]
    assert len(memory) == 6  # an API and a worker per service

    details = result["details"]
    imported = details["district_import"]
    assert imported["complete"] and imported["imported"] == result["sizes"]["district_elders"]
    assert details["event_latency"]["lost"] == 0
    split = details["event_latency"]["steps"]  # every admission's path, cut at intake's event
    assert split["admissions"] == details["event_latency"]["visible"] > 0
    path = [f for f in figures if f["workload"] == "3 event path"]
    assert len([f for f in path if f["figure"].startswith("— ")]) == 3
    # what the cores were busy with during the import: every process of the stack, and the
    # whole machine, which holds them all
    spent = imported["cpu_s"]
    assert {"intake-api", "intake-worker", "store-intake", "kafka", "benchmark"} <= set(spent)
    assert sum(spent.values()) <= imported["machine_cpu_s"] * 1.05 + 1
    assert spent["store-intake"] > 0 and imported["cpu_ms_per_elder"] > 0
    cpu = [f for f in figures if f["workload"] == "1 district import" and "CPU" in f["figure"]]
    assert cpu and cpu[0]["raw_limit"]["value"] == result["machine"]["cores"]
    assert details["monthly_cycle"]["reconciles"] is True
    assert details["api"]["failures"] == 0
    assert details["community_pages"]["failures"] == 0
    copies = details["worker_copies"]
    assert copies["events"] >= imported["imported"]  # every registration, consumed again
    assert copies["copies_1"]["per_s"] > 0 and copies["copies_2"]["per_s"] > 0
    year = details["activities_year"]
    assert year["exact"] and year["person_times"] == year["expected_person_times"] > 0
    assert year["statistics"]["errors"] == 0
    scored = details["scorecard_year"]
    assert scored["cards"] >= scored["communities"] and scored["obligations"] > 0
    for read in ("page", "district", "community_card", "measure_lines"):
        assert scored[read]["errors"] == 0 and scored[read]["count"] > 0, read
    reorganised = details["reorganisation"]
    assert reorganised["complete"] and reorganised["elders"] == imported["imported"]
    assert reorganised["moved"] == reorganised["elders_merged"] == reorganised["counted_after"]
    measured = [p for p in details["workbench_pages"]["pages"] if not p.get("absent")]
    assert details["workbench_pages"]["caseload"] > 0
    assert all(p["failures"] == 0 and p["calls"] for p in measured), measured

    machine = result["machine"]
    for key in ("cpu", "cores", "memory_gib", "python", "kafka_python", "broker", "store"):
        assert machine[key], key
    assert len(machine["load_average_before"]) == 3
