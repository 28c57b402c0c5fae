"""Intake as the integration tests run it: bootstrapped on the test's own database with a fixed
clock, the district's communities configured and the tokens' staff added, and its database
dropped afterwards."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from staff import add_staff

from services.intake.bootstrap import bootstrap
from services.intake.domain.district import Community
from services.intake.service_layer.container import Intake
from services.intake.service_layer.district import configure_communities
from shared.clock import FixedClock
from shared.config import Settings


@contextmanager
def intake_under_test(
    settings: Settings, now: datetime, communities: Sequence[Community], tokens: str
) -> Iterator[Intake]:
    service = bootstrap(settings, FixedClock(now))
    configure_communities(service, list(communities))
    add_staff(service, tokens)
    try:
        yield service
    finally:
        service.db.client.drop_database(service.db.name)
