"""Corrections of closed or wrong records through the real processes of all three services,
over HTTP and Kafka: a death reported in error is revoked and visits and allowances undo what it
did; an elder who moved out comes back as the same record; a corrected birth date reaches
allowances' age bands, the corrected ID number never leaves intake."""

import json
import random
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from staff import E2E_STAFF, add_staff, e2e_headers

from devstack.processes import stop
from devstack.stack import intake_store, service_env, start_api, start_worker
from services.intake.domain.national_id import check_character
from shared.events import Topics

SERVICES = ("intake", "visits", "allowances")


E2E = e2e_headers()


def auth(token: str) -> dict:
    return E2E[token]


CLERK, ADMIN, VISITOR = auth("dev-clerk"), auth("dev-admin"), auth("dev-visitor")
OFFICER, APPROVER = auth("dev-officer"), auth("dev-approver")


@pytest.fixture(scope="module")
def system(infra, run_dir, ports):
    for service in SERVICES:
        env = service_env(
            service,
            infra,
            ports,
            KAFKA_SESSION_TIMEOUT_MS="6000",
            MONGO_DB=f"eldercare_{service}_corrections",  # cycles of its own months
        )
        start_worker(run_dir, service, env)
        start_api(run_dir, service, ports.apis[service], env)
    add_staff(intake_store(infra, ports, MONGO_DB="eldercare_intake_corrections"), E2E_STAFF)
    yield {name: f"http://127.0.0.1:{ports.apis[name]}" for name in SERVICES}
    for service in SERVICES:
        stop(f"{service}-api", run_dir)
        stop(f"{service}-worker", run_dir)


def eventually(check, timeout: float = 45):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.3)


AREAS = ("110105", "330281", "320102", "440106", "510104")


def national_id(born: date, sequence: int) -> str:
    """A number of its own (the stores outlive the test), its sequence of `sequence`'s parity
    (odd for men, even for women)."""
    own = random.randrange(100, 998, 2) + sequence % 2
    first17 = f"{random.choice(AREAS)}{born:%Y%m%d}{own:03d}"
    return first17 + check_character(first17)


def register(system, born: date, sequence: int = 2) -> str:
    body = {
        "national_id": national_id(born, sequence),
        "name": "孙桂珍",
        "sex": "male" if sequence % 2 else "female",
        "birth_date": born.isoformat(),
        "community": "c01",
        "address": f"新华路{national_id(born, sequence)[-6:]}号",
    }
    created = requests.post(f"{system['intake']}/elders", json=body, headers=CLERK, timeout=10)
    assert created.status_code == 201, created.text
    return created.json()["elder_id"]


def get(url: str, headers: dict) -> dict:
    return requests.get(url, headers=headers, timeout=10).json()


def post(url: str, body: dict | None, headers: dict, status: int = 200) -> dict:
    response = requests.post(url, json=body, headers=headers, timeout=60)
    assert response.status_code == status, (url, response.text)
    return response.json()


def announced(topic_reader, topic: str, key: str) -> list[str]:
    return [json.loads(r.value)["type"] for r in topic_reader(topic) if r.key == key.encode()]


