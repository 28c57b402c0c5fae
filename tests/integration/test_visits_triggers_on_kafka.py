"""The eight must-visits end to end: events published on Kafka exactly as intake publishes
them are consumed by visits' worker and become obligations, visible through the API with the
right due time; visits' own events go out through its outbox to its topic.

One consumer (the worker's handlers, topics and consumer group) serves the whole module.
"""

import json
import time
import uuid
from datetime import date, datetime, timedelta

import pytest
from kafka import KafkaProducer
from staff import TEST_SECRET_KEY
from test_visits_support import ADMIN, HEAD, NOW, elder_event, incident_event

from devstack.kafka_security import SUPER_USER
from services.visits.bootstrap import bootstrap, worker
from services.visits.entrypoints.app import create_app
from shared.clock import FixedClock
from shared.config import Settings
from shared.events import Topics, event_type
from shared.kafka import client_options, ensure_topics, make_producer
from shared.outbox import OutboxRelay
from shared.vocabulary import TRIGGERS

HOURS = {
    "hospitalised": 72,
    "hardship": 72,
    "family_accident": 48,
    "family_conflict": 72,
    "neighbour_dispute": 120,
    "moving_house": 168,
    "worries": 120,
    "employer_benefits_undelivered": 168,
}


def _event_id(value: bytes | None) -> str | None:
    """The id of an event; None for what other tests published to these topics to break it."""
    try:
        return json.loads(value)["id"]
    except (TypeError, ValueError, KeyError):
        return None


class Pipeline:
    """Visits' worker, reduced to what a test drives step by step: consume, relay."""

    def __init__(self, infra, own_topics: bool = True):
        name = f"t{uuid.uuid4().hex[:10]}"
        settings = Settings(
            service=name,
            **infra.broker.client_settings(SUPER_USER),
            mongo_url=infra.stores["visits"],
            mongo_db=f"test_{name}",
            secret_key=TEST_SECRET_KEY,
            session_timeout_ms=6000,
            retry_backoff_seconds=0.01,
        )
        self.settings = settings
        self.visits = bootstrap(settings, FixedClock(NOW))
        self.duties = worker(self.visits)
        # intake's topics, each as one of this module's own: the shared ones hold every other
        # test's events, which a new consumer group would read first
        # (or the shared ones themselves, for what intake's own relay publishes)
        self.topics = {
            topic: f"{topic}.{name}" if own_topics else topic
            for topic in self.duties.consumed_topics()
        }
        ensure_topics(settings, [*self.topics.values(), Topics.VISITS])
        self.producer = make_producer(settings)
        self.loop = self.duties.consumer(
            self.producer, list(self.topics.values()), retries=1, backoff_seconds=0.01
        )
        self.relay = OutboxRelay(
            settings.service, self.visits.db, self.duties.outbox_collections, self.producer
        )
        self.api = create_app(self.visits).test_client()
        self.publisher = KafkaProducer(**client_options(settings), acks="all")

    def publish(self, *events):
        """As intake's relay does: the event type's topic (here, its copy), keyed by elder."""
        for event in events:
            topic = self.topics[event_type(event.type).topic]
            self.publisher.send(topic, key=event.subject.encode(), value=event.to_json()).get(10)

    def consume(self, *events, timeout=60):
        """Run the consumer until each of `events` has been processed; their outcomes."""
        wanted = {event.id for event in events}
        outcomes = {}
        deadline = time.monotonic() + timeout
        while wanted - outcomes.keys() and time.monotonic() < deadline:
            for message, outcome in self.loop.run_once(timeout_ms=200):
                event_id = _event_id(message.value)
                if event_id in wanted:
                    outcomes[event_id] = outcome
        assert outcomes.keys() == wanted, "not every event was consumed in time"
        return [outcomes[event.id] for event in events]

    def close(self):
        self.loop.consumer.close()
        self.publisher.close()
        self.producer.close()
        self.visits.db.client.drop_database(self.visits.db.name)


@pytest.fixture(scope="module")
def pipeline(infra):
    running = Pipeline(infra)
    yield running
    running.close()


@pytest.fixture(scope="module")
def eight(pipeline):
    """One elder per trigger, registered, then struck by it: seven incidents and one move."""
    visits = pipeline.visits
    run = uuid.uuid4().hex[:6]
    registered, struck, expected = [], [], {}
    for number, trigger in enumerate(TRIGGERS):
        elder_id = f"e-{run}-{number}"
        registered.append(elder_event(visits, "elder.registered", elder_id))
        occurred = NOW - timedelta(hours=number + 1)
        if trigger == "moving_house":
            event = elder_event(
                visits,
                "elder.moved",
                elder_id,
                2,
                community="dongfeng",
                from_community="xinhua",
                to_community="dongfeng",
                moved_on=date(2026, 11, 28),
            )
            expected[trigger] = (f"moved:{event.id}", "2026-11-27T16:00:00+00:00")
        else:
            event = incident_event(visits, f"{run}-{number}", elder_id, trigger, occurred)
            expected[trigger] = (f"incident:{run}-{number}", occurred.isoformat())
        struck.append(event)
    pipeline.publish(*registered, *struck)
    outcomes = pipeline.consume(*registered, *struck)
    return expected, outcomes


