"""No national ID number leaves intake, and no payee account number leaves allowances but in
the bank's payment file: through the real processes, at DEBUG level, every event the product
publishes and every line every process logs is read back and searched. Where other
systems put numbers on the broker (the inbound topic, and the dead letters that keep their
messages for replay), a number is only ever the `national_id` of the event's data: never a key,
a header, a reason or another field."""

import json
import time
import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import requests
from kafka import KafkaConsumer, KafkaProducer
from staff import E2E_MACHINES, E2E_STAFF, add_staff, e2e_headers

from devstack.stack import intake_store, start_services, stop_services
from services.intake.domain.national_id import check_character
from shared.events import Topics

PRODUCT_TOPICS = (
    Topics.ELDERS,
    Topics.CONTACTS,
    Topics.VOLUNTEERS,
    Topics.HOUSEHOLDS,
    Topics.INCIDENTS,
    Topics.VISITS,
    Topics.ALLOWANCES,
)
E2E = e2e_headers()
CLERK, HOSPITAL = E2E["dev-clerk"], E2E["hospital"]


@pytest.fixture(scope="module")
def system(infra, run_dir, ports):
    start_services(
        run_dir,
        infra,
        ports,
        KAFKA_SESSION_TIMEOUT_MS="6000",
        LOG_LEVEL="DEBUG",  # the most a process ever writes
        ELDERCARE_TOKENS=E2E_MACHINES,
    )
    add_staff(intake_store(infra, ports), E2E_STAFF)
    yield {name: f"http://127.0.0.1:{port}" for name, port in ports.apis.items()}
    stop_services(run_dir)


def national_id(born: date, sequence: int) -> str:
    first17 = f"320106{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def inbound(type_: str, nid: str, reference: str) -> dict:
    now = datetime.now(UTC).isoformat()
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "urn:hospital:gulou",
        "type": type_,
        "time": now,
        "subject": reference,
        "district": "demo-district",
        "schemaversion": 1,
        "data": {"national_id": nid, "reference": reference, "occurred_at": now, "hospital": "h"},
    }


def _outside_national_id(record) -> list[tuple[str, bytes]]:
    """Every part of a record but its event's `data.national_id`, where a number may stand."""
    parts = [("key", record.key or b""), *((name, raw or b"") for name, raw in record.headers)]
    try:
        envelope = json.loads(record.value)
        envelope.get("data", {}).pop("national_id", None)
        value = json.dumps(envelope, ensure_ascii=False).encode()
    except (TypeError, ValueError, AttributeError):
        value = record.value or b""
    return [*parts, ("value", value)]


