"""Workload 1: the seed street's generated survey through intake's bulk import, until visits and
allowances hold every elder."""

import time
from datetime import date
from typing import Any

import bson
from pymongo import MongoClient

from bench import raw
from bench.cpu import CpuUse
from bench.http import Client
from bench.kafka_progress import Progress
from bench.stack import Stack
from services.intake.entrypoints.demo_district import as_csv, survey
from shared.events import Topics

CONSUMERS = {"visits": "eldercare-visits", "allowances": "eldercare-allowances"}


def run(stack: Stack, elders: int, timeout: float) -> dict[str, Any]:
    rows, _ = survey(date.today(), elders)
    body = as_csv(rows)
    progress = Progress(stack.kafka())
    since = progress.end(Topics.ELDERS)
    clerk = Client(stack.api("intake"), stack.tokens["clerk"], timeout=timeout)
    marks: dict[str, float] = {}
    cpu = CpuUse(stack.processes())
    cpu.start()
    started = time.perf_counter()
    status, report = clerk.post_csv("/imports", body)
    marks["intake_stored"] = time.perf_counter() - started
    if status != 200:
        raise RuntimeError(f"import answered {status}: {report}")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = time.perf_counter() - started
        if "published" not in marks and progress.published(Topics.ELDERS, since) >= elders:
            marks["published"] = now
        for service, group in CONSUMERS.items():
            if service not in marks and progress.consumed(group, Topics.ELDERS, since) >= elders:
                marks[service] = now
        if all(s in marks for s in CONSUMERS):
            break
        time.sleep(0.1)
    elapsed = max(marks.get(s, float("inf")) for s in CONSUMERS)
    cpu.stop()
    progress.close()
    held = {s: _count(stack.store(s), f"eldercare_{s}", "elders") for s in CONSUMERS}
    return {
        "elders": elders,
        "imported": report["imported"],
        "seconds": round(elapsed, 2),
        "elders_per_s": round(elders / elapsed, 1) if elapsed != float("inf") else 0.0,
        "milestones_s": {name: round(at, 2) for name, at in marks.items()},
        "held": held,
        "complete": all(n >= elders for n in held.values()),
        "csv_bytes": len(body),
        # what the cores were busy with until the last elder was held
        "cpu_s": cpu.by_process(),
        "machine_cpu_s": cpu.machine_seconds,
        "cpu_ms_per_elder": round(cpu.machine_seconds * 1000 / elders, 3),
    }


def sizes(stack: Stack) -> dict[str, int]:
    """The size of an elder's intake document and of its elder.registered message."""
    client: MongoClient = MongoClient(stack.store("intake"))
    try:
        document = client["eldercare_intake"]["elders"].find_one({})
        document_bytes = len(bson.encode(document)) if document else 2000
    finally:
        client.close()
    message = raw.sample_message(stack.kafka(), Topics.ELDERS)
    return {"document_bytes": document_bytes, "message_bytes": message or 1500}


def _count(url: str, database: str, collection: str) -> int:
    client: MongoClient = MongoClient(url)
    try:
        return client[database][collection].count_documents({})
    finally:
        client.close()
