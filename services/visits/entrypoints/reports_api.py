"""The reports the office keeps, as JSON, as a workbook and as a form to print."""

from typing import Any

from marshmallow import Schema, fields, validate

from services.visits.adapters.report_files import (
    activities_table,
    home_care_table,
    key_targets_pdf,
    key_targets_xlsx,
    public_notice_pdf,
    satisfaction_table,
    year_table,
)
from services.visits.domain.activity_figures import Period
from services.visits.entrypoints import activity_schemas, feedback_schemas, schemas
from services.visits.entrypoints.api import READERS, visits_app
from services.visits.service_layer.activity_figures import activity_figures
from services.visits.service_layer.feedback import satisfaction_report
from services.visits.service_layer.reports import (
    home_care_month,
    key_targets,
    notice_of,
    year_summary,
)
from shared.clock import local_today
from shared.documents import plain
from shared.errors import RuleViolation
from shared.roles import SUMMARY_READERS
from shared.service_contacts import in_force
from shared.web.auth import require_community, requires, scoped
from shared.web.blueprint import Blueprint
from shared.web.files import (
    PDF,
    XLSX,
    CommunityReportArgs,
    also_as_file,
    attachment,
    table_file,
)
from shared.web.problems import documented

blueprint = Blueprint(
    "reports",
    __name__,
    url_prefix="/reports",
    description="The reports the office keeps: the key-target list of each community, and "
    "visits' part of the monthly home-care report",
)
KEY_TARGET_FILES = {"xlsx": key_targets_xlsx, "pdf": key_targets_pdf}


@blueprint.route("/key-targets")
@requires(*READERS)
@blueprint.arguments(schemas.KeyTargetArgs, location="query")
@blueprint.response(200, schemas.KeyTargetReportSchema)
@also_as_file(blueprint, XLSX, PDF)
@documented(blueprint, 403, 422)
def key_target_list(args: dict[str, Any]) -> Any:
    """The key-target list (一批重点服务对象) of a community, or of every community: each
    active elder with a reason to be served first, the reasons and the last visit, the never
    visited and the longest waiting first; `format=xlsx` for the workbook, `format=pdf` to
    print"""
    visits = visits_app()
    args = scoped(args)
    report = key_targets(visits, args.get("community"))
    if args["format"] in KEY_TARGET_FILES:
        content = KEY_TARGET_FILES[args["format"]](report, in_force(visits), visits.settings.zone)
        name = f"key-targets-{report.community or 'district'}-{report.made_on}"
        return attachment(content, args["format"], name)
    return plain(report)


@blueprint.route("/home-care/<month>")
@requires(*READERS, *SUMMARY_READERS)  # figures, no elder named: the officer binds them too
@blueprint.arguments(CommunityReportArgs, location="query")
@blueprint.response(200, schemas.HomeCareVisitReportSchema)
@also_as_file(blueprint, XLSX, PDF)
@documented(blueprint, 403, 422)
def home_care_report(args: dict[str, Any], month: str) -> Any:
    """Visits' part of the month's home-care report (居家养老月报表), per community and for the
    district: home-care visits and must-visits due in the month, made and overdue, and the
    services delivered by type; allowances serves the elders and vouchers part. `format=xlsx`
    or `pdf`; a community's staff see their community"""
    visits = visits_app()
    report = home_care_month(visits, month)
    community = scoped(args).get("community")
    if community:
        report = report.only(community)
    if args["format"] != "json":
        return table_file(
            home_care_table(report), in_force(visits), args["format"], f"home-care-visits-{month}"
        )
    return plain(report)


