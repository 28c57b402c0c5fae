"""A few records for a demonstration, so that no page is empty: a small generated survey, three
hospital admissions in community c01 (one visit overdue, one due today, one later), whose visits
fall to the seeded `visitor` (`seed_staff` names them c01's worker), and this month's high-age
cycle."""

import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import requests

from devstack.stack import DEMO_COMMUNITY
from services.intake.entrypoints.demo_district import as_csv, survey

ELDERS = 800  # about 27 in each of the 29 communities
ADMITTED_HOURS_AGO = (73, 70, 30)  # the 72-hour visit: overdue, due within hours, later


def call_api(method: str, url: str, token: str, **kwargs: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
    answer = requests.request(method, url, headers=headers, timeout=120, **kwargs)
    if answer.status_code >= 400:
        raise RuntimeError(f"{method} {url}: {answer.status_code} {answer.text[:300]}")
    return answer.json() if answer.content else None


def admission(number: str, hours_ago: int) -> dict[str, Any]:
    occurred = (datetime.now(UTC) - timedelta(hours=hours_ago)).replace(microsecond=0)
    return hospital_admission(number, occurred)


def hospital_admission(number: str, occurred: datetime) -> dict[str, Any]:
    """A hospital's admission of the elder with this ID number, as a CloudEvent."""
    reference = f"adm-{uuid.uuid4().hex[:8]}"
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "urn:hospital:yiwu-central",
        "type": "hospital.admitted",
        "time": occurred.isoformat(),
        "subject": reference,
        "district": "demo-district",
        "schemaversion": 1,
        "data": {
            "national_id": number,
            "reference": reference,
            "occurred_at": occurred.isoformat(),
            "hospital": "义乌市中心医院",
        },
    }


def open_obligations(visits: str, token: str, wanted: int, timeout: float) -> list[dict[str, Any]]:
    """The visitor's open obligations, once visits holds `wanted` of them."""
    deadline = time.monotonic() + timeout
    while True:
        found = call_api(
            "GET",
            f"{visits}/obligations",
            token,
            params={"assignee": "visitor", "status": "open"},
        )
        if found["total"] >= wanted or time.monotonic() > deadline:
            return list(found["items"])
        time.sleep(0.5)


def load(urls: dict[str, str], tokens: dict[str, str], timeout: float = 120) -> dict[str, Any]:
    """The demonstration's records, through the APIs, with the tokens of `clerk`, `visitor`,
    `officer` and `hospital`; the ids the pages need."""
    rows, _ = survey(date.today(), ELDERS)
    call_api(
        "POST",
        f"{urls['intake']}/imports",
        tokens["clerk"],
        data=as_csv(rows),
        headers={"Content-Type": "text/csv"},
    )
    admitted = [r for r in rows if r["community"] == DEMO_COMMUNITY][: len(ADMITTED_HOURS_AGO)]
    for row, hours in zip(admitted, ADMITTED_HOURS_AGO, strict=True):
        event = admission(row["national_id"], hours)
        call_api("POST", f"{urls['intake']}/inbound", tokens["hospital"], json=event)
    owed = open_obligations(urls["visits"], tokens["visitor"], len(admitted), timeout)
    if not owed:
        raise RuntimeError("visits opened no obligation for the admissions")
    month = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    cycle = call_api(
        "POST",
        f"{urls['allowances']}/cycles",
        tokens["officer"],
        json={"programme": "high_age", "month": month},
    )
    return {"elder_id": owed[0]["elder_id"], "obligations": owed, "cycle_id": cycle["cycle_id"]}
