"""Reminders of the month's cycles: their delivery log, and a pass of the duty now."""

from typing import Any

from services.allowances.entrypoints.api import APPROVER, OFFICER, allowances
from services.allowances.service_layer import queries
from services.allowances.service_layer.reminders import remind
from shared.documents import plain
from shared.reminding import ReminderPass
from shared.web.auth import requires
from shared.web.blueprint import Blueprint
from shared.web.pagination import page, page_schema, paged
from shared.web.reminders import ReminderListArgs, ReminderPassSchema, ReminderSchema

blueprint = Blueprint(
    "reminders",
    __name__,
    url_prefix="/reminders",
    description="Reminders of the month's cycles due and late, and their delivery log",
)
jobs_blueprint = Blueprint(
    "jobs", __name__, url_prefix="/jobs", description="Run a scheduled duty now (operators)"
)


@blueprint.route("")
@requires(OFFICER, APPROVER, "operator")
@blueprint.arguments(ReminderListArgs, location="query")
@blueprint.response(200, page_schema(ReminderSchema))
def reminder_log(args: dict[str, Any]) -> dict[str, Any]:
    """The reminders' delivery log, the newest first: to whom, why, on which channel, sent or
    failed and why, and how often tried"""
    found, total = allowances().reminders.find(
        queries.reminders_query(args), [("created_at", -1), ("_id", 1)], *paged(args)
    )
    return page(args, [plain(r) for r in found], total)


@jobs_blueprint.route("/reminders", methods=["POST"])
@requires("operator")
@jobs_blueprint.response(200, ReminderPassSchema)
def send_reminders() -> ReminderPass:
    """Decide and send the reminders due now, as the worker does every minute"""
    return remind(allowances())
