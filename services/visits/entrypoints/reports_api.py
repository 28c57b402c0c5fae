"""The reports the office keeps, as JSON, as a workbook and as a form to print."""

from typing import Any

from flask import Response
from flask_smorest import Blueprint

from services.visits.adapters.report_files import key_targets_pdf, key_targets_xlsx
from services.visits.entrypoints import schemas
from services.visits.entrypoints.api import READERS, visits_app
from services.visits.service_layer.reports import key_targets
from shared.documents import plain
from shared.web.auth import requires, scoped
from shared.web.files import PDF, XLSX, also_as_file
from shared.web.problems import documented

blueprint = Blueprint(
    "reports",
    __name__,
    url_prefix="/reports",
    description="The reports the office keeps: the key-target list of each community",
)
FILES = {"xlsx": (key_targets_xlsx, XLSX), "pdf": (key_targets_pdf, PDF)}


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
    if args["format"] in FILES:
        render, mimetype = FILES[args["format"]]
        name = f"key-targets-{report.community or 'district'}-{report.made_on}"
        return Response(
            render(report, visits.settings),
            mimetype=mimetype,
            headers={"Content-Disposition": f"attachment; filename={name}.{args['format']}"},
        )
    return plain(report)
