"""The broker's ACLs (devstack.kafka_security) follow what each service really reads and writes."""

from unittest.mock import MagicMock

from devstack.kafka_security import READS, REPLAYED, WRITES, acls
from services.allowances.service_layer.handlers import handlers as allowances_handlers
from services.intake.service_layer.handlers import handlers as intake_handlers
from services.visits.service_layer.handlers import handlers as visits_handlers
from shared.events import CATALOGUE, Topics, event_type


def consumed(names) -> list[str]:
    return sorted({event_type(name).topic for name in names})


def test_each_service_may_read_exactly_what_it_consumes():
    # each worker's table of handlers; every service but intake also follows staff accounts'
    # access (token revocation). Only the handlers' names matter here.
    assert sorted(READS["visits"]) == consumed(visits_handlers(MagicMock()))
    assert sorted(READS["allowances"]) == consumed(allowances_handlers(MagicMock()))
    assert READS["intake"] == consumed(intake_handlers(MagicMock()))
    assert "staff.access_changed" in visits_handlers(MagicMock())


def test_each_service_may_write_the_topics_of_the_events_it_produces():
    for service, topics in WRITES.items():
        produced = {kind.topic for kind in CATALOGUE.values() if kind.producer == service}
        assert produced <= set(topics), service
        others = {
            kind.topic
            for kind in CATALOGUE.values()
            if kind.producer not in (service, "other systems")
        }
        assert not others & set(topics), service


def test_outside_systems_may_write_inbound_only_and_replays_go_where_services_read():
    granted = [
        (acl.principal, acl.operation.name, acl.resource_pattern.resource_name) for acl in acls()
    ]
    outside = [(operation, name) for who, operation, name in granted if who == "User:outside"]
    assert sorted(outside) == [("IDEMPOTENT_WRITE", "kafka-cluster"), ("WRITE", Topics.INBOUND)]
    assert set(REPLAYED) == {topic for topics in READS.values() for topic in topics}
