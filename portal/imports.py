"""Intake clerk: import a survey (摸底调查) from a spreadsheet, and its row report.

Intake's `POST /imports` registers the whole file before it answers, so the page shows that it
is working while the request runs; its report (rows registered, already registered, rejected
and why) is shown in the interface language and can be downloaded as a workbook of the rejected
rows, each with its reason and its own cells, to put right and import again.
"""

from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge

from portal.apis import ApiProblem, call
from portal.auth import requires
from portal.elders import CLERK, LABELS
from portal.forms import FormState
from portal.import_report import rejected_cells, report_workbook, sealed, unsealed
from portal.messages import row_reason
from services.intake.adapters.spreadsheets import read_rows
from shared.web.files import XLSX

blueprint = Blueprint("imports", __name__, url_prefix="/surveys")
MAX_SURVEY_BYTES = 32 * 1024 * 1024  # a district's ~19,000 rows are a few MiB
LARGE_BODIES = ("imports.survey_send", "imports.report_file")
IMPORT_SECONDS = 600.0
SHOWN_ROWS = 200  # on the page; the workbook holds every rejected row
SURVEY_TYPES = (".csv", ".xlsx")
COUNTS = (
    ("rows", _l("Rows read")),
    ("imported", _l("Registered")),
    ("unchanged", _l("Already registered, left as they were")),
    ("possible_duplicates", _l("Registered, but perhaps the same person as another record")),
    ("rejected", _l("Rejected")),
)


def allow_large_surveys() -> None:
    """Run before the CSRF check, which reads the body: the survey's routes take larger ones."""
    if request.endpoint in LARGE_BODIES:
        request.max_content_length = MAX_SURVEY_BYTES


def survey_form() -> FormState:
    return FormState(fields=("file",), labels={"file": _l("the survey file")})


def counts(report: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(key, label, number) of each count of the report, in the order the page shows them."""
    number = {**report, "rejected": len(report.get("rejected", []))}
    return [(key, str(label), int(number.get(key, 0))) for key, label in COUNTS]


def rejected_rows(report: dict[str, Any]) -> list[tuple[int, str, list[str]]]:
    """Each rejected row's number, its reason in the interface language, and its cells."""
    cells = report.get("cells", {})
    return [
        (r["row"], row_reason(r["reason"], LABELS), cells.get(str(r["row"]), []))
        for r in report.get("rejected", [])
    ]


def with_rejected_cells(report: dict[str, Any], content: bytes, filename: str) -> dict[str, Any]:
    """The report, and the survey's own cells of each row it rejects."""
    if not report.get("rejected"):
        return report
    numbers = [r["row"] for r in report["rejected"]]
    columns, cells = rejected_cells(read_rows(content, filename), numbers)
    return {**report, "columns": columns, "cells": cells}


def page(form: FormState, report: dict[str, Any] | None = None, status: int = 200) -> Any:
    shown = None
    if report is not None:
        rejected = rejected_rows(report)
        shown = {
            "counts": counts(report),
            "rejected": rejected[:SHOWN_ROWS],
            "more": max(0, len(rejected) - SHOWN_ROWS),
            "sealed": sealed(report, current_app.config["SECRET_KEY"]),
            "filename": report.get("filename", ""),
        }
    return render_template("imports/survey.html", form=form, report=shown), status


@blueprint.get("/import")
@requires(CLERK)
def survey() -> ResponseReturnValue:
    return page(survey_form())


@blueprint.post("/import")
@requires(CLERK)
def survey_send() -> ResponseReturnValue:
    form = survey_form()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        form.add_error("file", _("Choose the survey file: a CSV or XLSX file."))
        return page(form, status=422)
    if not upload.filename.lower().endswith(SURVEY_TYPES):
        form.add_error("file", _("The survey file must be a CSV or XLSX file."))
        return page(form, status=422)
    content = upload.read()
    try:
        report = call(
            "intake",
            "POST",
            "/imports",
            files={"file": (upload.filename, content)},
            timeout=IMPORT_SECONDS,
        )
    except ApiProblem as problem:
        problem.fields = problem.fields or {"file": [problem.detail]}
        form.add_problem(problem)
        return page(form, status=422)
    report = with_rejected_cells(report, content, upload.filename)
    return page(form, {**report, "filename": upload.filename})


@blueprint.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    form = survey_form()
    form.add_error(
        "file",
        _(
            "The file is larger than %(size)d MB: split the survey into smaller files and "
            "import each.",
            size=MAX_SURVEY_BYTES // (1024 * 1024),
        ),
    )
    return page(form, status=413)


@blueprint.post("/import/report.xlsx")
@requires(CLERK)
def report_file() -> ResponseReturnValue:
    """The report the page shows, as a workbook: the page sends it back signed."""
    report = unsealed(request.form.get("report", ""), current_app.config["SECRET_KEY"])
    if report is None:
        abort(400)
    workbook = report_workbook(
        [(label, number) for _key, label, number in counts(report)],
        rejected_rows(report),
        headings=(_("Row"), _("Reason"), report.get("columns", [])),
        titles=(_("Summary"), _("Rejected rows")),
    )
    return Response(
        workbook,
        mimetype=XLSX,
        headers={"Content-Disposition": "attachment; filename=survey-import-report.xlsx"},
    )
