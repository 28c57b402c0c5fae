"""Wiring of the visits service: settings, clock, stores, and the worker's duties."""

import os

from pymongo.database import Database

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
from services.visits.domain.services_delivered import ServiceDelivery
from services.visits.domain.teams import Team
from services.visits.domain.triggers import WaitingIncident
from services.visits.domain.venues import Venue
from services.visits.domain.visit_records import VisitRecord
from services.visits.domain.volunteering import CommunityPost, ServiceHours
from services.visits.service_layer.container import ActivityStores, Visits
from services.visits.service_layer.handlers import handlers, inserted_ahead
from services.visits.service_layer.kept_work import release_kept_work
from services.visits.service_layer.reminders import remind
from services.visits.service_layer.schedule import detect_overdue, generate_month
from services.visits.service_layer.scorecard import count_this_year
from shared import configuration, service_contacts, staff_access, staff_contacts, stamps
from shared.clock import Clock, SystemClock
from shared.config import Settings
from shared.configuration import Configuration
from shared.mongo import connect, prepare_store
from shared.reminder_channels import channels_from_env
from shared.reminders import Reminder
from shared.service_contacts import ServiceContacts
from shared.staff_access import TokenVersions
from shared.staff_contacts import StaffContact
from shared.stamps import (
    KEPT_AT_MOST_SECONDS,
    BatchedStamp,
    KeptUntilWritten,
    Stamped,
    StampedProjection,
    StoredStamp,
    settle_all,
)
from shared.store_specs import KIT_STORES, StoreSpec, create_indexes, outbox_collections
from shared.worker import Worker

SERVICE = "visits"
OVERDUE_EVERY_SECONDS = 60.0
MONTHLY_EVERY_SECONDS = 3600.0
REMINDERS_EVERY_SECONDS = 60.0