def test_a_list_of_open_work_another_process_keeps_has_each_change_at_once(pipeline):
    """Another API process keeps a community's open work until an obligation is written; the
    worker opening or cancelling one moves the stamp they share in the store, so the next list
    has the change."""
    run = uuid.uuid4().hex[:6]
    community, elders = f"c-{run}", [f"e-{run}-{n}" for n in (1, 2)]
    other = create_app(bootstrap(pipeline.settings, FixedClock(NOW))).test_client()

    def listed() -> tuple[int, list[str]]:
        asked = {"community": community, "status": "open"}
        answer = other.get("/obligations", query_string=asked, headers=HEAD).json
        return answer["total"], [item["elder_id"] for item in answer["items"]]

    def strike(n: int, hours_ago: int) -> None:
        registered = elder_event(
            pipeline.visits, "elder.registered", elders[n], community=community
        )
        struck = incident_event(
            pipeline.visits,
            f"{run}-{n}",
            elders[n],
            "hospitalised",
            NOW - timedelta(hours=hours_ago),
        )
        pipeline.publish(registered, struck)
        assert pipeline.consume(registered, struck) == ["applied", "applied"]

    assert listed() == (0, [])
    strike(0, 1)
    assert listed() == listed() == (1, [elders[0]])
    strike(1, 5)  # due sooner: listed first
    assert listed() == (2, [elders[1], elders[0]])
    died = elder_event(
        pipeline.visits,
        "elder.deceased",
        elders[1],
        2,
        community=community,
        status="deceased",
        died_on=date(2026, 11, 29),
        reported_by="death-registry",
    )
    pipeline.publish(died)
    assert pipeline.consume(died) == ["applied"]
    assert listed() == (1, [elders[0]])


def test_a_worklist_another_process_keeps_shows_an_elders_new_name_after_the_batch(pipeline):
    """The elders' stamp moves once per batch the worker applies, not once per event: the
    other process's worklist has the new name as soon as the batch with the change is in."""
    run = uuid.uuid4().hex[:6]
    community, elder = f"c-{run}", f"e-{run}"
    other = create_app(bootstrap(pipeline.settings, FixedClock(NOW))).test_client()

    def names() -> list[str]:
        asked = {"community": community, "status": "open", "with_elder": "true"}
        answer = other.get("/obligations", query_string=asked, headers=HEAD).json
        return [item["elder"]["name"] for item in answer["items"]]

    registered = elder_event(
        pipeline.visits, "elder.registered", elder, community=community, name="王秀英"
    )
    struck = incident_event(pipeline.visits, run, elder, "hospitalised", NOW - timedelta(hours=1))
    pipeline.publish(registered, struck)
    assert pipeline.consume(registered, struck) == ["applied", "applied"]
    assert names() == names() == ["王秀英"]
    renamed = elder_event(
        pipeline.visits,
        "elder.updated",
        elder,
        2,
        community=community,
        name="王秀瑛",
        changed=["name"],
    )
    pipeline.publish(renamed)
    assert pipeline.consume(renamed) == ["applied"]
    assert names() == ["王秀瑛"]


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_a_must_visit_event_on_kafka_becomes_an_obligation_due_on_time(pipeline, eight, trigger):
    expected, outcomes = eight
    assert set(outcomes) == {"applied"}
    obligation_id, occurred = expected[trigger]
    response = pipeline.api.get(f"/obligations/{obligation_id}", headers=HEAD)
    assert response.status_code == 200, response.json
    obligation = response.json
    assert (obligation["trigger"], obligation["kind"], obligation["status"]) == (
        trigger,
        "mandatory",
        "open",
    )
    assert obligation["opens_at"] == occurred
    allowed = datetime.fromisoformat(obligation["due_at"]) - datetime.fromisoformat(occurred)
    assert allowed == timedelta(hours=HOURS[trigger])


