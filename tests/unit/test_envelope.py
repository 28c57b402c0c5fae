import json
from dataclasses import replace
from datetime import date

import pytest
from factories import AT, registered_data, registered_event
from marshmallow import fields

from shared.events import InvalidEvent, decode, event_type, new_event
from shared.events.envelope import EnvelopeSchema, schema_of
from shared.events.types import EventData, EventType


def test_an_event_round_trips_through_its_json_envelope():
    event = registered_event(elder_id="e-1")
    document = json.loads(event.to_json())
    assert document["specversion"] == "1.0"
    assert document["datacontenttype"] == "application/json"
    assert document["subject"] == "e-1"
    assert document["schemaversion"] == 2
    assert "national_id" not in document["data"]
    assert "address" not in document["data"] and "phone" not in document["data"]
    again = decode(event.to_json())
    assert again == event
    assert event_type(again.type).load(again)["birth_date"] == date(1944, 3, 7)


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"time": None, "subject": None, "datacontenttype": None},
        {"data": {1: "a key that is not text", "nested": {"list": [1, None, "二"]}}},
    ],
)
def test_an_envelope_is_written_as_its_schema_dumps_it(change):
    event = replace(registered_event(elder_id="e-1"), **change)
    dumped = schema_of(EnvelopeSchema).dump(event)
    assert event.to_dict() == dumped
    assert list(event.to_dict()) == list(dumped)  # in the same order, too
    assert event.to_json() == json.dumps(dumped, ensure_ascii=False, sort_keys=True).encode()


def test_new_event_refuses_data_that_breaks_its_schema():
    with pytest.raises(ValueError, match="sex"):
        new_event(
            "elder.registered",
            "e-1",
            registered_data(sex="unknown"),
            source="urn:test",
            district="d1",
            at=AT,
        )


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (None, "empty message"),
        (b"{not json", "not JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"specversion": "0.3"}', "invalid envelope"),
        (b"\xff\xfe", "not JSON"),
    ],
)
def test_garbage_is_refused_with_a_reason(raw, reason):
    with pytest.raises(InvalidEvent, match=reason):
        decode(raw)


@pytest.mark.parametrize("attribute", ["id", "source", "type", "specversion", "district"])
def test_a_missing_required_attribute_is_named(attribute):
    document = registered_event().to_dict()
    del document[attribute]
    with pytest.raises(InvalidEvent, match=attribute):
        decode(json.dumps(document).encode())


def test_what_cloudevents_leaves_optional_may_be_absent():
    """CloudEvents 1.0 requires only id, source, type and specversion."""
    document = registered_event().to_dict()
    for optional in ("subject", "time", "datacontenttype", "schemaversion"):
        del document[optional]
    event = decode(json.dumps(document).encode())
    assert (event.subject, event.time, event.datacontenttype) == (None, None, None)
    assert event.schemaversion == 1  # absent: the first version of the data schema
    assert "subject" not in event.to_dict()  # absent again when written, not null


def test_an_event_without_a_subject_is_keyed_by_its_reference():
    document = {
        "specversion": "1.0",
        "id": "adm-1",
        "source": "urn:hospital:city-1",
        "type": "hospital.admitted",
        "district": "d1",
        "data": {"reference": "ADM-2026-1", "national_id": "110105194403070021"},
    }
    assert decode(json.dumps(document).encode()).key == "ADM-2026-1"
    assert registered_event(elder_id="e-7").key == "e-7"


@pytest.mark.parametrize(
    ("media_type", "accepted"),
    [
        ("application/json", True),
        ("application/json; charset=utf-8", True),
        ("application/vnd.hospital+json", True),
        ("text/xml", False),
    ],
)
def test_data_may_be_any_json_media_type(media_type, accepted):
    document = {**registered_event().to_dict(), "datacontenttype": media_type}
    if accepted:
        assert decode(json.dumps(document).encode()).datacontenttype == media_type
    else:
        with pytest.raises(InvalidEvent, match="datacontenttype"):
            decode(json.dumps(document).encode())


def test_unknown_event_types_are_refused():
    with pytest.raises(InvalidEvent, match=r"unknown event type 'elder\.teleported'"):
        event_type("elder.teleported")


def test_invalid_data_is_refused_with_the_field():
    document = registered_event().to_dict()
    document["data"]["birth_date"] = "1944-02-30"
    event = decode(json.dumps(document).encode())
    with pytest.raises(InvalidEvent, match="birth_date"):
        event_type(event.type).load(event)


class Greeting(EventData):
    full_name = fields.String(required=True)
    language = fields.String(required=True)


def test_consumers_read_older_schema_versions_through_upcasters():
    kind = EventType(
        name="elder.registered",
        topic="t",
        schema=Greeting,
        description="",
        producer="test",
        version=3,
        upcasters={
            1: lambda d: {"full_name": d["name"]},
            2: lambda d: {**d, "language": "zh"},
        },
    )
    old = replace(registered_event(), schemaversion=1)
    assert kind.load(old) == {"full_name": "王秀英", "language": "zh"}


def test_an_elder_event_of_version_1_is_read_without_its_contact_details():
    """Version 2 moved the address and phone to elder.contact_changed, on its own topic."""
    old = replace(
        registered_event(),
        schemaversion=1,
        data={**registered_event().data, "address": "新华路12号", "phone": "13800138000"},
    )
    data = event_type("elder.registered").load(old)
    assert data["name"] == "王秀英"
    assert "address" not in data and "phone" not in data


def test_events_from_a_newer_schema_than_known_are_refused():
    kind = event_type("elder.registered")
    document = registered_event().to_dict()
    document["schemaversion"] = kind.version + 1
    with pytest.raises(InvalidEvent, match="newer"):
        kind.load(decode(json.dumps(document).encode()))


def test_pairing_events_of_version_1_still_read_and_version_2_names_a_partner_without_id():
    pairing = {
        "pairing_id": "p-1",
        "version": 1,
        "elder_id": "e-1",
        "community": "xinhua",
        "partner_name": "刘阿姨",
        "partner_kind": "neighbour",
        "visits_per_month": 1,
        "status": "active",
        "started_on": date(2026, 11, 29),
    }
    event = new_event(
        "pairing.started", "e-1", {**pairing, "partner_id": None}, source="s", district="d", at=AT
    )
    kind = event_type("pairing.started")
    assert (event.schemaversion, kind.load(event)["partner_id"]) == (2, None)
    old = event.to_dict() | {"schemaversion": 1}
    old["data"] = old["data"] | {"partner_id": "vol-7", "partner_kind": "volunteer"}
    assert kind.load(decode(json.dumps(old).encode()))["partner_id"] == "vol-7"
