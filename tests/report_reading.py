"""The office's files read back as a person would read them: a form's text, a sheet's rows."""

import io

from openpyxl import load_workbook
from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    """The form's text, without the breaks of its narrow columns (a line may wrap anywhere)."""
    pages = PdfReader(io.BytesIO(data)).pages
    return "".join("".join(page.extract_text() for page in pages).split())


def workbook_rows(data: bytes, sheet: str | None = None) -> list[list]:
    """The rows of the workbook's sheet named `sheet`, or of its first."""
    book = load_workbook(io.BytesIO(data))
    found = book[sheet] if sheet else book.active
    return [list(row) for row in found.iter_rows(values_only=True)]
