"""The reports the office files, as JSON and as the workbook it hands in."""

from typing import Any

from services.allowances.adapters.report_files import (
    high_age_report_pdf,
    high_age_report_xlsx,
    home_care_table,
    year_table,
)
from services.allowances.domain.monthly_report import CommunityFigures, HighAgeMonthlyReport
from services.allowances.entrypoints import schemas
from services.allowances.entrypoints.api import READERS, allowances
from services.allowances.service_layer.reports import (
    high_age_monthly,
    home_care_vouchers,
    year_summary,
)
from shared.documents import plain
from shared.months import check_month
from shared.roles import SUMMARY_READERS
from shared.service_contacts import in_force
from shared.web.auth import requires, scoped
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
    description="The reports the office files: the monthly high-age allowance report, and "
    "allowances' part of the monthly home-care report",
)


@blueprint.route("/high-age/<month>")
@requires(*READERS)
@blueprint.arguments(CommunityReportArgs, location="query")
@blueprint.response(200, schemas.HighAgeReportSchema)
@also_as_file(blueprint, XLSX, PDF)
@documented(blueprint, 403, 404, 409, 422)
def high_age_report(args: dict[str, Any], month: str) -> Any:
    """The month's high-age allowance report (高龄津贴月报表), per community and for the
    district, from the month's roll; its totals agree with the payment file to the fen.
    `format=xlsx` for the workbook, `format=pdf` to print; a community's staff see their
    community"""
    report = high_age_monthly(allowances(), check_month(month))
    community = scoped(args).get("community")
    if community:
        report = report.only(community)
    if args["format"] in HIGH_AGE_FILES:
        content = HIGH_AGE_FILES[args["format"]](report, in_force(allowances()))
        return attachment(content, args["format"], f"high-age-report-{month}")
    return _answer(report)


def _answer(report: HighAgeMonthlyReport) -> dict[str, Any]:
    def row(figures: CommunityFigures) -> dict[str, Any]:
        return {
            **{name: getattr(figures, name) for name in ROW_FIELDS},
            "bands": [vars(band) for band in figures.bands],
            "stops": [{"cause": cause, "elders": n} for cause, n in figures.stops],
        }

    return {
        **{name: getattr(report, name) for name in REPORT_FIELDS},
        "communities": [row(c) for c in report.communities],
        "district": row(report.district),
    }


ROW_FIELDS = (
    "community",
    "newly_eligible",
    "payees",
    "stopped",
    "owed_fen",
    "in_file_fen",
    "withheld_fen",
    "to_recover_fen",
)
HIGH_AGE_FILES = {"xlsx": high_age_report_xlsx, "pdf": high_age_report_pdf}
REPORT_FIELDS = ("cycle_id", "month", "state", "due_on", "submitted_on", "late", "order_fixed")


@blueprint.route("/home-care/<month>")
@requires(*READERS)
@blueprint.arguments(CommunityReportArgs, location="query")
@blueprint.response(200, schemas.HomeCareVoucherReportSchema)
@also_as_file(blueprint, XLSX, PDF)
@documented(blueprint, 403, 404, 409, 422)
def home_care_report(args: dict[str, Any], month: str) -> Any:
    """Allowances' part of the month's home-care report (居家养老月报表), per community and for
    the district: the elders enrolled at the month's start and end, those who joined and left,
    and the service vouchers issued, redeemed and expired; visits serves the visits and
    services part. `format=xlsx` or `pdf`; a community's staff see their community"""
    report = home_care_vouchers(allowances(), check_month(month))
    community = scoped(args).get("community")
    if community:
        report = report.only(community)
    if args["format"] != "json":
        name = f"home-care-report-{month}"
        return table_file(home_care_table(report), in_force(allowances()), args["format"], name)
    return plain(report)


@blueprint.route("/year/<year>")
@requires(*READERS, *SUMMARY_READERS)
@blueprint.arguments(CommunityReportArgs, location="query")
@blueprint.response(200, schemas.AllowancesYearSchema)
@also_as_file(blueprint, XLSX, PDF)
@documented(blueprint, 403, 422)
def year_report(args: dict[str, Any], year: str) -> Any:
    """Allowances' figures for the year's work summary (年度工作总结), the district's or one
    community's: high-age allowances granted and paid in the year, and the elders aged 90 and
    over, with those who died in the year; `format=xlsx` or `pdf`"""
    community = scoped(args).get("community")
    summary = year_summary(allowances(), year, community)
    if args["format"] != "json":
        name = f"year-{year}-allowances" + (f"-{community}" if community else "")
        return table_file(year_table(summary), in_force(allowances()), args["format"], name)
    return plain(summary)
