"""The visits service's container with every store in memory (`shared.memory_stores`), for
unit tests of its use cases and handlers: the same code runs as on MongoDB, without a server.

The database handle is never connected (`unconnected`): a report's aggregation is tested
against the real store. A use case that asks one for its own figures (a campaign's progress,
the service statistics) is tested on `with_memory_reports`: the same counts, worked out from the
stores in memory.
"""

from dataclasses import replace
from datetime import datetime
from typing import Any

from unconnected import unconnected_database

from services.visits.adapters.reports import VisitReports
from services.visits.domain import courses, occasions, teams
from services.visits.domain.budgets import Budget
from services.visits.domain.campaigns import Campaign
from services.visits.domain.config import VisitsConfig
from services.visits.domain.courses import Course
from services.visits.domain.elder import Contact, Elder
from services.visits.domain.feedback import Complaint, Feedback
from services.visits.domain.filings import Filing
from services.visits.domain.grid import Cell, Home
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
from services.visits.service_layer.container import ActivityStores, Visits
from shared.clock import FixedClock
from shared.config import Settings
from shared.memory_stores import MemoryConfiguration, MemoryProjection, MemoryRecords
from shared.reminders import Reminder
from shared.service_contacts import ServiceContacts
from shared.staff_access import TokenVersion, TokenVersions
from shared.staff_contacts import StaffContact
from shared.stamps import KeptUntilWritten, MemoryStamp, Stamped, StampedProjection
from shared.stores import RecordStore


def memory_visits(now: datetime) -> Visits:
    clock = FixedClock(now)
    unconnected = unconnected_database()
    obligations_written, grid_written, elders_written = MemoryStamp(), MemoryStamp(), MemoryStamp()
    return Visits(
        Settings(service="visits", district="d1"),
        clock,
        unconnected,
        elders=StampedProjection(MemoryProjection(Elder), elders_written),
        contacts=StampedProjection(MemoryProjection(Contact), elders_written),
        config=MemoryConfiguration(VisitsConfig, "configuration", clock),
        obligations=Stamped(
            MemoryRecords("obligations", Obligation, "obligation", clock), obligations_written
        ),
        incidents=MemoryRecords("incidents", WaitingIncident, "waiting incident", clock),
        visits=MemoryRecords("visits", VisitRecord, "visit", clock),
        services=MemoryRecords("services", ServiceDelivery, "service delivery", clock),
        pairings=MemoryRecords("pairings", Pairing, "pairing", clock),
        help_requests=MemoryRecords("help_requests", HelpRequest, "help request", clock),
        feedback=MemoryRecords("feedback", Feedback, "feedback", clock),
        complaints=MemoryRecords("complaints", Complaint, "complaint", clock),
        inspections=MemoryRecords("inspections", Inspection, "inspection", clock),
        referrals=MemoryRecords("referrals", Referral, "referral", clock),
        relief=MemoryRecords("relief", Relief, "relief", clock),
        plans=MemoryRecords("plans", Plan, "plan", clock),
        budgets=MemoryRecords("budgets", Budget, "budget", clock),
        filings=MemoryRecords("filings", Filing, "filing", clock),
        scorecard_counts=MemoryProjection(Counted),
        scorecards=MemoryRecords("scorecards", FrozenYear, "frozen scorecard", clock),
        waiting_calls=MemoryRecords("waiting_calls", WaitingCall, "waiting call", clock),
        campaigns=MemoryRecords("campaigns", Campaign, "campaign", clock),
        reminders=MemoryRecords("reminders", Reminder, "reminder", clock),
        staff_contacts=MemoryProjection(StaffContact),
        token_versions=TokenVersions(MemoryProjection(TokenVersion)),
        service_contacts=MemoryProjection(ServiceContacts),
        homes=StampedProjection(MemoryProjection(Home), grid_written),
        cells=StampedProjection(MemoryProjection(Cell), grid_written),
        reports=VisitReports(unconnected),
        open_work_kept=KeptUntilWritten(obligations_written),
        grids_kept=KeptUntilWritten(grid_written),
        elders_kept=KeptUntilWritten(elders_written),
        activities=memory_activities(clock),
    )


def memory_activities(clock: FixedClock) -> ActivityStores:
    stamp = MemoryStamp()
    return ActivityStores(
        venues=Stamped(MemoryRecords("venues", Venue, "venue", clock), stamp),
        teams=Stamped(MemoryRecords("teams", Team, "team", clock, teams.in_history), stamp),
        courses=Stamped(
            MemoryRecords("courses", Course, "course", clock, courses.in_history), stamp
        ),
        occasions=Stamped(
            MemoryRecords("occasions", Occasion, "occasion", clock, occasions.in_history), stamp
        ),
        service_hours=Stamped(
            MemoryRecords("service_hours", ServiceHours, "volunteer service", clock), stamp
        ),
        posts=Stamped(
            MemoryRecords("community_posts", CommunityPost, "community post", clock), stamp
        ),
        volunteers=MemoryProjection(Volunteer),
        stamp=stamp,
        figures=KeptUntilWritten(stamp),
    )


class MemoryReports:
    """`VisitCounts` counted from the record stores, as its aggregations count them on the
    database: open work, overdue work, and service instances by community, type and month."""

    def __init__(
        self, obligations: RecordStore[Obligation], services: RecordStore[ServiceDelivery]
    ) -> None:
        self.obligation_records = obligations
        self.service_records = services

    def overdue(self, query: dict[str, Any], now: datetime) -> int:
        late = {**query, "status": "open", "due_at": {"$lt": now}}
        return sum(1 for _ in self.obligation_records.each(late))

    def service_counts(
        self, first_month: str, last_month: str, community: str | None
    ) -> list[Count]:
        match: dict[str, Any] = {"month": {"$gte": first_month, "$lte": last_month}}
        if community is not None:
            match["community"] = community
        summed: dict[tuple[str, str, str], int] = {}
        for delivery in self.service_records.each(match):
            key = (delivery.community, delivery.service_type, delivery.month)
            summed[key] = summed.get(key, 0) + delivery.instances
        return [Count(c, t, m, instances) for (c, t, m), instances in summed.items()]


def with_memory_reports(visits: Visits) -> Visits:
    """The same stores, with the reports' counts worked out from them in memory."""
    return replace(visits, reports=MemoryReports(visits.obligations, visits.services))


def obligation_records(visits: Visits) -> MemoryRecords[Obligation]:
    """The obligations in memory, under the stamp their every write moves."""
    stamped = visits.obligations
    assert isinstance(stamped, Stamped) and isinstance(stamped.store, MemoryRecords)
    return stamped.store
