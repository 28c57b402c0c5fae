"""The registration slice over HTTP, through the real processes `./dev up` runs."""

import time
from datetime import date

import pytest
import requests
from staff import E2E_STAFF, add_staff, e2e_headers

from devstack.stack import intake_store, start_services, stop_services
from services.intake.domain.national_id import check_character
from shared.events import Topics


@pytest.fixture(scope="module")
def system(infra, run_dir, ports):
    start_services(run_dir, infra, ports, KAFKA_SESSION_TIMEOUT_MS="6000")
    add_staff(intake_store(infra, ports), E2E_STAFF)
    yield {name: f"http://127.0.0.1:{port}" for name, port in ports.apis.items()}
    stop_services(run_dir)


def national_id(born: date, sequence: int) -> str:
    first17 = f"310104{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


E2E = e2e_headers()


def auth(token: str) -> dict:
    return E2E[token]


CLERK, VISITOR, OFFICER = auth("dev-clerk"), auth("dev-visitor"), auth("dev-officer")


def register(system, born: date, sequence: int, **changes) -> requests.Response:
    body = {
        "national_id": national_id(born, sequence),
        "name": "李桂兰",
        "sex": "male" if sequence % 2 else "female",
        "birth_date": born.isoformat(),
        "community": "c01",
        "address": f"新华路12号3-{national_id(born, sequence)[-5:]}",
        "phone": "13800138000",
        "emergency_contact": {"name": "李明", "phone": "13900139000", "relation": "son"},
        **changes,
    }
    return requests.post(f"{system['intake']}/elders", json=body, headers=CLERK, timeout=10)


def eventually(url: str, headers: dict, timeout: float = 30, until=None) -> requests.Response:
    deadline = time.monotonic() + timeout
    while True:
        response = requests.get(url, headers=headers, timeout=10)
        done = response.status_code != 404 and (until is None or until(response.json()))
        if done or time.monotonic() > deadline:
            return response
        time.sleep(0.2)


def test_a_registered_elder_reaches_visits_and_allowances(system, topic_reader):
    created = register(system, date(1944, 3, 7), 22)
    address = f"新华路12号3-{national_id(date(1944, 3, 7), 22)[-5:]}"
    assert created.status_code == 201, created.text
    elder = created.json()
    assert elder["sex"] == "female" and elder["age"] >= 82
    assert elder["name"] == "李桂兰"

    # The address comes to visits on its own topic, which allowances does not read.
    in_visits = eventually(
        f"{system['visits']}/elders/{elder['elder_id']}", VISITOR, until=lambda e: e["address"]
    )
    assert in_visits.status_code == 200, in_visits.text
    assert in_visits.json()["address"] == address
    assert in_visits.json()["version"] == 1

    in_allowances = eventually(f"{system['allowances']}/elders/{elder['elder_id']}", OFFICER)
    assert in_allowances.status_code == 200, in_allowances.text
    allowance = in_allowances.json()["high_age_allowance"]
    assert allowance["eligible"] is True and allowance["band"] == "80-89"

    # The national ID number never leaves intake.
    published = [
        r.value for r in topic_reader(Topics.ELDERS) if r.key == elder["elder_id"].encode()
    ]
    assert len(published) == 1
    assert elder["national_id"].encode() not in published[0]
    assert address.encode() not in published[0]  # allowances reads this topic
    contacts = [
        r.value for r in topic_reader(Topics.CONTACTS) if r.key == elder["elder_id"].encode()
    ]
    assert len(contacts) == 1 and address.encode() in contacts[0]


def test_an_elder_under_80_is_projected_but_not_eligible(system):
    created = register(system, date(1955, 6, 1), 31)
    assert created.status_code == 201, created.text
    elder_id = created.json()["elder_id"]
    response = eventually(f"{system['allowances']}/elders/{elder_id}", OFFICER)
    assert response.status_code == 200
    assert response.json()["high_age_allowance"]["eligible"] is False
    assert response.json()["high_age_allowance"]["band"] is None


def test_bad_requests_get_problem_details(system):
    invalid = requests.post(
        f"{system['intake']}/elders",
        json={
            "national_id": "310104194403070000",
            "name": "",
            "sex": "x",
            "birth_date": "1944-02-30",
        },
        headers=CLERK,
        timeout=10,
    )
    assert invalid.status_code == 422
    assert invalid.headers["Content-Type"] == "application/problem+json"
    errors = invalid.json()["errors"]
    assert set(errors) >= {"national_id", "name", "sex", "birth_date", "community", "address"}
    assert "check character" in errors["national_id"][0]

    too_young = register(system, date(1980, 1, 1), 41)
    assert too_young.status_code == 422
    assert "from age 60" in too_young.json()["detail"]

    first = register(system, date(1940, 5, 5), 51)
    again = register(system, date(1940, 5, 5), 51)
    assert again.status_code == 409
    assert again.json()["existing_elder_id"] == first.json()["elder_id"]

    anonymous = requests.get(f"{system['intake']}/elders", timeout=10)
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == "Bearer"
    forbidden = requests.post(f"{system['intake']}/elders", json={}, headers=VISITOR, timeout=10)
    assert forbidden.status_code == 403
    assert "intake_clerk" in forbidden.json()["detail"]

    missing = requests.get(f"{system['visits']}/elders/nobody", headers=VISITOR, timeout=10)
    assert missing.status_code == 404
    assert missing.headers["Content-Type"] == "application/problem+json"


def test_every_service_is_ready_and_exports_metrics(system, ports):
    for url in system.values():
        assert requests.get(f"{url}/healthz", timeout=5).json() == {"status": "ok"}
        ready = requests.get(f"{url}/readyz", timeout=5)
        assert ready.status_code == 200
        assert ready.json()["checks"] == {"mongodb": "ok", "kafka": "ok"}
        spec = requests.get(f"{url}/openapi.json", timeout=5).json()
        assert "/elders/{elder_id}" in spec["paths"]
    api_metrics = requests.get(f"{system['intake']}/metrics", timeout=5).text
    assert 'eldercare_http_requests_total{endpoint="/elders",method="POST"' in api_metrics
    worker_metrics = requests.get(f"http://127.0.0.1:{ports.metrics['visits']}/metrics", timeout=5)
    assert 'outcome="applied"' in worker_metrics.text


def test_every_process_stops_gracefully_on_sigterm(system, run_dir):
    # Runs last in this module: SIGTERM must be enough (no SIGKILL after the grace period).
    outcomes = stop_services(run_dir)
    assert outcomes == dict.fromkeys(outcomes, "stopped")
    assert len(outcomes) == 8  # three APIs, three workers, the operator console, the workbench
