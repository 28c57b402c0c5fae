"""What every use case of the visits service takes: settings, clock, and stores.

The stores are typed by what a use case may ask of them (`shared.stores`), so that a use case
runs the same on MongoDB (`bootstrap`) and in memory (the unit tests' container)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from pymongo.database import Database

from services.visits.domain.budgets import Budget
from services.visits.domain.campaigns import Campaign
from services.visits.domain.config import VisitsConfig
from services.visits.domain.courses import Course
from services.visits.domain.elder import Contact, Elder
from services.visits.domain.feedback import Complaint, Feedback
from services.visits.domain.filings import Filing
from services.visits.domain.grid import Cell, CommunityGrid, Home
from services.visits.domain.help_requests import HelpRequest, WaitingCall
from services.visits.domain.inspections import Inspection
from services.visits.domain.obligations import Obligation
from services.visits.domain.occasions import Occasion
from services.visits.domain.pairings import Pairing
from services.visits.domain.participants import Volunteer
from services.visits.domain.plans import Plan
from services.visits.domain.referrals import Referral, Relief
from services.visits.domain.scorecard import Counted, FrozenYear
from services.visits.domain.services_delivered import Count, ServiceDelivery
from services.visits.domain.teams import Team
from services.visits.domain.triggers import WaitingIncident
from services.visits.domain.venues import Venue
from services.visits.domain.visit_records import VisitRecord
from services.visits.domain.volunteering import CommunityPost, ServiceHours
from shared.audit import Actor, current_actor
from shared.clock import Clock
from shared.config import Settings
from shared.reminder_channels import Channel
from shared.reminders import Reminder
from shared.service_contacts import ServiceContacts
from shared.staff_access import TokenVersions
from shared.staff_contacts import StaffContact
from shared.stamps import BatchedStamp, KeptUntilWritten, WriteStamp
from shared.stores import ConfigStore, ProjectionStore, RecordStore


class VisitCounts(Protocol):
    """Questions that count or group many records at once: an aggregation on the store
    (`adapters/reports.py`), worked out from the records in the unit tests' container."""

    def overdue(self, query: dict[str, Any], now: datetime) -> int: ...

    def service_counts(
        self, first_month: str, last_month: str, community: str | None
    ) -> list[Count]: ...


class SeenElders:
    """The elders the worker's current batch of events was about, noted by the handlers so that
    the work kept for them is looked for once for the batch (`kept_work.release_kept_work`),
    not once for each event; each with who was acting in the last event about it, who then
    releases its kept work (in the history lines). Used by the consumer's thread alone."""

    def __init__(self) -> None:
        self._seen: dict[str, Actor] = {}

    def note(self, elder_id: str) -> None:
        self._seen[elder_id] = current_actor()

    def noted(self) -> dict[str, Actor]:
        return dict(self._seen)

    def forget(self, elder_ids: Iterable[str]) -> None:
        """Once their kept work is released; what was noted meanwhile stays."""
        for elder_id in elder_ids:
            self._seen.pop(elder_id, None)


@dataclass(frozen=True)
class ActivityStores:
    """Learning, activities and teams: the community's venues, its teams and their members,
    courses and their enrolments, the occasions held with who came, volunteer hours, the posts
    elders hold; and the volunteers of intake's register, from its events."""

    venues: RecordStore[Venue]
    teams: RecordStore[Team]
    courses: RecordStore[Course]
    occasions: RecordStore[Occasion]
    service_hours: RecordStore[ServiceHours]
    posts: RecordStore[CommunityPost]
    volunteers: ProjectionStore[Volunteer]
    # moved on by every write of the records above; the figures are kept until it moves
    stamp: WriteStamp
    figures: KeptUntilWritten[dict[str, Any]]


@dataclass(frozen=True)
class Visits:
    settings: Settings
    clock: Clock
    db: Database
    elders: ProjectionStore[Elder]
    contacts: ProjectionStore[Contact]
    config: ConfigStore[VisitsConfig]
    obligations: RecordStore[Obligation]
    incidents: RecordStore[WaitingIncident]
    visits: RecordStore[VisitRecord]
    services: RecordStore[ServiceDelivery]
    pairings: RecordStore[Pairing]
    help_requests: RecordStore[HelpRequest]
    feedback: RecordStore[Feedback]  # ratings of the work by those served
    complaints: RecordStore[Complaint]
    inspections: RecordStore[Inspection]  # supervision of the communities, and its corrections
    referrals: RecordStore[Referral]  # help requests referred beyond a visit
    relief: RecordStore[Relief]  # money raised for an elder in difficulty, and handed over
    plans: RecordStore[Plan]  # each community's yearly service plan and its targets
    budgets: RecordStore[Budget]  # the yearly elder-work budgets, and what was spent
    filings: RecordStore[Filing]  # the monthly cycles handed in, as allowances announces them
    scorecard_counts: ProjectionStore[Counted]  # the district's cards of a year, counted ahead
    scorecards: RecordStore[FrozenYear]  # each year's evaluation, frozen at its end
    waiting_calls: RecordStore[WaitingCall]
    campaigns: RecordStore[Campaign]
    reminders: RecordStore[Reminder]
    staff_contacts: ProjectionStore[StaffContact]  # staff mobile numbers, for SMS reminders
    token_versions: TokenVersions  # of each user's tokens, as intake announces them
    service_contacts: ProjectionStore[ServiceContacts]  # printed at the foot of the forms
    homes: ProjectionStore[Home]  # households, and the building each is in
    cells: ProjectionStore[Cell]  # the grid below the community
    reports: VisitCounts
    # each community's (or visitor's) open work, kept until an obligation is written
    open_work_kept: KeptUntilWritten[list[Obligation]]
    # each community's cells and households, kept until intake's next event about one
    grids_kept: KeptUntilWritten[CommunityGrid]
    # elders with their contacts, by the ids asked, kept until intake's next event about one
    elders_kept: KeptUntilWritten[list[dict[str, Any]]]
    activities: ActivityStores
    # the stamps of intake's projections, moved once per batch of events the worker applies
    batched_stamps: Sequence[BatchedStamp] = field(default_factory=tuple)
    # the elders the worker's current batch of events was about, for their kept work
    seen_elders: SeenElders = field(default_factory=SeenElders)
    # where reminders go (adapters configured by the environment); none: kept, not sent
    channels: Sequence[Channel] = field(default_factory=tuple)
