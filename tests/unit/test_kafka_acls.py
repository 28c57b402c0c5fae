"""The broker's ACLs (devstack.kafka_security) follow what each service really reads and writes."""

from unittest.mock import MagicMock

from devstack.kafka_security import READS, REPLAYED, WRITES, acls
from services.allowances.service_layer.projection import handlers as allowances_handlers
from services.intake.bootstrap import INBOUND_EVENTS
from services.visits.service_layer.projection import handlers as visits_handlers
from shared.events import CATALOGUE, Topics, event_type
from shared.staff_access import TokenVersions, staff_handlers


def consumed(names) -> list[str]:
    return sorted({event_type(name).topic for name in names})


def test_each_service_may_read_exactly_what_it_consumes():
    # every service but intake also follows staff accounts' access (token revocation)
    staff = list(staff_handlers(TokenVersions(MagicMock())))  # only the handlers' names matter
    assert sorted(READS["visits"]) == consumed([*visits_handlers(None), *staff])  # type: ignore[arg-type]
    assert sorted(READS["allowances"]) == consumed([*allowances_handlers(None), *staff])  # type: ignore[arg-type]
    assert READS["intake"] == consumed(kind.name for kind in INBOUND_EVENTS)


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