# Every collection of the service: its indexes, whether its writes carry events for the outbox
# relay, whether its records keep a history for /audit.
ELDERS = StoreSpec("elders", indexes=[("community",)], model=Elder)
CONTACTS = StoreSpec("contacts", model=Contact)
CONFIG = StoreSpec(configuration.COLLECTION, audited=True)
OBLIGATIONS = StoreSpec(
    "obligations",
    indexes=[
        ("status", "due_at"),
        ("elder_id", "status"),
        ("community", "status", "due_at"),
        ("assignee", "status", "due_at"),
        ("source",),
    ],
    outbox=True,
    audited=True,
    model=Obligation,
    what="obligation",
)
INCIDENTS = StoreSpec(
    "incidents",
    indexes=[("elder_id", "status")],
    audited=True,
    model=WaitingIncident,
    what="waiting incident",
)
VISITS = StoreSpec(
    "visits",
    indexes=[("elder_id", "visited_at"), ("community", "visited_at")],
    outbox=True,
    audited=True,
    model=VisitRecord,
    what="visit",
)
SERVICES = StoreSpec(
    "services",
    indexes=[("month", "community"), ("elder_id",)],
    outbox=True,
    audited=True,
    model=ServiceDelivery,
    what="service delivery",
)
PAIRINGS = StoreSpec(
    "pairings",
    indexes=[("elder_id", "status"), ("partner_id",), ("status",)],
    outbox=True,
    audited=True,
    model=Pairing,
    what="pairing",
)
HELP_REQUESTS = StoreSpec(
    "help_requests",
    indexes=[("community", "status"), ("elder_id",)],
    outbox=True,
    audited=True,
    model=HelpRequest,
    what="help request",
)
FEEDBACK = StoreSpec(
    "feedback",
    indexes=[("community", "recorded_at"), ("worker",), ("elder_id",)],
    audited=True,
    model=Feedback,
    what="feedback",
)
COMPLAINTS = StoreSpec(
    "complaints",
    indexes=[("community", "status"), ("status", "answer_by")],
    audited=True,
    model=Complaint,
    what="complaint",
)
INSPECTIONS = StoreSpec(
    "inspections",
    indexes=[("community", "inspected_on"), ("corrections.status",)],
    audited=True,
    model=Inspection,
    what="inspection",
)
REFERRALS = StoreSpec(
    "referrals",
    indexes=[("request_id",), ("community", "status")],
    audited=True,
    model=Referral,
    what="referral",
)
RELIEF = StoreSpec(
    "relief", indexes=[("request_id",), ("community",)], audited=True, model=Relief, what="relief"
)
PLANS = StoreSpec("plans", indexes=[("year",)], audited=True, model=Plan, what="plan")
BUDGETS = StoreSpec("budgets", indexes=[("year",)], audited=True, model=Budget, what="budget")
FILINGS = StoreSpec("filings", indexes=[("month",)], model=Filing, what="filing")
SCORECARD_COUNTS = StoreSpec("scorecard_counts", model=Counted, what="count of the scorecards")
SCORECARDS = StoreSpec("scorecards", audited=True, model=FrozenYear, what="frozen scorecard")
WAITING_CALLS = StoreSpec(
    "waiting_calls",
    indexes=[("elder_id", "status")],
    audited=True,
    model=WaitingCall,
    what="waiting call",
)
CAMPAIGNS = StoreSpec("campaigns", audited=True, model=Campaign, what="campaign")
REMINDERS = StoreSpec("reminders", indexes=[("status", "next_at")], model=Reminder, what="reminder")
STAFF_CONTACTS = StoreSpec(staff_contacts.COLLECTION, model=StaffContact)
SERVICE_CONTACTS = StoreSpec(service_contacts.COLLECTION, model=ServiceContacts)
HOMES = StoreSpec("homes", indexes=[("members",), ("cell_id",), ("community",)], model=Home)
CELLS = StoreSpec("grid_cells", indexes=[("community",), ("group_id",)], model=Cell)
# Learning, activities and teams
VENUES = StoreSpec("venues", indexes=[("community",)], audited=True, model=Venue, what="venue")
TEAMS = StoreSpec(
    "teams",
    indexes=[("community", "status"), ("members.person",)],
    audited=True,
    model=Team,
    what="team",
)
COURSES = StoreSpec(
    "courses",
    indexes=[("community", "ends_on"), ("enrolments.person",)],
    audited=True,
    model=Course,
    what="course",
)
OCCASIONS = StoreSpec(
    "occasions",
    indexes=[("community", "held_on"), ("course_id",), ("team_id",), ("attendance.person",)],
    audited=True,
    model=Occasion,
    what="occasion",
)
SERVICE_HOURS = StoreSpec(
    "service_hours",
    indexes=[("community", "served_on"), ("person",)],
    audited=True,
    model=ServiceHours,
    what="volunteer service",
)
POSTS = StoreSpec(
    "community_posts",
    indexes=[("community", "status"), ("person",)],
    audited=True,
    model=CommunityPost,
    what="community post",
)
VOLUNTEERS = StoreSpec("volunteers", indexes=[("elder_id",), ("community",)], model=Volunteer)
STAMPS = StoreSpec(stamps.COLLECTION)
ACTIVITY_STORES = [VENUES, TEAMS, COURSES, OCCASIONS, SERVICE_HOURS, POSTS, VOLUNTEERS, STAMPS]
# what intake's events say of each staff account: the version its tokens must carry
STAFF_ACCESS = StoreSpec(staff_access.COLLECTION)
STORES = [
    ELDERS,
    CONTACTS,
    CONFIG,
    OBLIGATIONS,
    INCIDENTS,
    VISITS,
    SERVICES,
    PAIRINGS,
    HELP_REQUESTS,
    FEEDBACK,
    COMPLAINTS,
    INSPECTIONS,
    REFERRALS,
    RELIEF,
    PLANS,
    BUDGETS,
    FILINGS,
    SCORECARD_COUNTS,
    SCORECARDS,
    WAITING_CALLS,
    CAMPAIGNS,
    REMINDERS,
    STAFF_CONTACTS,
    SERVICE_CONTACTS,
    HOMES,
    CELLS,
    *ACTIVITY_STORES,
    STAFF_ACCESS,
    *KIT_STORES,
]


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> Visits:
    settings = settings or Settings.from_env(SERVICE)
    db = connect(settings)
    clock = clock or SystemClock()
    obligations_written = StoredStamp(db, "obligations")
    # intake's events come by the thousand in an import: a stamp write per event would double
    # the worker's writes, so these two move once per batch (see Worker.move_stamps)
    grid_written = BatchedStamp(StoredStamp(db, "grid"))
    elders_written = BatchedStamp(StoredStamp(db, "elders"))

    visits = Visits(
        settings,
        clock,
        db,
        elders=StampedProjection(ELDERS.projection(db), elders_written),
        contacts=StampedProjection(CONTACTS.projection(db), elders_written),
        config=Configuration(db, clock, "visits", VisitsConfig, "configuration"),
        obligations=Stamped(OBLIGATIONS.records(db, clock), obligations_written),
        incidents=INCIDENTS.records(db, clock),
        visits=VISITS.records(db, clock),
        services=SERVICES.records(db, clock),
        pairings=PAIRINGS.records(db, clock),
        help_requests=HELP_REQUESTS.records(db, clock),
        feedback=FEEDBACK.records(db, clock),
        complaints=COMPLAINTS.records(db, clock),
        inspections=INSPECTIONS.records(db, clock),
        referrals=REFERRALS.records(db, clock),
        relief=RELIEF.records(db, clock),
        plans=PLANS.records(db, clock),
        budgets=BUDGETS.records(db, clock),
        filings=FILINGS.records(db, clock),
        scorecard_counts=SCORECARD_COUNTS.projection(db),
        scorecards=SCORECARDS.records(db, clock),
        waiting_calls=WAITING_CALLS.records(db, clock),
        campaigns=CAMPAIGNS.records(db, clock),
        reminders=REMINDERS.records(db, clock),
        staff_contacts=STAFF_CONTACTS.projection(db),
        token_versions=TokenVersions.stored_in(db),
        service_contacts=SERVICE_CONTACTS.projection(db),
        homes=StampedProjection(HOMES.projection(db), grid_written),
        cells=StampedProjection(CELLS.projection(db), grid_written),
        reports=VisitReports(db),
        # open work is kept until an obligation is written, the grid until a household or a
        # cell is, elders until one of them is
        open_work_kept=KeptUntilWritten(obligations_written, max_age=KEPT_AT_MOST_SECONDS),
        grids_kept=KeptUntilWritten(grid_written, max_age=KEPT_AT_MOST_SECONDS),
        elders_kept=KeptUntilWritten(elders_written, max_age=KEPT_AT_MOST_SECONDS),
        activities=activity_stores(db, clock),
        channels=channels_from_env(os.environ),
        batched_stamps=(grid_written, elders_written),
    )
    prepare_store(lambda: create_indexes(db, STORES), wait=False)
    return visits


