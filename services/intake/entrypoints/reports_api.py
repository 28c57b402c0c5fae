"""The reports the office files, from intake's register: its figures for the year's summary."""

from typing import Any

from flask_smorest import Blueprint

from services.intake.adapters.report_files import year_table
from services.intake.entrypoints import schemas
from services.intake.entrypoints.api import intake
from services.intake.service_layer.reports import year_summary
from shared.documents import plain
from shared.roles import SUMMARY_READERS
from shared.web.auth import requires
from shared.web.files import PDF, XLSX, ReportFormatArgs, also_as_file, table_file
from shared.web.problems import documented

blueprint = Blueprint(
    "reports",
    __name__,
    url_prefix="/reports",
    description="The register's figures for the year's work summary",
)


@blueprint.route("/year/<year>")
@requires(*SUMMARY_READERS, "operator")
@blueprint.arguments(ReportFormatArgs, location="query")
@blueprint.response(200, schemas.IntakeYearSchema)
@also_as_file(blueprint, XLSX, PDF)
@documented(blueprint, 422)
def year_report(args: dict[str, Any], year: str) -> Any:
    """Intake's figures for the year's work summary (年度工作总结): the register by age band
    and household type, the key targets, the elder cards held and issued in the year by
    category, and the volunteers; `format=xlsx` or `pdf`"""
    summary = year_summary(intake(), year)
    if args["format"] != "json":
        names = {c.code: c.name for c in intake().district.get().card_categories}
        table = year_table(summary, names)
        return table_file(table, intake().settings, args["format"], f"year-{year}-register")
    return plain(summary)
