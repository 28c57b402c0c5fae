"""Workload 8: the imported street reorganised. The statistics as they stood at a moment (each
record's history undone since) beside today's (the tallies); then the two largest communities
merged into one, timed from the application until intake has moved every record and until
visits and allowances have read every event it published."""

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from pymongo import MongoClient

from bench.http import Client
from bench.kafka_progress import Progress
from bench.stack import Stack
from shared.events import Topics

CONSUMERS = {"visits": "eldercare-visits", "allowances": "eldercare-allowances"}
TARGET = "merged-bench"


def run(stack: Stack, timeout: float) -> dict[str, Any]:
    admin = Client(stack.api("intake"), stack.tokens["admin"], timeout=timeout)
    before = datetime.now(UTC)
    today, today_s = timed(lambda: admin.get_json("/statistics"))
    then, as_of_s = timed(lambda: admin.get_json(f"/statistics?as_of={quote(before.isoformat())}"))
    if then["district"]["elders"] != today["district"]["elders"]:
        raise RuntimeError("the statistics as of a moment past disagree with today's")
    largest = sorted(today["communities"], key=lambda c: -c["elders"])[:2]
    merged = sum(c["elders"] for c in largest)
    plan = {"kind": "merge", "sources": [c["community"] for c in largest], "target": TARGET}
    plan["name"] = "合并后的社区"
    status, planned = admin.post_json("/reorganisations", plan)
    if status != 201:
        raise RuntimeError(f"the plan was answered {status}: {planned}")
    progress = Progress(stack.kafka())
    since = progress.end(Topics.ELDERS)
    path = f"/reorganisations/{planned['reorganisation_id']}"
    started = time.perf_counter()
    status, _ = admin.post_json(f"{path}/application", {"version": planned["version"]})
    if status != 202:
        raise RuntimeError(f"the application was answered {status}")
    marks = follow(admin, path, progress, since, merged, timeout, started)
    progress.close()
    applied = admin.get_json(path)
    after, after_s = timed(lambda: admin.get_json(f"/statistics?community={TARGET}"))
    moved = applied["moved"]["elders_total"]
    return {
        "elders": today["district"]["elders"],
        "statistics_today_s": today_s,
        "statistics_as_of_s": as_of_s,
        "raw_scan_s": raw_scan_seconds(stack),
        "merged_communities": plan["sources"],
        "elders_merged": merged,
        "moved": moved,
        "households_moved": applied["moved"]["households"],
        "counted_after": after["district"]["elders"],
        "statistics_after_s": after_s,
        "milestones_s": {name: round(at, 2) for name, at in marks.items()},
        "intake_records_per_s": round(moved / marks["applied"], 1) if "applied" in marks else 0.0,
        "complete": applied["status"] == "applied" and moved == merged,
    }


def follow(
    admin: Client,
    path: str,
    progress: Progress,
    since: dict,
    merged: int,
    timeout: float,
    started: float,
) -> dict[str, float]:
    """When intake has applied the plan, and each consumer has read the elder events of it."""
    marks: dict[str, float] = {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(marks) < 1 + len(CONSUMERS):
        now = time.perf_counter() - started
        if "applied" not in marks and admin.get_json(path)["status"] == "applied":
            marks["applied"] = now
        for service, group in CONSUMERS.items():
            if service not in marks and progress.consumed(group, Topics.ELDERS, since) >= merged:
                marks[service] = now
        time.sleep(0.5)
    return marks


def timed(call: Callable[[], Any]) -> tuple[Any, float]:
    began = time.perf_counter()
    answer = call()
    return answer, round(time.perf_counter() - began, 3)


def raw_scan_seconds(stack: Stack) -> float:
    """Reading every elder document with pymongo: what any count from the records costs."""
    client: MongoClient = MongoClient(stack.store("intake"))
    try:
        began = time.perf_counter()
        sum(1 for _ in client["eldercare_intake"]["elders"].find({}, {"community": 1}))
        return round(time.perf_counter() - began, 3)
    finally:
        client.close()