def test_a_death_reported_in_error_is_revoked_and_visits_and_allowances_undo_it(
    system, topic_reader
):
    intake, visits, allowances = system["intake"], system["visits"], system["allowances"]
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    elder_id = register(system, date(1944, 3, 7))
    known = eventually(
        lambda: (
            requests.get(f"{allowances}/elders/{elder_id}", headers=OFFICER, timeout=10).ok
            and requests.get(f"{visits}/elders/{elder_id}", headers=VISITOR, timeout=10).ok
        )
    )
    assert known, "the elder never reached visits and allowances"

    cycle = post(
        f"{allowances}/cycles", {"programme": "high_age", "month": f"{today:%Y-%m}"}, OFFICER, 201
    )
    cycle_id = cycle["cycle_id"]
    account = {
        "version": 0,
        "kind": "social_security_card",
        "bank": "宁波银行",
        "number": "A12345678",
        "holder": "孙桂珍",
    }
    requests.put(
        f"{allowances}/elders/{elder_id}/payee-account", json=account, headers=OFFICER, timeout=10
    ).raise_for_status()  # paid into the bank: a payment after the death was really made
    for step, headers, body in [
        ("review", OFFICER, {"note": "checked"}),
        ("approve", APPROVER, None),
        ("export", OFFICER, None),
        ("paid", OFFICER, {"paid_on": today.isoformat()}),
    ]:
        post(f"{allowances}/cycles/{cycle_id}/{step}", body, headers)
    occurred = (datetime.now(ZoneInfo("UTC")) - timedelta(hours=1)).isoformat()
    obligation = post(
        f"{visits}/obligations",
        {"elder_id": elder_id, "trigger": "hospitalised", "occurred_at": occurred},
        VISITOR,
        201,
    )
    obligation_url = f"{visits}/obligations/{obligation['obligation_id']}"

    # Reported dead on the last day of last month: this month's payment became an overpayment.
    died_on = today.replace(day=1) - timedelta(days=1)
    post(f"{intake}/elders/{elder_id}/death", {"version": 1, "died_on": died_on.isoformat()}, CLERK)
    cancelled = eventually(lambda: get(obligation_url, VISITOR)["status"] == "cancelled")
    assert cancelled, "the death never cancelled the open must-visit"
    overpaid = eventually(
        lambda: get(f"{allowances}/overpayments?elder_id={elder_id}", OFFICER)["items"]
    )
    assert [(o["cycle_id"], o["amount_fen"], o["status"]) for o in overpaid] == [
        (cycle_id, 10_000, "open")
    ]

    clerk_tries = requests.post(
        f"{intake}/elders/{elder_id}/death/revocation",
        json={"version": 2, "reason": "错报"},
        headers=CLERK,
        timeout=10,
    )
    assert clerk_tries.status_code == 403
    revived = post(
        f"{intake}/elders/{elder_id}/death/revocation",
        {"version": 2, "reason": "民政系统误报，实为其姐姐"},
        ADMIN,
    )
    assert (revived["status"], revived["died_on"]) == ("active", None)

    reopened = eventually(lambda: get(obligation_url, VISITOR)["status"] == "open")
    assert reopened, "visits never reopened the must-visit the death cancelled"

    def overpayment_cancelled():
        found = get(f"{allowances}/overpayments?elder_id={elder_id}", OFFICER)["items"]
        return found and found[0]["status"] == "cancelled"

    assert eventually(overpayment_cancelled), "the recovery was never cancelled"
    statement = get(f"{allowances}/elders/{elder_id}/statement", OFFICER)
    [standing] = statement["entitlements"]
    assert (standing["status"], standing["band"]) == ("granted", "80-89")
    assert statement["adjustments"] == []  # nothing recovered yet, nothing unpaid: nothing owed
    assert get(f"{allowances}/elders/{elder_id}", OFFICER)["status"] == "active"

    types = eventually(
        lambda: (
            "allowance.overpayment_cancelled"
            in (seen := announced(topic_reader, Topics.ALLOWANCES, elder_id))
            and seen
        )
    )
    assert "allowance.reinstated" in types
    assert "obligation.reopened" in announced(topic_reader, Topics.VISITS, elder_id)
    assert "elder.death_revoked" in announced(topic_reader, Topics.ELDERS, elder_id)


