"""Visits through its real processes (the gunicorn API and the worker `./dev up` runs): an
incident published on Kafka becomes an obligation on the API, a visit recorded over HTTP meets
it and the worker publishes that; a death published on Kafka cancels the elder's open work."""

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from factories import registered_data
from kafka import KafkaProducer
from staff import e2e_headers

from devstack.processes import stop
from devstack.stack import service_env, start_api, start_worker
from shared.config import Settings
from shared.events import Topics, new_event
from shared.events.intake import ELDER_EVENTS
from shared.kafka import ensure_topics
from shared.months import month_of, next_month

INTAKE = Settings(service="intake")  # events as intake publishes them, in the default district


E2E = e2e_headers()


def auth(token: str) -> dict:
    return E2E[token]


VISITOR, HEAD, ADMIN, OPERATOR = (
    auth(t) for t in ("dev-visitor", "dev-head", "dev-admin", "dev-operator")
)


@pytest.fixture(scope="module")
def api(infra, run_dir, ports):
    env = service_env("visits", infra, ports, KAFKA_SESSION_TIMEOUT_MS="6000")
    ensure_topics(
        Settings(service="visits", **infra.broker.client_settings("visits")), [Topics.VISITS]
    )
    start_worker(run_dir, "visits", env)
    start_api(run_dir, "visits", ports.apis["visits"], env)
    yield f"http://127.0.0.1:{ports.apis['visits']}"
    for name in ("visits-api", "visits-worker"):
        stop(name, run_dir)


@pytest.fixture(scope="module")
def publish(infra):
    producer = KafkaProducer(**infra.broker.client_options("intake"), acks="all")

    def send(type_: str, elder_id: str, data: dict) -> None:
        event = new_event(
            type_,
            elder_id,
            data,
            source=INTAKE.event_source,
            district=INTAKE.district,
            at=datetime.now(UTC),
        )
        topic = Topics.ELDERS if type_ in ELDER_EVENTS else Topics.INCIDENTS
        producer.send(topic, key=elder_id.encode(), value=event.to_json()).get(10)

    yield send
    producer.close()


def elder(elder_id: str, version: int = 1, **changes) -> dict:
    return registered_data(elder_id, version, community="c01", **changes)


def eventually(url: str, headers: dict, until, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        response = requests.get(url, headers=headers, timeout=10)
        body = response.json()
        if until(response.status_code, body) or time.monotonic() > deadline:
            return body
        time.sleep(0.2)


def test_an_incident_on_kafka_is_visited_and_the_worker_announces_it(api, publish, topic_reader):
    staff = requests.put(
        f"{api}/config/communities/c01",
        json={"worker": "visitor", "head": "head"},
        headers=ADMIN,
        timeout=10,
    )
    assert staff.status_code == 200, staff.text
    elder_id, incident_id = f"e-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    occurred = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    publish("elder.registered", elder_id, elder(elder_id))
    publish(
        "incident.reported",
        elder_id,
        {
            "incident_id": incident_id,
            "elder_id": elder_id,
            "trigger": "hospitalised",
            "occurred_at": occurred,
            "reported_by": "city-hospital",
        },
    )

    url = f"{api}/obligations/incident:{incident_id}"
    obligation = eventually(url, VISITOR, lambda status, _: status == 200)
    assert obligation.get("status") == "open", obligation
    assert datetime.fromisoformat(obligation["due_at"]) == occurred + timedelta(hours=72)
    assert obligation["assignee"] == "visitor"

    visit = requests.post(
        f"{api}/visits",
        json={
            "elder_id": elder_id,
            "visited_at": datetime.now(UTC).isoformat(),
            "kind": "hospital",
            "services": [{"service_type": "medical"}],
            "meets": [f"incident:{incident_id}"],
        },
        headers=VISITOR,
        timeout=10,
    )
    assert visit.status_code == 201, visit.text
    met = requests.get(url, headers=VISITOR, timeout=10).json()
    assert (met["status"], met["on_time"]) == ("met", True)

    deadline, types = time.monotonic() + 30, []
    while len(types) < 4 and time.monotonic() < deadline:
        records = topic_reader(Topics.VISITS)
        types = [json.loads(r.value)["type"] for r in records if r.key == elder_id.encode()]
    assert sorted(types) == [
        "obligation.created",
        "obligation.met",
        "service.delivered",
        "visit.recorded",
    ]
    assert types.index("obligation.created") < types.index("obligation.met")  # one record, in order


def test_monthly_visits_on_demand_and_a_death_on_kafka_cancels_them(api, publish):
    elder_id = f"e-{uuid.uuid4().hex[:8]}"
    publish("elder.registered", elder_id, elder(elder_id, home_care=True))
    known = eventually(f"{api}/elders/{elder_id}", VISITOR, lambda status, _: status == 200)
    assert known.get("home_care") is True, known

    # next month's, which is open whatever today's date (this month's may be past its due day)
    ahead = {"month": next_month(month_of(datetime.now(ZoneInfo("Asia/Shanghai")).date()))}
    generated = requests.post(f"{api}/jobs/monthly", params=ahead, headers=OPERATOR, timeout=10)
    assert generated.status_code == 200, generated.text
    assert generated.json()["created"] >= 1
    url = f"{api}/obligations/routine:{elder_id}:{generated.json()['month']}"
    assert requests.get(url, headers=HEAD, timeout=10).json()["status"] == "open"
    again = requests.post(f"{api}/jobs/monthly", params=ahead, headers=OPERATOR, timeout=10)
    assert again.json()["created"] == 0

    died = elder(
        elder_id,
        2,
        home_care=True,
        status="deceased",
        reported_by="death-registry",
        died_on=datetime.now(UTC).date(),
    )
    publish("elder.deceased", elder_id, died)
    cancelled = eventually(url, HEAD, lambda _, body: body["status"] != "open")
    assert (cancelled["status"], cancelled["cancelled_reason"]) == ("cancelled", "deceased")
    assert requests.post(f"{api}/jobs/overdue", headers=OPERATOR, timeout=10).status_code == 200
    assert requests.post(f"{api}/jobs/overdue", headers=VISITOR, timeout=10).status_code == 403
