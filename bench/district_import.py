"""Workload 1: the seed street's generated survey through intake's bulk import, until visits and
allowances hold every elder, their contact details and the households (户) the import placed
them in: everything the import caused is applied.

The figure's clock stops at that last milestone (`applied`). The earlier ones say where the
time went: the import's answer (`intake_stored`: every elder and household written), every
elder's registration published, and held by each consumer. A household is written once its
members are, at the end of the import, and published after it answered."""

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
from services.intake.bootstrap import STORES
from services.intake.entrypoints.demo_district import as_csv, survey
from shared.events import Topics
from shared.outbox import HINTS, PENDING
from shared.store_specs import outbox_collections

CONSUMERS = {"visits": "eldercare-visits", "allowances": "eldercare-allowances"}
# the topics of what an import causes, as each consumer reads them
CAUSED = {
    "visits": (Topics.ELDERS, Topics.CONTACTS, Topics.HOUSEHOLDS),
    "allowances": (Topics.ELDERS, Topics.HOUSEHOLDS),
}


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
    intake: MongoClient = MongoClient(stack.store("intake"))
    try:
        while time.monotonic() < deadline:
            now = time.perf_counter() - started
            _mark_elders(progress, since, elders, marks, now)
            if all(s in marks for s in CONSUMERS) and _all_applied(progress, intake):
                marks["applied"] = now
                break
            time.sleep(0.1)
    finally:
        intake.close()
    elapsed = marks.get("applied", float("inf"))
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
        "complete": "applied" in marks and all(n >= elders for n in held.values()),
        "csv_bytes": len(body),
        # what the cores were busy with until the last elder was held
        "cpu_s": cpu.by_process(),
        "machine_cpu_s": cpu.machine_seconds,
        "cpu_ms_per_elder": round(cpu.machine_seconds * 1000 / elders, 3),
    }


def _mark_elders(
    progress: Progress,
    since: dict[Any, int],
    elders: int,
    marks: dict[str, float],
    now: float,
) -> None:
    """The elders' milestones: every registration published, and held by each consumer."""
    if "published" not in marks and progress.published(Topics.ELDERS, since) >= elders:
        marks["published"] = now
    for service, group in CONSUMERS.items():
        if service not in marks and progress.consumed(group, Topics.ELDERS, since) >= elders:
            marks[service] = now


def _all_applied(progress: Progress, intake: MongoClient) -> bool:
    """Intake's relay has published every event it holds (none hinted, no document flagged),
    and each consumer has committed every message of the topics it reads."""
    db = intake["eldercare_intake"]
    if db[HINTS].find_one({}, {"_id": 1}) is not None:
        return False
    flagged = (db[name].find_one(PENDING, {"_id": 1}) for name in outbox_collections(STORES))
    if any(document is not None for document in flagged):
        return False
    ends = {topic: progress.end(topic) for topics in CAUSED.values() for topic in topics}
    for service, topics in CAUSED.items():
        for topic in topics:
            committed = progress.committed(CONSUMERS[service], topic)
            if any(committed.get(tp, 0) < end for tp, end in ends[topic].items()):
                return False
    return True


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
