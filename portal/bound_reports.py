"""The office's reports whose figures several services own, handed out as the one file the office
files: each part made by the service that owns its figures, then bound, its pages after the
last part's (a form to print, PDF) or its sheets beside them (a workbook, XLSX)."""

import io
from collections.abc import Sequence

from flask import Response
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader, PdfWriter

from portal.apis import Read, files_of
from shared.cells import safe_cell
from shared.web.files import attachment

FORMATS = ("pdf", "xlsx")


def bound_report(parts: Sequence[Read], file_format: str, name: str) -> Response:
    """The parts, each asked for in `file_format` at once, bound in their order and saved as
    `<name>.<format>`; a part its service refuses is the whole report's problem."""
    asked = [Read(p.service, p.path, {**(p.params or {}), "format": file_format}) for p in parts]
    files = files_of(asked)
    content = bound_pdf(files) if file_format == "pdf" else bound_workbook(files)
    answer = attachment(content, file_format, name)
    answer.headers["Cache-Control"] = "no-store"
    return answer


def bound_home_care_report(month: str, file_format: str, params: dict[str, str]) -> Response:
    """The month's home-care report (居家养老月报表) whole: the households enrolled and the
    vouchers (allowances' part), then the visits and the services (visits' part)."""
    path = f"/reports/home-care/{month}"
    parts = [Read("allowances", path, params), Read("visits", path, params)]
    return bound_report(parts, file_format, f"home-care-report-{month}")


def bound_pdf(parts: Sequence[bytes]) -> bytes:
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def bound_workbook(parts: Sequence[bytes]) -> bytes:
    """Every sheet of every part, in order, with its values and their number formats (amounts
    in yuan keep their two decimals)."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for part in parts:
        for sheet in load_workbook(io.BytesIO(part)).worksheets:
            copy = book.create_sheet(sheet.title)
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        kept = copy.cell(cell.row, cell.column, safe_cell(cell.value))
                        kept.number_format = cell.number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