@blueprint.route("/year/<year>")
@requires(*READERS, *SUMMARY_READERS)
@blueprint.arguments(CommunityReportArgs, location="query")
@blueprint.response(200, schemas.VisitsYearSchema)
@also_as_file(blueprint, XLSX, PDF)
@documented(blueprint, 403, 422)
def year_report(args: dict[str, Any], year: str) -> Any:
    """Visits' figures for the year's work summary (年度工作总结), the district's or one
    community's: must-visits made, per trigger, and services delivered, by type, in
    person-times; the year's teams by kind with their members, person-times of learning and
    of activities, hours of volunteer service; `format=xlsx` or `pdf`"""
    visits = visits_app()
    community = scoped(args).get("community")
    summary = year_summary(visits, year, community)
    if args["format"] != "json":
        name = f"year-{year}-visits" + (f"-{community}" if community else "")
        return table_file(year_table(summary), in_force(visits), args["format"], name)
    return {
        **plain(summary),
        "must_visits_total": summary.must_visits_total,
        "services_total": summary.services_total,
    }


@blueprint.route("/activities")
@requires(*READERS, *SUMMARY_READERS)
@blueprint.arguments(activity_schemas.ActivityFiguresArgs, location="query")
@blueprint.response(200, activity_schemas.ActivityFiguresSchema)
@also_as_file(blueprint, XLSX)
@documented(blueprint, 403, 422)
def activities(args: dict[str, Any]) -> Any:
    """Learning, activities and teams in a period, per community and for the district: teams
    by kind and activity with their members; courses, enrolments and person-times by
    category; activities and their person-times; volunteer hours by service; venues by kind
    and area; posts held. `format=xlsx` for the workbook; a community's staff see theirs"""
    if args["last"] < args["first"]:
        raise RuleViolation("the period's last day is before its first", field="last")
    if args["format"] == "pdf":
        raise RuleViolation("these figures come as json or xlsx", field="format")
    args = scoped(args)
    period = Period(args["first"], args["last"])
    found = activity_figures(visits_app(), period, args.get("community"))
    if args["format"] == "xlsx":
        name = f"activities-{period.first}-{period.last}"
        return table_file(activities_table(found), in_force(visits_app()), "xlsx", name)
    return found


@blueprint.route("/satisfaction")
@requires(*READERS, *SUMMARY_READERS)
@blueprint.arguments(feedback_schemas.SatisfactionArgs, location="query")
@blueprint.response(200, feedback_schemas.SatisfactionReportSchema)
@also_as_file(blueprint, XLSX)
@documented(blueprint, 403, 422)
def satisfaction(args: dict[str, Any]) -> Any:
    """Satisfaction (满意度) of the ratings recorded in a period, in all and per community,
    worker and type of service, and the complaints received and how they were answered;
    `format=xlsx` for the workbook; a community's staff see theirs"""
    if args["last"] < args["first"]:
        raise RuleViolation("the period's last day is before its first", field="last")
    if args["format"] == "pdf":
        raise RuleViolation("these figures come as json or xlsx", field="format")
    args = scoped(args)
    report = satisfaction_report(visits_app(), args["first"], args["last"], args.get("community"))
    if args["format"] == "xlsx":
        name = f"satisfaction-{report.first}-{report.last}"
        return table_file(satisfaction_table(report), in_force(visits_app()), "xlsx", name)
    return report


class NoticeArgs(Schema):
    name = fields.String(
        load_default="",
        validate=validate.Length(max=100),
        metadata={"description": "The community's name to print (intake keeps the names)"},
    )


@blueprint.route("/public-notice/<community>")
@requires(*READERS, *SUMMARY_READERS)
@blueprint.arguments(NoticeArgs, location="query")
@blueprint.response(200, description="The notice, one A4 page to print")
@also_as_file(blueprint, PDF)
@documented(blueprint, 403)
def notice(args: dict[str, Any], community: str) -> Any:
    """The community's public notice (上墙公布), as PDF: its head and worker with their phones,
    the hotline, the service items, and its rules (each must-visit's deadline, a help request's
    by urgency, a complaint's), from the configuration as it stands"""
    require_community(community)
    visits = visits_app()
    made_on = local_today(visits.clock, visits.settings.zone).isoformat()
    printed = public_notice_pdf(
        notice_of(visits, community, args["name"]), in_force(visits), made_on
    )
    return attachment(printed, "pdf", f"public-notice-{community}-{made_on}")
