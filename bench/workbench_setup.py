"""What the workbench's pages need on the benchmark's stack: the staff accounts, a visitor's
caseload of hospital admissions in one community, a monthly cycle, and the workbench itself,
started against the benchmark's services (and stopped with them, by PID)."""

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from kafka import KafkaProducer
from pymongo import MongoClient

from bench.http import Client
from bench.stack import Stack
from bench.workbench_pages import Records
from devstack.stack import (
    DEMO_COMMUNITY,
    SERVICES,
    intake_store,
    portal_env,
    seed_staff,
    start_portal,
)
from services.intake.entrypoints.demo_district import communities
from shared.events import Topics, new_event

CASELOAD = 30  # the visitor's open obligations, overdue or due this week: their worklist
COMMUNITY = DEMO_COMMUNITY  # the seeded visitor's and head's


def start_workbench(stack: Stack) -> str:
    start_portal(stack.run_dir, stack.ports.portal, portal_env(stack.ports, LOG_LEVEL="WARNING"))
    return f"http://127.0.0.1:{stack.ports.portal}"


def passwords(stack: Stack) -> dict[str, str]:
    accounts = seed_staff(
        stack.run_dir,
        {s: stack.api(s) for s in SERVICES},
        intake_store(stack.infra, stack.ports),
    )
    return {name: password or "" for name, (_, password) in accounts.items()}


def caseload(stack: Stack, timeout: float = 120) -> list[str]:
    """Admissions of CASELOAD elders of COMMUNITY, 25 to 73 hours ago (their 72-hour visits
    overdue or due within two days), assigned to the seeded visitor; the elders of the open
    obligations visits then holds for them."""
    admin = Client(stack.api("visits"), stack.tokens["admin"])
    status, _ = admin.request(
        "PUT",
        f"/config/communities/{COMMUNITY}",
        b'{"worker": "visitor", "head": "head"}',
        {"Content-Type": "application/json"},
    )
    if status != 200:
        raise RuntimeError(f"visits did not take the community's staff: {status}")
    producer = KafkaProducer(**stack.kafka("outside"), acks="all")
    for n, number in enumerate(_national_ids(stack, CASELOAD)):
        occurred = datetime.now(UTC) - timedelta(hours=73 - n * 48 / CASELOAD)
        reference = f"bench-pages-{uuid.uuid4().hex[:8]}"
        data = {"national_id": number, "reference": reference, "occurred_at": occurred}
        data |= {"hospital": "宁波市第二医院", "ward": "老年科", "note": None}
        event = new_event(
            "hospital.admitted",
            reference,
            data,
            source="urn:hospital:bench",
            district="demo-district",
            at=occurred,
        )
        producer.send(Topics.INBOUND, key=reference.encode(), value=event.to_json())
    producer.flush()
    producer.close()
    visitor = Client(stack.api("visits"), stack.tokens["visitor"])
    deadline = time.monotonic() + timeout
    while True:
        held = visitor.get_json("/obligations?assignee=visitor&status=open&page_size=100")
        if held["total"] >= CASELOAD or time.monotonic() > deadline:
            return sorted({o["elder_id"] for o in held["items"]})
        time.sleep(0.5)


def a_cycle(stack: Stack) -> str:
    """A cycle of the list: one already opened, else this month's home-care vouchers."""
    officer = Client(stack.api("allowances"), stack.tokens["officer"], timeout=600)
    found = officer.get_json("/cycles?page_size=1")["items"]
    if found:
        return str(found[0]["cycle_id"])
    month = datetime.now(UTC).strftime("%Y-%m")
    status, cycle = officer.post_json("/cycles", {"programme": "home_care_voucher", "month": month})
    if status != 201:
        raise RuntimeError(f"no cycle opened: {status} {cycle}")
    return str(cycle["cycle_id"])


def records(stack: Stack, elder_ids: list[str], visited: list[str]) -> Records:
    codes = [c["code"] for c in communities()]
    return Records(elder_ids, codes, a_cycle(stack), visited, COMMUNITY)


def _national_ids(stack: Stack, count: int) -> list[str]:
    client: MongoClient = MongoClient(stack.store("intake"))
    try:
        elders = client["eldercare_intake"]["elders"]
        found = elders.find({"community": COMMUNITY}, {"national_id": 1}).limit(count)
        return [d["national_id"] for d in found]
    finally:
        client.close()


def prepare(stack: Stack, elder_ids: list[str]) -> dict[str, Any]:
    """Accounts, caseload, cycle and the workbench: what `workbench_pages.measure_page` needs."""
    visited = caseload(stack)
    portal, known = portal_of(stack)
    return {
        "passwords": known,
        "caseload": len(visited),
        "records": records(stack, elder_ids, visited),
        "portal": portal,
    }


_PORTALS: dict[int, tuple[str, dict[str, str]]] = {}


def portal_of(stack: Stack) -> tuple[str, dict[str, str]]:
    """The stack's workbench and the seeded accounts' passwords, started the first time a
    workload asks for them."""
    if id(stack) not in _PORTALS:
        known = passwords(stack)
        _PORTALS[id(stack)] = (start_workbench(stack), known)
    return _PORTALS[id(stack)]
