"""Regular visits to key service targets (定期专访) across the services: intake decides who is a
key target and why; its events, published to Kafka by its own outbox relay, reach visits'
worker, whose monthly duty opens one key-target visit per elder; and when intake says an elder
is no longer a key target, or is now a home-care household, visits cancels that visit."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from intake_under_test import intake_under_test
from staff import staff_headers
from test_visits_support import HEAD, OPERATOR
from test_visits_triggers_on_kafka import Pipeline

from services.intake.domain.district import Community
from services.intake.domain.national_id import check_character
from services.intake.entrypoints.app import create_app as intake_app
from shared.events import Event
from shared.events.envelope import decode
from shared.kafka import make_producer
from shared.outbox import OUTBOX, OutboxRelay

EARLY_NOVEMBER = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # before November's due day
CLERK_TOKENS = "clerk:clerk:intake_clerk"
CLERK = staff_headers(CLERK_TOKENS)["clerk"]


@pytest.fixture
def intake(settings):
    # named intake: its events go on intake's shared topics, which carry only intake's source
    named = replace(settings, service="intake")
    communities = [Community("c01", "一社区")]
    with intake_under_test(named, EARLY_NOVEMBER, communities, CLERK_TOKENS) as service:
        yield service


@pytest.fixture
def pipeline(infra):
    running = Pipeline(infra, own_topics=False)  # intake's relay publishes on the shared topics
    running.visits.clock.move_to(EARLY_NOVEMBER)
    yield running
    running.close()


def relay(intake, elder_ids: list[str]) -> list[Event]:
    """Publish what intake's outbox holds for these elders, as intake's worker does; the events."""
    held = [
        decode(entry["value"].encode())
        for document in intake.db["elders"].find({"_id": {"$in": elder_ids}})
        for entry in document[OUTBOX]
    ]
    producer = make_producer(intake.settings)
    try:
        OutboxRelay(intake.settings.service, intake.db, ["elders"], producer).run_once()
    finally:
        producer.close()
    return held


def registration(sequence: int, **circumstances) -> dict:
    first17 = f"33028119440307{sequence:03d}"
    return {
        "national_id": first17 + check_character(first17),
        "name": "王秀英",
        "sex": "male" if sequence % 2 else "female",
        "birth_date": "1944-03-07",
        "community": "c01",
        "address": f"新华路{sequence}号",
        "circumstances": circumstances,
    }


def test_intakes_key_targets_get_a_regular_visit_until_they_no_longer_are_one(intake, pipeline):
    clerk = intake_app(intake).test_client()
    alone = clerk.post(
        "/elders",
        json=registration(2, household_type="living_alone", low_income=True),
        headers=CLERK,
    ).json
    enrolling = clerk.post(
        "/elders", json=registration(4, household_type="empty_nest"), headers=CLERK
    ).json
    assert alone["key_target_reasons"] == ["living_alone", "low_income"]
    ids = [alone["elder_id"], enrolling["elder_id"]]
    pipeline.consume(*relay(intake, ids))

    api = pipeline.api
    generated = api.post("/jobs/monthly", headers=OPERATOR).json
    assert generated["created"] >= 2
    visit = {e: f"key_target:{e}:2026-11" for e in ids}
    for elder_id in ids:
        opened = api.get(f"/obligations/{visit[elder_id]}", headers=HEAD).json
        assert (opened["status"], opened["source"], opened["due_at"]) == (
            "open",
            "key_target",
            "2026-11-25T16:00:00+00:00",
        )

    changes = {
        alone["elder_id"]: {"household_type": "with_family", "low_income": False},
        enrolling["elder_id"]: {"household_type": "empty_nest", "home_care": True},
    }
    for elder_id, circumstances in changes.items():
        body = {"version": 1, "circumstances": circumstances}
        changed = clerk.patch(f"/elders/{elder_id}", json=body, headers=CLERK)
        assert changed.status_code == 200, changed.json
    pipeline.consume(*relay(intake, ids))

    cancelled = {e: api.get(f"/obligations/{visit[e]}", headers=HEAD).json for e in ids}
    assert {e: (o["status"], o["cancelled_reason"]) for e, o in cancelled.items()} == {
        alone["elder_id"]: ("cancelled", "no_longer_key_target"),
        enrolling["elder_id"]: ("cancelled", "home_care_visits"),
    }
    api.post("/jobs/monthly", headers=OPERATOR)
    household = api.get(f"/obligations/routine:{enrolling['elder_id']}:2026-11", headers=HEAD)
    assert household.json["status"] == "open"
    mine = api.get("/obligations", query_string={"elder_id": alone["elder_id"]}, headers=HEAD)
    assert [o["status"] for o in mine.json["items"]] == ["cancelled"]