def activity_stores(db: Database, clock: Clock) -> ActivityStores:
    """Learning, activities and teams: each write moves the stamp the figures are kept by."""
    stamp = StoredStamp(db, "activities")
    return ActivityStores(
        venues=Stamped(VENUES.records(db, clock), stamp),
        teams=Stamped(TEAMS.records(db, clock, teams.in_history), stamp),
        courses=Stamped(COURSES.records(db, clock, courses.in_history), stamp),
        occasions=Stamped(OCCASIONS.records(db, clock, occasions.in_history), stamp),
        service_hours=Stamped(SERVICE_HOURS.records(db, clock), stamp),
        posts=Stamped(POSTS.records(db, clock), stamp),
        volunteers=VOLUNTEERS.projection(db),
        stamp=stamp,
        figures=KeptUntilWritten(stamp),
    )


def worker(visits: Visits) -> Worker:
    """Visits' worker: follows intake's elders and incidents, relays its own events, and runs
    the scheduled duties (overdue detection, monthly routine visits, reminders, the count of
    the year's scorecards)."""
    return Worker(
        visits.settings,
        visits.db,
        prepare=lambda: create_indexes(visits.db, STORES),
        outbox_collections=outbox_collections(STORES),
        handlers=handlers(visits),
        move_stamps=lambda: settle_all(visits.batched_stamps),
        prepare_batch=inserted_ahead(visits),
        finish_batch=lambda: release_kept_work(visits),
        periodic=[
            ("overdue", OVERDUE_EVERY_SECONDS, lambda: detect_overdue(visits)),
            ("monthly", MONTHLY_EVERY_SECONDS, lambda: generate_month(visits)),
            ("reminders", REMINDERS_EVERY_SECONDS, lambda: remind(visits)),
            (
                "scorecards",
                visits.settings.scorecard_count_seconds,
                lambda: count_this_year(visits),
            ),
        ],
    )