def pay_into_an_account(allowances: str, elder_id: str) -> str:
    """Register the elder's payee account (and refuse a malformed one), then pay a festival
    gift into it up to the exported payment file; the account number."""
    officer = E2E["dev-officer"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if requests.get(f"{allowances}/elders/{elder_id}", headers=officer, timeout=10).ok:
            break
        time.sleep(0.5)
    number = "6222021987654321012"
    account = {
        "version": 0,
        "kind": "bank_account",
        "bank": "工商银行中山路支行",
        "number": number,
        "holder": "周玉珍",
    }
    path = f"{allowances}/elders/{elder_id}/payee-account"
    malformed = requests.put(path, json={**account, "number": number + "X"}, headers=officer)
    assert malformed.status_code == 422, malformed.text
    assert requests.put(path, json=account, headers=officer, timeout=10).status_code == 200
    campaign_id = f"pd-{uuid.uuid4().hex[:8]}"
    campaign = {
        "campaign_id": campaign_id,
        "name": "重阳慰问",
        "festival_on": datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat(),
        "amount_fen": 10_000,
        "target": {"low_income": None},
    }
    created = requests.post(f"{allowances}/campaigns", json=campaign, headers=officer, timeout=10)
    assert created.status_code == 201, created.text
    opened = requests.post(
        f"{allowances}/cycles",
        json={"programme": f"festival:{campaign_id}"},
        headers=officer,
        timeout=60,
    )
    assert opened.status_code == 201, opened.text
    cycle_id = opened.json()["cycle_id"]
    for step, token in (
        ("review", "dev-officer"),
        ("approve", "dev-approver"),
        ("export", "dev-officer"),
    ):
        answer = requests.post(
            f"{allowances}/cycles/{cycle_id}/{step}",
            json={} if step == "review" else None,
            headers=E2E[token],
            timeout=30,
        )
        assert answer.status_code == 200, (step, answer.text)
    file = requests.get(f"{allowances}/cycles/{cycle_id}/payment-file", headers=officer, timeout=30)
    assert number in file.content.decode("utf-8-sig")  # the bank's file, and only there
    return number


def test_no_id_or_account_number_in_any_event_or_log_line(system, run_dir, infra, topic_reader):
    intake = system["intake"]
    registered = national_id(date(1939, 5, 17), 31)
    body = {
        "national_id": registered,
        "name": "周玉珍",
        "sex": "male",
        "birth_date": "1939-05-17",
        "community": "c01",
        "address": f"中山路{registered[-6:]}号",
        "phone": "13812345678",
        "emergency_contact": {"name": "周强", "phone": "13987654321", "relation": "son"},
        "circumstances": {"household_type": "living_alone"},
    }
    created = requests.post(f"{intake}/elders", json=body, headers=CLERK, timeout=10)
    assert created.status_code == 201, created.text
    elder_id = created.json()["elder_id"]
    # The same number again (409), a wrong check character (422), a query by the number:
    assert (
        requests.post(f"{intake}/elders", json=body, headers=CLERK, timeout=10).status_code == 409
    )
    wrong = {**body, "national_id": registered[:17] + ("0" if registered[17] != "0" else "1")}
    assert (
        requests.post(f"{intake}/elders", json=wrong, headers=CLERK, timeout=10).status_code == 422
    )
    requests.get(f"{intake}/elders", params={"name": registered}, headers=CLERK, timeout=10)
    # Other systems report by ID number: a known elder, a stranger (parked), a bad number.
    stranger = national_id(date(1941, 2, 3), 45)
    for nid, reference in ((registered, "adm-1"), (stranger, "adm-2"), (wrong["national_id"], "x")):
        event = inbound("hospital.admitted", nid, reference)
        answer = requests.post(f"{intake}/inbound", json=event, headers=HOSPITAL, timeout=10)
        assert answer.status_code in (202, 422), answer.text
    # A publisher on Kafka with a bad number: intake dead-letters it, with its reason.
    producer = KafkaProducer(**infra.broker.client_options("outside"), acks="all")
    bad = inbound("hospital.admitted", wrong["national_id"], "adm-bad")
    producer.send(Topics.INBOUND, key=b"adm-bad", value=json.dumps(bad).encode()).get(10)
    producer.close()
    # Wait for the obligation the admission causes: the events went all the way through.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = requests.get(
            f"{system['visits']}/obligations",
            params={"elder_id": elder_id},
            headers=E2E["dev-visitor"],
            timeout=10,
        ).json()
        if found["total"]:
            break
        time.sleep(0.5)
    assert found["total"] == 1
    account_number = pay_into_an_account(system["allowances"], elder_id)
    time.sleep(2)  # let every process write what it logs about it

    numbers = [n.encode() for n in (registered, stranger, wrong["national_id"], account_number)]
    lister = KafkaConsumer(**infra.broker.client_options("operator"))
    existing = lister.topics()
    lister.close()
    assert {Topics.ELDERS, Topics.INCIDENTS} <= existing
    published = [r for t in PRODUCT_TOPICS if t in existing for r in topic_reader(t)]
    assert any(elder_id.encode() in (r.value or b"") for r in published)
    leaked = [r.topic for r in published for n in numbers if n in (r.value or b"")]
    assert leaked == []
    # The address and phone go only where someone visits: not on the topic allowances reads.
    contact_details = (f"中山路{registered[-6:]}号".encode(), b"13812345678")
    on_elders = [r for r in published if r.topic == Topics.ELDERS and r.key == elder_id.encode()]
    assert on_elders and not [r for r in on_elders for c in contact_details if c in r.value]
    on_contacts = [r.value for r in published if r.topic == Topics.CONTACTS]
    assert any(all(c in value for c in contact_details) for value in on_contacts)

    dead_letters = Topics.dead_letter("intake")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(
        b"adm-bad" in (r.value or b"") for r in topic_reader(dead_letters)
    ):
        time.sleep(0.5)
    carried = [*topic_reader(Topics.INBOUND), *topic_reader(dead_letters)]
    assert any(b"adm-bad" in (r.value or b"") for r in carried if r.topic == dead_letters)
    outside_data_only = [
        (r.topic, where)
        for r in carried
        for where, text in _outside_national_id(r)
        for n in numbers
        if n in text
    ]
    assert outside_data_only == []

    logs = {path.name: path.read_bytes() for path in (run_dir / "logs").glob("*.log")}
    assert {"intake-api.log", "intake-worker.log", "visits-worker.log"} <= set(logs)
    assert b'"level": "DEBUG"' in logs["intake-worker.log"]
    leaked_lines = [
        (name, line[:300])
        for name, text in logs.items()
        for line in text.splitlines()
        for n in [*numbers, b"13812345678", b"13987654321"]
        if n in line
    ]
    assert leaked_lines == []
    exported = [r for r in published if b"allowance.payment_exported" in (r.value or b"")]
    assert exported, "the export was not announced"
