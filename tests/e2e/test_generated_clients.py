"""The product as an integrator meets it: Python clients generated with openapi-python-client
from the three live OpenAPI descriptions walk the real processes, and every answer is parsed by
the generated models (an answer its schema does not describe raises there)."""

import importlib
import json
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import requests
from staff import E2E_HOSPITAL_TOKEN, E2E_MACHINES, E2E_STAFF, add_staff, signed_tokens
from workbench import SEQUENCES

from devstack.stack import (
    DEV_SECRET_KEY,
    SERVICES,
    intake_store,
    start_services,
    stop_services,
)
from services.intake.domain.national_id import check_character

GENERATOR = Path(sys.executable).with_name("openapi-python-client")  # requirements-dev.txt
HOSPITAL = E2E_HOSPITAL_TOKEN
STAFF = signed_tokens(E2E_STAFF, DEV_SECRET_KEY)


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


@pytest.fixture(scope="module")
def generated(system, tmp_path_factory) -> dict[str, str]:
    """Each service's client, generated from the description the running service serves."""
    where = tmp_path_factory.mktemp("clients")
    config = where / "config.json"
    config.write_text(json.dumps({"post_hooks": []}))
    packages = {}
    for service in SERVICES:
        document = where / f"{service}.json"
        answer = requests.get(f"{system[service]}/openapi.json", timeout=10)
        answer.raise_for_status()
        document.write_bytes(answer.content)
        package = f"eldercare_{service}_client"
        output = ["--output-path", str(where / package), "--config", str(config)]
        run = subprocess.run(
            [GENERATOR, "generate", "--path", str(document), "--meta", "none", *output],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0 and "Warning" not in run.stdout, run.stdout + run.stderr
        packages[service] = package
    sys.path.insert(0, str(where))
    yield packages
    sys.path.remove(str(where))


class Api:
    """One service's generated package, called as one user."""

    def __init__(self, package: str, base_url: str, token: str) -> None:
        self.package = package
        client = importlib.import_module(f"{package}.client")
        self.client = client.AuthenticatedClient(
            base_url=base_url, token=token, raise_on_unexpected_status=True, timeout=60
        )

    def model(self, name: str) -> Any:
        module = "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
        return getattr(importlib.import_module(f"{self.package}.models.{module}"), name)

    def call(self, tag: str, operation: str, status: int, model: str, **arguments: Any) -> Any:
        """The operation's answer, parsed by the generated model that its status documents."""
        module: ModuleType = importlib.import_module(f"{self.package}.api.{tag}.{operation}")
        response = module.sync_detailed(client=self.client, **arguments)
        assert response.status_code == status, response.content.decode()
        assert isinstance(response.parsed, self.model(model)), response.parsed
        undocumented = getattr(response.parsed, "additional_properties", {})
        assert undocumented == {}, f"{operation} answers fields it does not document"
        return response.parsed


def national_id(born: date) -> str:
    """A new woman's number: the sequence is even, and another for each number of the run
    (drawn at random, the two registrations of one birthday below met once in a CI run)."""
    first17 = f"330782{born:%Y%m%d}{next(SEQUENCES) % 499 * 2 + 2:03d}"
    return first17 + check_character(first17)


def eventually(check, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.3)


def test_generated_clients_walk_the_register_visits_and_allowances(system, generated):
    clerk = Api(generated["intake"], system["intake"], STAFF["dev-clerk"])
    hospital = Api(generated["intake"], system["intake"], HOSPITAL)
    visitor = Api(generated["visits"], system["visits"], STAFF["dev-visitor"])
    officer = Api(generated["allowances"], system["allowances"], STAFF["dev-officer"])
    approver = Api(generated["allowances"], system["allowances"], STAFF["dev-approver"])

    # Registered without an emergency contact, then with one; read, listed and changed.
    born = date(1941, 6, 3)
    registration = {
        "national_id": national_id(born),
        "name": "陈淑芬",
        "sex": "female",
        "birth_date": born.isoformat(),
        "community": "c01",
        "address": "稠州北路5号",
    }
    body = clerk.model("Registration").from_dict(registration)
    elder = clerk.call("elders", "post_elders", 201, "Elder", body=body)
    assert elder.emergency_contact is None and elder.age >= 85
    contact = {"name": "陈明", "phone": "13900139000", "relation": "son"}
    other = {**registration, "national_id": national_id(born), "emergency_contact": contact}
    body = clerk.model("Registration").from_dict(other)
    with_contact = clerk.call("elders", "post_elders", 201, "Elder", body=body)
    assert with_contact.emergency_contact.name == "陈明"
    read = clerk.call("elders", "get_elders_elder_id", 200, "Elder", elder_id=elder.elder_id)
    assert read.national_id == registration["national_id"]
    listed = clerk.call(
        "elders", "get_elders", 200, "ElderPage", name="陈淑芬", community="c01", page_size=100
    )
    assert {elder.elder_id, with_contact.elder_id} <= {e.elder_id for e in listed.items}
    change = clerk.model("Update").from_dict(
        {"version": read.version, "phone": "13800138000", "emergency_contact": contact}
    )
    patched = clerk.call(
        "elders", "patch_elders_elder_id", 200, "Elder", elder_id=elder.elder_id, body=change
    )
    assert patched.phone == "13800138000" and patched.version == read.version + 1

    # A hospital reports the admission; visits owes a visit, and a recorded visit meets it.
    now = datetime.now(UTC).isoformat()
    reference = f"adm-{uuid.uuid4().hex[:8]}"
    admission = hospital.model("Envelope").from_dict(
        {
            "specversion": "1.0",
            "id": str(uuid.uuid4()),
            "source": "urn:hospital:yiwu-central",
            "type": "hospital.admitted",
            "time": now,
            "subject": reference,
            "district": "demo-district",
            "data": {
                "national_id": registration["national_id"],
                "reference": reference,
                "occurred_at": now,
                "hospital": "义乌市中心医院",
            },
        }
    )
    hospital.call("inbound", "post_inbound", 202, "Accepted", body=admission)
    owed = eventually(
        lambda: (
            visitor.call(
                "obligations", "get_obligations", 200, "ObligationPage", elder_id=elder.elder_id
            ).items
        )
    )
    assert [o.trigger for o in owed] == ["hospitalised"], owed
    time.sleep(1)  # the visit comes after the obligation opened, to the second
    visit = visitor.model("VisitIn").from_dict(
        {
            "elder_id": elder.elder_id,
            "visited_at": datetime.now(UTC).isoformat(),
            "kind": "home",
            "findings": "恢复良好",
            "meets": [owed[0].obligation_id],
        }
    )
    recorded = visitor.call("visits", "post_visits", 201, "VisitRecord", body=visit)
    met = visitor.call(
        "obligations",
        "get_obligations_obligation_id",
        200,
        "Obligation",
        obligation_id=owed[0].obligation_id,
    )
    assert (met.status, met.visit_id) == ("met", recorded.visit_id)
    visitor.call("elders", "get_elders_elder_id", 200, "Elder", elder_id=elder.elder_id)

    # A month's cycle, opened and reviewed by the officer and approved by someone else.
    month = f"{datetime.now(UTC):%Y-%m}"
    opening = officer.model("OpenCycle").from_dict(
        {"programme": "home_care_voucher", "month": month}
    )
    cycle = officer.call("cycles", "post_cycles", 201, "Cycle", body=opening)
    note = officer.model("Review").from_dict({"note": "核对无误"})
    reviewed = officer.call(
        "cycles", "post_cycles_cycle_id_review", 200, "Cycle", cycle_id=cycle.cycle_id, body=note
    )
    approved = approver.call(
        "cycles", "post_cycles_cycle_id_approve", 200, "Cycle", cycle_id=cycle.cycle_id
    )
    assert (reviewed.state, approved.state) == ("reviewed", "approved")
    approved_state = officer.model("GetCyclesState")("approved")
    officer.call("cycles", "get_cycles", 200, "CyclePage", state=approved_state)
    officer.call("elders", "get_elders_elder_id", 200, "Elder", elder_id=elder.elder_id)

    # The elder dies: the register says so, and so does every later read.
    death = clerk.model("Death").from_dict(
        {"version": patched.version, "died_on": str(date.today())}
    )
    died = clerk.call(
        "elders", "post_elders_elder_id_death", 200, "Elder", elder_id=elder.elder_id, body=death
    )
    assert died.status == "deceased"
    refused = clerk.call(
        "elders", "post_elders_elder_id_death", 422, "Problem", elder_id=elder.elder_id, body=death
    )
    assert "closed" in refused.detail
