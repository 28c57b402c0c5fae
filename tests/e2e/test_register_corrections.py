"""Corrections to the register as the other services see them, through the real processes."""

import time
import uuid
from datetime import UTC, date, datetime

import pytest
import requests
from staff import E2E_MACHINES, E2E_STAFF, add_staff, e2e_headers

from devstack.stack import intake_store, start_services, stop_services
from services.intake.domain.national_id import check_character

E2E = e2e_headers()


def auth(token: str) -> dict:
    return E2E[token]


CLERK, VISITOR, OFFICER = auth("dev-clerk"), auth("dev-visitor"), auth("dev-officer")
HOSPITAL = auth("hospital")


@pytest.fixture(scope="module")
def system(infra, run_dir, ports):
    start_services(
        run_dir,
        infra,
        ports,
        KAFKA_SESSION_TIMEOUT_MS="6000",
        ELDERCARE_TOKENS=E2E_MACHINES,
    )
    add_staff(intake_store(infra, ports), E2E_STAFF)
    yield {name: f"http://127.0.0.1:{port}" for name, port in ports.apis.items()}
    stop_services(run_dir)


def national_id(born: date, sequence: int) -> str:
    first17 = f"330782{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def register(system, born: date, sequence: int, **changes) -> dict:
    body = {
        "national_id": national_id(born, sequence),
        "name": "陈桂英",
        "sex": "male" if sequence % 2 else "female",
        "birth_date": born.isoformat(),
        "community": "c02",
        "address": f"解放路{national_id(born, sequence)[-6:]}号",
        **changes,
    }
    created = requests.post(f"{system['intake']}/elders", json=body, headers=CLERK, timeout=10)
    assert created.status_code == 201, created.text
    return created.json()


def once(url: str, headers: dict, ready, timeout: float = 60) -> dict:
    """The answer at `url` once `ready(answer)` holds, or the last one."""
    deadline = time.monotonic() + timeout
    while True:
        response = requests.get(url, headers=headers, timeout=10)
        answer = response.json() if response.status_code == 200 else {}
        if ready(answer) or time.monotonic() > deadline:
            return answer
        time.sleep(0.3)


def test_a_partial_change_of_circumstances_reaches_visits_and_allowances_intact(system):
    elder = register(
        system,
        date(1943, 6, 1),
        2,
        circumstances={"household_type": "living_alone", "low_income": True},
    )
    path = f"/elders/{elder['elder_id']}"
    patched = requests.patch(
        f"{system['intake']}{path}",
        json={"version": 1, "circumstances": {"home_care": True}},
        headers=CLERK,
        timeout=10,
    )
    assert patched.status_code == 200, patched.text

    def second(answer: dict) -> bool:
        return answer.get("version") == 2

    in_visits = once(f"{system['visits']}{path}", VISITOR, second)
    assert (in_visits["version"], in_visits["home_care"]) == (2, True)
    assert in_visits["household_type"] == "living_alone" and in_visits["low_income"] is True
    assert in_visits["key_target_reasons"] == ["living_alone", "low_income"]
    in_allowances = once(f"{system['allowances']}{path}", OFFICER, second)
    assert (in_allowances["version"], in_allowances["home_care"]) == (2, True)
    assert in_allowances["low_income"] is True  # festival gifts still reach them


def test_a_hospital_knowing_only_the_15_digit_number_raises_the_visit_for_the_elder(system):
    elder = register(system, date(1938, 2, 14), 4)
    fifteen = elder["national_id"][:6] + elder["national_id"][8:17]
    now = datetime.now(UTC).isoformat()
    reference = f"adm-{uuid.uuid4().hex[:8]}"
    admitted = {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "urn:hospital:yiwu-central",
        "type": "hospital.admitted",
        "time": now,
        "subject": reference,
        "district": "demo-district",
        "schemaversion": 1,
        "data": {
            "national_id": fifteen,
            "reference": reference,
            "occurred_at": now,
            "hospital": "义乌市中心医院",
        },
    }
    sent = requests.post(f"{system['intake']}/inbound", json=admitted, headers=HOSPITAL, timeout=10)
    assert sent.status_code == 202, sent.text
    found = once(
        f"{system['visits']}/obligations?elder_id={elder['elder_id']}",
        VISITOR,
        lambda answer: answer.get("total", 0) > 0,
    )
    assert found["total"] == 1
    assert found["items"][0]["trigger"] == "hospitalised"
