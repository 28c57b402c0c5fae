"""The district's service contacts: set by the administrator in intake with a version and an
event, checked as a form can print them, heard by the other services in order, and the
deployment's defaults until then."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from memory_intake import memory_intake

from services.intake.service_layer.district import set_service_contacts
from shared.config import Settings
from shared.errors import Conflict, RuleViolation
from shared.events import event_type, new_event
from shared.memory_stores import MemoryProjection
from shared.service_contacts import (
    DISTRICT,
    ServiceContacts,
    contacts_handler,
    in_force,
    set_contacts,
)

NOW = datetime(2026, 12, 1, 2, tzinfo=UTC)


def test_a_hotline_to_dial_and_a_title_that_fits():
    set_ = set_contacts(ServiceContacts(), " 0571-85001234 ", "《新华街道为老服务指南》")
    assert (set_.hotline, set_.service_guide, set_.version) == (
        "0571-85001234",
        "新华街道为老服务指南",
        1,
    )
    assert set_.footer_rows() == [
        ["服务热线", "0571-85001234"],
        ["服务指南", "《新华街道为老服务指南》"],
    ]
    assert set_contacts(set_, "", "").footer_rows() == []  # none printed
    with pytest.raises(RuleViolation, match="not a number to dial") as bad:
        set_contacts(set_, "call 12349", "")
    assert bad.value.context["field"] == "hotline"
    with pytest.raises(RuleViolation, match="61 characters"):
        set_contacts(set_, "12349", "指" * 61)


def test_intake_keeps_them_with_a_version_and_announces_each_change():
    intake = memory_intake(NOW)
    defaults = replace(intake, settings=Settings(service="intake", hotline="96345"))
    assert in_force(defaults) == ServiceContacts(hotline="96345")  # not set: the deployment's
    first = set_service_contacts(defaults, 0, "12349", "为老服务指南")
    assert (in_force(defaults), first.version) == (first, 1)
    with pytest.raises(Conflict, match="now version 1"):
        set_service_contacts(defaults, 0, "12345", "")
    second = set_service_contacts(defaults, 1, "12345", "")
    events = intake.service_contacts.announced  # type: ignore[attr-defined]
    assert [(e.type, e.subject) for e in events] == [("district.contacts_changed", DISTRICT)] * 2
    assert events[-1].data == {"version": 2, "hotline": "12345", "service_guide": ""}
    assert event_type(events[-1].type).load(events[-1]) == events[-1].data
    assert in_force(defaults) == second


def test_the_services_print_the_latest_they_heard():
    heard = MemoryProjection(ServiceContacts)
    handle = contacts_handler(heard)

    def announced(version: int, hotline: str) -> bool:
        data = {"version": version, "hotline": hotline, "service_guide": "指南"}
        event = new_event(
            "district.contacts_changed", DISTRICT, data, source="urn:t", district="d1", at=NOW
        )
        return handle(event, event_type(event.type).load(event))

    assert announced(2, "12345") and not announced(1, "12349")  # late: older
    assert heard.get(DISTRICT) == ServiceContacts(DISTRICT, "12345", "指南", 2)
