"""Who may send what on which topic: a service's topic carries only that service's events."""

from dataclasses import replace

import pytest
from factories import registered_event

from shared.config import Settings
from shared.consumer import check_sender
from shared.events import InvalidEvent, Topics, topic_owner

DISTRICT = "d1"


def test_each_services_topics_are_owned_by_it_and_inbound_by_no_one():
    assert topic_owner(Topics.ELDERS) == "intake"
    assert topic_owner(Topics.INCIDENTS) == "intake"
    assert topic_owner(Topics.VISITS) == "visits"
    assert topic_owner(Topics.ALLOWANCES) == "allowances"
    assert topic_owner(Topics.INBOUND) is None
    assert topic_owner(Topics.dead_letter("visits")) is None


def test_an_intake_event_on_intakes_topic_is_accepted():
    event = registered_event(Settings(service="visits", district=DISTRICT))
    assert event.source == "urn:eldercare:d1:intake"
    check_sender(Topics.ELDERS, event, DISTRICT)  # raises nothing


@pytest.mark.parametrize(
    "source",
    [
        "urn:eldercare:d1:visits",  # another service of the district
        "urn:eldercare:d2:intake",  # intake of another district
        "urn:hospital:people-first",  # an outside system
        "urn:eldercare:d1:intake:extra",
    ],
)
def test_an_event_from_anyone_else_on_intakes_topic_is_refused(source: str):
    forged = replace(registered_event(Settings(service="intake", district=DISTRICT)), source=source)
    with pytest.raises(InvalidEvent, match="which carries only 'urn:eldercare:d1:intake'"):
        check_sender(Topics.ELDERS, forged, DISTRICT)


def test_an_outside_source_is_accepted_on_the_inbound_topic():
    event = replace(registered_event(), source="urn:hospital:people-first")
    check_sender(Topics.INBOUND, event, DISTRICT)


def test_another_districts_event_is_refused_whatever_the_topic():
    event = registered_event(Settings(service="intake", district="d2"))
    with pytest.raises(InvalidEvent, match="district 'd2'"):
        check_sender(Topics.INBOUND, event, DISTRICT)
