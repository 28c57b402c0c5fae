"""Answers that are files: their media types, and their place in the OpenAPI description."""

from typing import Any

from flask import Response
from marshmallow import Schema, fields, validate
from werkzeug.utils import secure_filename

from shared.report_files import Table, form, workbook
from shared.service_contacts import ServiceContacts
from shared.web.blueprint import Blueprint

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BINARY = {"schema": {"type": "string", "format": "binary"}}


def also_as_file(blueprint: Blueprint, *media_types: str, status: int = 200) -> Any:
    """Document that the answer can also come as a file of these types (e.g. `format=xlsx`)."""
    content = {media_type: BINARY for media_type in media_types}
    return blueprint.doc(responses={status: {"content": content}})


PDF = "application/pdf"
MEDIA_TYPES = {"xlsx": XLSX, "pdf": PDF}


class ReportFormatArgs(Schema):
    format = fields.String(
        load_default="json",
        validate=validate.OneOf(("json", *MEDIA_TYPES)),
        metadata={"description": "json; xlsx for the workbook; pdf for the form to print"},
    )


class CommunityReportArgs(ReportFormatArgs):
    community = fields.String(
        metadata={
            "description": "one community's figures; the district's when absent (a "
            "community's staff get their community's)"
        }
    )


class YearSummarySchema(Schema):
    """What every service's figures for the year's work summary begin with."""

    year = fields.Integer()
    community = fields.String(
        allow_none=True, metadata={"description": "the community's code; null: the district"}
    )


def attachment(content: bytes, file_format: str, name: str) -> Response:
    """A file to save: its media type from its format (xlsx, pdf), saved as `<name>.<format>`;
    the name made safe for the header and for a file system, whatever a caller put into it (a
    community's code as it was asked for)."""
    disposition = f"attachment; filename={secure_filename(name) or 'report'}.{file_format}"
    return Response(
        content, mimetype=MEDIA_TYPES[file_format], headers={"Content-Disposition": disposition}
    )


def table_file(table: Table, contacts: ServiceContacts, file_format: str, name: str) -> Response:
    """A one-table report as the workbook (xlsx) or the form to print (pdf), the district's
    service contacts at its foot."""
    render = workbook if file_format == "xlsx" else form
    return attachment(render(table, contacts), file_format, name)