def test_an_elder_who_moved_out_returns_as_the_same_record(system):
    intake, visits = system["intake"], system["visits"]
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    elder_id = register(system, date(1950, 6, 1), 4)
    left_on = today - timedelta(days=40)
    post(
        f"{intake}/elders/{elder_id}/moves", {"version": 1, "moved_on": left_on.isoformat()}, CLERK
    )
    elder = get(f"{intake}/elders/{elder_id}", CLERK)
    again = requests.post(
        f"{intake}/elders",
        json={
            "national_id": elder["national_id"],
            "name": elder["name"],
            "sex": elder["sex"],
            "birth_date": elder["birth_date"],
            "community": "c02",
            "address": "回迁小区1号",
        },
        headers=CLERK,
        timeout=10,
    )
    assert again.status_code == 409 and f"/elders/{elder_id}/return" in again.json()["detail"]

    back = post(
        f"{intake}/elders/{elder_id}/return",
        {
            "version": 2,
            "returned_on": today.isoformat(),
            "community": "c02",
            "address": "回迁小区1号",
        },
        CLERK,
    )
    assert (back["status"], back["community"]) == ("active", "c02")

    def moving_house():
        found = get(f"{visits}/obligations?elder_id={elder_id}&status=open", VISITOR)
        return [o for o in found["items"] if o["trigger"] == "moving_house"]

    [owed] = eventually(moving_house) or [None]
    assert owed is not None and owed["community"] == "c02"
    served = get(f"{visits}/elders/{elder_id}", VISITOR)
    assert (served["status"], served["community"]) == ("active", "c02")


def test_a_corrected_birth_date_reaches_allowances_and_the_number_stays_in_intake(
    system, topic_reader
):
    intake, allowances = system["intake"], system["allowances"]
    elder_id = register(system, date(1947, 3, 7))  # 79: no high-age allowance yet
    url = f"{allowances}/elders/{elder_id}"
    seen = eventually(lambda: requests.get(url, headers=OFFICER, timeout=10).ok)
    assert seen and get(url, OFFICER)["high_age_allowance"]["eligible"] is False

    right = national_id(date(1937, 3, 7), 2)  # the register had 1947 for 1937
    corrections = f"{intake}/elders/{elder_id}/identity-corrections"
    post(corrections, {"version": 1, "national_id": right, "reason": "户籍底册核对"}, CLERK)
    approved = post(f"{corrections}/approval", {"version": 2}, ADMIN)
    assert (approved["birth_date"], approved["national_id"]) == ("1937-03-07", right)

    def band():
        return get(url, OFFICER)["high_age_allowance"]["band"]

    assert eventually(lambda: band() == "80-89"), "allowances never saw the corrected birth date"
    published = [r.value for r in topic_reader(Topics.ELDERS) if r.key == elder_id.encode()]
    assert published and all(right.encode() not in value for value in published)


def test_a_death_in_an_empty_nest_household_obliges_one_visit_to_the_spouse(system):
    """No one types it in: intake's worker follows the death to the household, and visits
    raises the must-visit of a death in the family (家庭发生意外) for the survivor, once."""
    intake, visits = system["intake"], system["visits"]
    born = date(1947, 8, 1)
    husband_number, wife_number = national_id(born, 1), national_id(born, 2)
    home = f"和睦路{husband_number[-6:]}号"
    ids = []
    for number, name in ((husband_number, "赵大爷"), (wife_number, "钱大妈")):
        body = {
            "national_id": number,
            "name": name,
            "sex": "male" if int(number[16]) % 2 else "female",
            "birth_date": born.isoformat(),
            "community": "c01",
            "address": home,
        }
        ids.append(post(f"{intake}/elders", body, CLERK, 201)["elder_id"])
    husband, wife = ids
    household = get(f"{intake}/elders/{wife}/household", CLERK)
    assert household["household_type"] == "empty_nest" and set(household["members"]) == set(ids)
    known = eventually(lambda: requests.get(f"{visits}/elders/{wife}", headers=VISITOR).ok)
    assert known, "the survivor never reached visits"

    version = get(f"{intake}/elders/{husband}", CLERK)["version"]
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    post(f"{intake}/elders/{husband}/death", {"version": version, "died_on": str(today)}, CLERK)

    def bereavement() -> list:
        found = get(f"{visits}/obligations?elder_id={wife}&trigger=family_accident", VISITOR)
        return found["items"]

    raised = eventually(bereavement)
    assert len(raised) == 1, raised
    alone = eventually(
        lambda: get(f"{intake}/elders/{wife}/household", CLERK)["household_type"] == "living_alone"
    )
    assert alone, "the survivor's household was not worked out again"
    time.sleep(3)  # nothing more comes of the same death
    assert len(bereavement()) == 1