def test_an_obligation_opened_by_an_event_is_audited_as_the_events_source(pipeline, eight):
    expected, _ = eight
    obligation_id, _ = expected["hospitalised"]
    elder_id = pipeline.visits.obligations.require(obligation_id).elder_id
    [line] = pipeline.visits.obligations.history(obligation_id)
    assert (line["by"], line["change"], line["before"]) == (
        "urn:test:intake",
        "obligation.created",
        {},
    )
    # opened when the incident arrives, or when the elder does if the incident came first
    copies = pipeline.topics
    assert line["from"] in {f"kafka:{copies[Topics.INCIDENTS]}", f"kafka:{copies[Topics.ELDERS]}"}
    assert line["after"]["trigger"] == "hospitalised"
    trail = pipeline.api.get("/audit", query_string={"elder_id": elder_id}, headers=ADMIN).json
    opened = [line for line in trail["items"] if line["kind"] == "obligations"]
    assert [(o["record_id"], o["by"]) for o in opened] == [(obligation_id, "urn:test:intake")]


def test_the_same_incident_published_again_opens_nothing_new(pipeline, eight):
    expected, _ = eight
    obligation_id, _ = expected["hardship"]
    incident_id = obligation_id.removeprefix("incident:")
    elder_id = pipeline.visits.obligations.require(obligation_id).elder_id
    again = incident_event(pipeline.visits, incident_id, elder_id, "hardship", NOW)
    pipeline.publish(again)
    assert pipeline.consume(again) == ["duplicate"]
    mine = pipeline.api.get("/obligations", query_string={"elder_id": elder_id}, headers=HEAD)
    assert mine.json["total"] == 1


def test_an_incident_for_an_elder_not_yet_known_is_kept_until_the_elder_arrives(pipeline):
    visits = pipeline.visits
    elder_id = f"e-late-{uuid.uuid4().hex[:6]}"
    early = incident_event(
        visits, f"i-{elder_id}", elder_id, "family_accident", NOW - timedelta(hours=5)
    )
    pipeline.publish(early)
    assert pipeline.consume(early) == ["applied"]
    assert pipeline.api.get(f"/obligations/incident:i-{elder_id}", headers=HEAD).status_code == 404

    registered = elder_event(visits, "elder.registered", elder_id)
    pipeline.publish(registered)
    assert pipeline.consume(registered) == ["applied"]
    obligation = pipeline.api.get(f"/obligations/incident:i-{elder_id}", headers=HEAD).json
    assert obligation["due_at"] == (NOW - timedelta(hours=5) + timedelta(hours=48)).isoformat()


def test_a_low_urgency_call_before_the_registration_never_blocks_the_elder(pipeline):
    """A `low` hotline call kept for an unknown elder once failed on replay at registration,
    and then every later event of that elder failed with it."""
    from test_visits_help_from_intake import help_requested

    visits = pipeline.visits
    elder_id = f"e-low-{uuid.uuid4().hex[:6]}"
    call = help_requested(visits, f"call-{elder_id}", elder_id, urgency="low")
    registered = elder_event(visits, "elder.registered", elder_id)
    admitted = incident_event(visits, f"adm-{elder_id}", elder_id, "hospitalised", NOW)
    for event in (call, registered, admitted):
        pipeline.publish(event)
        assert pipeline.consume(event) == ["applied"]  # never "dead-lettered"

    requests = pipeline.api.get(f"/help-requests?elder_id={elder_id}", headers=HEAD).json
    assert [(r["urgency"], r["respond_by"]) for r in requests["items"]] == [
        ("low", (NOW + timedelta(hours=168)).isoformat())
    ]
    obligations = pipeline.api.get(f"/obligations?elder_id={elder_id}", headers=HEAD).json
    assert [o["trigger"] for o in obligations["items"]] == ["hospitalised"]


def test_a_death_on_kafka_cancels_the_elders_open_work(pipeline, eight):
    expected, _ = eight
    obligation_id, _ = expected["worries"]
    elder_id = pipeline.visits.obligations.require(obligation_id).elder_id
    died = elder_event(
        pipeline.visits,
        "elder.deceased",
        elder_id,
        2,
        status="deceased",
        died_on=date(2026, 11, 29),
        reported_by="death-registry",
    )
    pipeline.publish(died)
    assert pipeline.consume(died) == ["applied"]
    cancelled = pipeline.api.get(f"/obligations/{obligation_id}", headers=HEAD).json
    assert (cancelled["status"], cancelled["cancelled_reason"]) == ("cancelled", "deceased")


def test_visits_events_are_published_on_its_topic_keyed_by_elder(pipeline, eight, topic_reader):
    expected, _ = eight
    obligation_id, _ = expected["hospitalised"]
    elder_id = pipeline.visits.obligations.require(obligation_id).elder_id
    assert pipeline.relay.run_once() > 0
    mine = [json.loads(r.value) for r in topic_reader(Topics.VISITS) if r.key == elder_id.encode()]
    assert [(e["type"], e["data"]["obligation_id"]) for e in mine] == [
        ("obligation.created", obligation_id)
    ]
    assert mine[0]["source"] == pipeline.visits.settings.event_source
    assert pipeline.relay.run_once() == 0  # sent once, then cleared
