"""The district's visits configuration, and the scheduled duties on demand."""

from typing import Any

from services.visits.domain.config import CommunityStaff, VisitsConfig
from services.visits.entrypoints.api import HEADS, READERS
from services.visits.entrypoints.api import visits_app as app
from services.visits.entrypoints.schemas import (
    CommunityStaffSchema,
    ConfigSchema,
    DeadlinesSchema,
    GenerationSchema,
    MonthArgs,
    OverduePassSchema,
    RoutineSchema,
)
from services.visits.service_layer import configuration, queries, reminders, schedule
from shared.documents import plain
from shared.personal import mask_phone
from shared.reminders import ReminderRules
from shared.reminding import ReminderPass
from shared.vocabulary import KEY_TARGET_REASONS, TRIGGERS, URGENCIES, VISIT_FREQUENCIES
from shared.web.auth import ADMIN, requires, scoped
from shared.web.blueprint import Blueprint
from shared.web.pagination import page, page_schema, paged
from shared.web.problems import documented
from shared.web.reminders import (
    ReminderListArgs,
    ReminderPassSchema,
    ReminderRulesSchema,
    ReminderSchema,
)

config_blueprint = Blueprint(
    "config",
    __name__,
    url_prefix="/config",
    description="Deadlines of the eight must-visits and of help requests, routine visits, "
    "community staff",
)
jobs_blueprint = Blueprint(
    "jobs", __name__, url_prefix="/jobs", description="Run a scheduled duty now (operators)"
)
reminders_blueprint = Blueprint(
    "reminders",
    __name__,
    url_prefix="/reminders",
    description="Reminders sent to staff: work due soon or overdue, urgent calls unanswered",
)


def view(config: VisitsConfig) -> dict[str, Any]:
    return {
        "triggers": [
            {
                "trigger": trigger,
                "label": word.label,
                "hours": config.deadline_hours(trigger),
                "default_hours": word.default_hours,
            }
            for trigger, word in TRIGGERS.items()
        ],
        "help_request_hours": {u: config.response_deadline_hours(u) for u in URGENCIES},
        "complaint_answer_hours": config.complaint_answer_hours,
        "routine": {
            "due_day": config.routine_due_day,
            "key_targets": [
                {
                    "reason": reason,
                    "label": label,
                    "frequency": config.key_target_frequency(reason),
                    "frequency_label": VISIT_FREQUENCIES[config.key_target_frequency(reason)].label,
                }
                for reason, label in KEY_TARGET_REASONS.items()
            ],
        },
        "communities": config.communities,
        "reminders": {
            **plain(config.reminders),
            "phones": {name: mask_phone(n) for name, n in config.reminders.phones.items()},
        },
        "version": config.version,
    }


@config_blueprint.route("")
@requires(*READERS)
@config_blueprint.response(200, ConfigSchema)
def visits_config() -> dict[str, Any]:
    """The deadlines in force (hours) and each community's worker and head"""
    return view(app().config.get())


@config_blueprint.route("/deadlines", methods=["PUT"])
@requires(ADMIN)
@config_blueprint.arguments(DeadlinesSchema)
@config_blueprint.response(200, ConfigSchema)
@config_blueprint.alt_response(422, description="Unknown trigger or urgency, or bad hours")
def set_deadlines(body: dict[str, Any]) -> dict[str, Any]:
    """Set deadlines in hours (per trigger, per urgency, a complaint's answer); those not named
    keep their value. New obligations, requests and complaints use them"""
    hours = (body["triggers"], body["help_requests"], body["complaints"])
    return view(configuration.set_deadlines(app(), *hours))


@config_blueprint.route("/routine", methods=["PUT"])
@requires(ADMIN)
@config_blueprint.arguments(RoutineSchema)
@config_blueprint.response(200, ConfigSchema)
@config_blueprint.alt_response(422, description="A due day outside 1-28, or an unknown word")
def set_routine(body: dict[str, Any]) -> dict[str, Any]:
    """Set the day of the month routine visits fall due by, and how often key targets are
    visited per reason; what is not named keeps its value. Applies to visits opened after"""
    routine = configuration.set_routine(app(), body.get("due_day"), body["key_targets"])
    return view(routine)


@config_blueprint.route("/communities/<community>", methods=["PUT"])
@requires(ADMIN)
@config_blueprint.arguments(CommunityStaffSchema)
@config_blueprint.response(200, ConfigSchema)
def set_community_staff(body: dict[str, Any], community: str) -> dict[str, Any]:
    """Name a community's responsible worker (assignee of its visits) and its head (to
    whom overdue work is escalated)"""
    staff = CommunityStaff(community, body["worker"], body["head"])
    return view(configuration.set_community_staff(app(), staff))


@jobs_blueprint.route("/overdue", methods=["POST"])
@requires("operator")
@jobs_blueprint.response(200, OverduePassSchema)
def detect_overdue() -> schedule.OverduePass:
    """Detect overdue obligations now, and escalate them to the community heads"""
    return schedule.detect_overdue(app())


@jobs_blueprint.route("/monthly", methods=["POST"])
@requires("operator")
@jobs_blueprint.arguments(MonthArgs, location="query")
@jobs_blueprint.response(200, GenerationSchema)
@jobs_blueprint.alt_response(422, description="A month that has passed")
def generate_month(args: dict[str, Any]) -> schedule.Generation:
    """Generate a month's routine visits now (this month by default); again creates nothing"""
    return schedule.generate_month(app(), args.get("month"))


@config_blueprint.route("/reminders", methods=["PUT"])
@requires(ADMIN)
@config_blueprint.arguments(ReminderRulesSchema)
@config_blueprint.response(200, ConfigSchema)
@documented(config_blueprint, 422)
def set_reminder_rules(body: dict[str, Any]) -> dict[str, Any]:
    """How long before a deadline work is reminded of, the quiet hours (urgent reminders go
    out at any hour), and the staff's mobile numbers for SMS; replaces the rules in force"""
    rules = ReminderRules(**{**body, "to": tuple(body["to"])})
    return view(configuration.set_reminders(app(), rules))


@jobs_blueprint.route("/reminders", methods=["POST"])
@requires("operator")
@jobs_blueprint.response(200, ReminderPassSchema)
def send_reminders() -> ReminderPass:
    """Decide and send the reminders due now, as the worker does every minute"""
    return reminders.remind(app())


@reminders_blueprint.route("")
@requires("operator", *HEADS)
@reminders_blueprint.arguments(ReminderListArgs, location="query")
@reminders_blueprint.response(200, page_schema(ReminderSchema))
def reminder_log(args: dict[str, Any]) -> dict[str, Any]:
    """The reminders' delivery log, the newest first: to whom, why, on which channel, sent or
    failed and why, and how often tried; a community's head sees their community's"""
    found, total = queries.reminders(app(), scoped(args), *paged(args))
    return page(args, [plain(r) for r in found], total)
