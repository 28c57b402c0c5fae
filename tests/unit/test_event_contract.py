"""The published AsyncAPI document, read by a standard JSON Schema validator (jsonschema with a
`referencing` registry) as an outside consumer reads it, and the CloudEvents 1.0 rules."""

import json

import pytest
from event_contract import EventContract, cloudevents_violations, produced_by_the_product
from factories import registered_event

from shared.events import CATALOGUE
from shared.events.asyncapi import document
from shared.events.envelope import STRUCTURED


@pytest.fixture(scope="module")
def contract() -> EventContract:
    return EventContract.published()


def envelope(**changes) -> dict:
    event = registered_event(retired_cadre_employer=None, died_on=None, moved_out_on=None)
    return {**json.loads(event.to_json()), **changes}


def test_the_published_document_is_the_generated_one_and_names_every_event(contract):
    assert EventContract(document()).topics == contract.topics
    assert set(contract.topics) == set(CATALOGUE)


def test_an_event_with_null_optional_fields_matches_its_message(contract):
    """Nulls where OpenAPI 3.0's `nullable` made them violations for standard validators."""
    event = envelope()
    assert event["data"]["retired_cadre_employer"] is None
    assert event["data"]["died_on"] is None
    assert contract.violations("eldercare.intake.elders", event) == []


def test_wrong_data_types_and_topics_and_unknown_types_are_violations(contract):
    event = envelope()
    event["data"]["birth_date"] = "7 March 1944"
    event["data"]["registered_at"] = "2026-11-29 08:30"
    event["data"]["version"] = "1"
    found = contract.violations("eldercare.visits.events", event)
    assert any(problem.startswith("data/birth_date:") for problem in found), found
    assert any(problem.startswith("data/version:") for problem in found), found
    assert any(problem.startswith("data/registered_at:") for problem in found), found
    assert "elder.registered belongs on eldercare.intake.elders" in " ".join(found)
    assert contract.violations("eldercare.intake.elders", envelope(type="elder.renamed")) == [
        "type 'elder.renamed' is in no channel of the document"
    ]
    wrong_version = contract.violations("eldercare.intake.elders", envelope(schemaversion=99))
    assert wrong_version and wrong_version[0].startswith("schemaversion:")


def test_envelopes_follow_the_cloudevents_rules():
    assert cloudevents_violations(envelope()) == []
    assert cloudevents_violations(envelope(time="2026-11-29T08:30:00Z")) == []
    broken = {key: value for key, value in envelope().items() if key != "id"}
    broken.update(specversion="0.3", time="2026-11-29 08:30", Region="x", source="")
    assert sorted(cloudevents_violations(broken)) == sorted(
        [
            "no id",
            "source is not a non-empty string",
            "specversion '0.3' is not '1.0'",
            "attribute name 'Region' is not lower-case letters and digits",
            "time '2026-11-29 08:30' is not RFC 3339",
        ]
    )
    assert cloudevents_violations(envelope(time="2026-02-30T08:30:00+08:00")) == [
        "time '2026-02-30T08:30:00+08:00' is not RFC 3339"
    ]


def test_what_counts_as_published_by_the_product():
    product = {"source": "urn:eldercare:d1:visits"}
    assert produced_by_the_product([], product)
    assert produced_by_the_product([STRUCTURED], {"source": "urn:eldercare:d1:t0a1b2c3"})
    assert produced_by_the_product([STRUCTURED], None)  # marked, so checked even if garbage
    assert not produced_by_the_product([], {"source": "urn:eldercare:d1:t0a1b2c3"})
    assert not produced_by_the_product([], {"source": "urn:hospital:example"})
    assert not produced_by_the_product([], None)
