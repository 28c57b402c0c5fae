"""What every use case of the visits service takes: settings, clock, and stores."""

from dataclasses import dataclass
from typing import Any

from pymongo.database import Database

from services.visits.domain.campaigns import FestivalCampaign
from services.visits.domain.config import VisitsConfig
from services.visits.domain.elder import Contact, Elder
from services.visits.domain.help_requests import HelpRequest, WaitingCall
from services.visits.domain.obligations import Obligation
from services.visits.domain.pairings import Pairing
from services.visits.domain.services_delivered import ServiceDelivery
from services.visits.domain.triggers import WaitingIncident
from services.visits.domain.visit_records import VisitRecord
from shared.clock import Clock
from shared.config import Settings
from shared.configuration import Configuration
from shared.projection import Projection
from shared.records import Audited, Records


@dataclass(frozen=True)
class Visits:
    settings: Settings
    clock: Clock
    db: Database
    elders: Projection[Elder]
    contacts: Projection[Contact]
    config: Configuration[VisitsConfig]
    obligations: Records[Obligation]
    incidents: Records[WaitingIncident]
    visits: Records[VisitRecord]
    services: Records[ServiceDelivery]
    pairings: Records[Pairing]
    help_requests: Records[HelpRequest]
    waiting_calls: Records[WaitingCall]
    campaigns: Records[FestivalCampaign]

    def audited(self) -> list[Audited]:
        """The collections whose documents keep a history of their changes."""
        records: list[Records[Any]] = [
            self.obligations,
            self.incidents,
            self.visits,
            self.services,
            self.pairings,
            self.help_requests,
            self.waiting_calls,
            self.campaigns,
        ]
        collections = [self.config.collection, *(store.collection for store in records)]
        return [Audited(collection) for collection in collections]

    def with_events(self) -> list[Records]:
        """The collections whose documents carry events for the outbox relay."""
        return [self.obligations, self.visits, self.services, self.pairings, self.help_requests]
