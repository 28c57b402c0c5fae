"""Survey imports and the district's statistics."""

from typing import Any

from flask import Response, request

from services.intake.adapters.spreadsheets import read_rows, statistics_workbook
from services.intake.entrypoints import schemas
from services.intake.entrypoints.api import intake
from services.intake.entrypoints.survey import registrations
from services.intake.service_layer import queries
from services.intake.service_layer.registration import register_many
from shared.errors import RuleViolation
from shared.web.access_log import note_access
from shared.web.auth import actor, require_community, requires, scoped
from shared.web.blueprint import Blueprint
from shared.web.files import XLSX, also_as_file

blueprint = Blueprint("surveys", __name__, description="Survey imports and statistics")
MAX_SURVEY_BYTES = 64 * 1024 * 1024


@blueprint.route("/imports", methods=["POST"])
@requires("intake_clerk")
@blueprint.response(200, schemas.ImportReportSchema)
@blueprint.alt_response(422, description="No file, or a file that is not CSV or XLSX")
def import_survey() -> Any:
    """Import a survey file (CSV or XLSX, English or Chinese headers)

    Send it as multipart form field `file`, or as the body with Content-Type `text/csv` or
    the XLSX type. Every row is imported, left unchanged (ID number already registered), or
    rejected with its reason; importing the same file again changes nothing.
    """
    require_community(None)  # a survey spans communities: district staff only
    content, filename = _uploaded()
    rows = registrations(read_rows(content, filename))
    return register_many(intake(), rows, actor())


@blueprint.route("/statistics")
@requires("intake_clerk", "community_head", "allowance_officer", "operator")
@blueprint.arguments(schemas.StatisticsArgs, location="query")
@blueprint.response(200, schemas.StatisticsSchema)
@also_as_file(blueprint, XLSX)
def statistics(args: dict[str, Any]) -> Any:
    """Active elders per community and district: age bands, households, key targets, cards

    `as_of` gives the figures as the register stood then, by the communities of then (before a
    merge or split, or after it). `format=xlsx` returns the same tables as a workbook.
    """
    scoped(args)
    result = queries.statistics(intake(), args.get("community"), args.get("as_of"))
    if args["format"] == "xlsx":
        note_access("export")
        return Response(
            statistics_workbook(result),
            mimetype=XLSX,
            headers={"Content-Disposition": "attachment; filename=statistics.xlsx"},
        )
    return result


def _uploaded() -> tuple[bytes, str]:
    request.max_content_length = MAX_SURVEY_BYTES
    if "file" in request.files:
        upload = request.files["file"]
        return upload.read(), upload.filename or "upload.csv"
    if request.mimetype == XLSX:
        return request.get_data(), "upload.xlsx"
    if request.mimetype in ("text/csv", "text/plain"):
        return request.get_data(), "upload.csv"
    raise RuleViolation("send the survey as multipart field 'file', or as a text/csv or XLSX body")
