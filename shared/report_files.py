"""A report that is one table (a heading row, a row per community, the total last) as the
office files it: a workbook, and a form to print, the same for every service. Amounts in yuan
are `Decimal`s: numbers with two decimals in the workbook, printed with two decimals."""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from shared.cells import safe_row
from shared.printing import printed
from shared.service_contacts import ServiceContacts

DISTRICT_TOTAL = "全街道合计"  # the name of a report's last row, the district's total


def row_name(community: str) -> str:
    """A row's name: its community, or, for the row of no community, the district's total."""
    return community or DISTRICT_TOTAL


def append_row(sheet: WriteOnlyWorksheet, row: Sequence[object]) -> None:
    """A row of a workbook: each text cell safe, each yuan amount (a `Decimal`) a number
    shown with two decimals, as money is read."""
    cells: list[object] = []
    for value in safe_row(row):
        if isinstance(value, Decimal):
            cell = WriteOnlyCell(sheet, value=float(value))  # repr gives back the 2 decimals
            cell.number_format = "0.00"
            cells.append(cell)
        else:
            cells.append(value)
    sheet.append(cells)


def shown(row: Sequence[object]) -> list[object]:
    """A row as a form prints it: each yuan amount with two decimals."""
    return [f"{value:.2f}" if isinstance(value, Decimal) else value for value in row]


def community_line(community: str | None, name: str | None = None) -> list[tuple[str, str]]:
    """The line above a table that says whose figures they are, when they are one community's
    (by its name where the service knows it, else its code); none for the district's."""
    return [("社区", name or community)] if community else []


@dataclass(frozen=True)
class Table:
    title: str  # also the sheet's name
    meta: Sequence[tuple[str, str]]  # (label, value) lines above the table
    headings: Sequence[str]
    rows: Sequence[Sequence[object]]  # the total last
    notes: Sequence[str] = ()


def workbook(table: Table, contacts: ServiceContacts) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.title[:31])
    sheet.append(safe_row([table.title]))
    for label, value in (*table.meta, *contacts.footer_rows()):
        sheet.append(safe_row([label, value]))
    sheet.append([])
    sheet.append(list(table.headings))
    for row in table.rows:
        append_row(sheet, row)
    for note in table.notes:
        sheet.append([note])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def form(table: Table, contacts: ServiceContacts) -> bytes:
    """The table as a form to print (A4, landscape)."""
    rows = [shown(row) for row in table.rows]
    return printed(
        "shared",
        "printing/table.html",
        contacts,
        title=table.title,
        meta=table.meta,
        headings=table.headings,
        rows=rows,
        notes=table.notes,
        total_last=True,
    )
