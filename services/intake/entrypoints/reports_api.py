"""The reports the office files, from intake's register: its figures for the year's summary."""

from typing import Any

from services.intake.adapters.report_files import year_table
from services.intake.entrypoints import schemas
from services.intake.entrypoints.api import intake
from services.intake.service_layer.reports import year_summary
from shared.documents import plain
from shared.roles import SUMMARY_READERS
from shared.service_contacts import in_force
from shared.web.auth import requires, scoped
from shared.web.blueprint import Blueprint
from shared.web.files import PDF, XLSX, CommunityReportArgs, also_as_file, table_file
from shared.web.problems import documented

blueprint = Blueprint(
    "reports",
    __name__,
    url_prefix="/reports",
    description="The register's figures for the year's work summary",
)


@blueprint.route("/year/<year>")
@requires(*SUMMARY_READERS, "operator")
@blueprint.arguments(CommunityReportArgs, location="query")
@blueprint.response(200, schemas.IntakeYearSchema)
@also_as_file(blueprint, XLSX, PDF)
@documented(blueprint, 403, 422)
def year_report(args: dict[str, Any], year: str) -> Any:
    """Intake's figures for the year's work summary (年度工作总结), the district's or one
    community's: the register by age band and household type, the key targets, the elder
    cards held and issued in the year by category, and the volunteers; `format=xlsx` or
    `pdf`"""
    community = scoped(args).get("community")
    summary = year_summary(intake(), year, community)
    if args["format"] != "json":
        district = intake().district.get()
        cards = {c.code: c.name for c in district.card_categories}
        named = district.community(community).name if community else None
        table = year_table(summary, cards, named)
        name = f"year-{year}-register" + (f"-{community}" if community else "")
        return table_file(table, in_force(intake()), args["format"], name)
    return plain(summary)
