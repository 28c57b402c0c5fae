"""A report that is one table (a heading row, a row per community, the total last) as the
office files it: a workbook, and a form to print, the same for every service. Amounts in yuan
are `Decimal`s: numbers with two decimals in the workbook, printed with two decimals."""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from shared.cells import safe_row
from shared.config import Settings
from shared.printing import footer_rows, printed


@dataclass(frozen=True)
class Table:
    title: str  # also the sheet's name
    meta: Sequence[tuple[str, str]]  # (label, value) lines above the table
    headings: Sequence[str]
    rows: Sequence[Sequence[object]]  # the total last
    notes: Sequence[str] = ()


def workbook(table: Table, settings: Settings) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.title[:31])
    sheet.append(safe_row([table.title]))
    for label, value in (*table.meta, *footer_rows(settings)):
        sheet.append(safe_row([label, value]))
    sheet.append([])
    sheet.append(list(table.headings))
    for row in table.rows:
        cells: list[object] = []
        for value in safe_row(row):
            if isinstance(value, Decimal):
                cell = WriteOnlyCell(sheet, value=float(value))  # repr gives back 2 decimals
                cell.number_format = "0.00"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    for note in table.notes:
        sheet.append([note])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def form(table: Table, settings: Settings) -> bytes:
    """The table as a form to print (A4, landscape)."""
    rows = [[f"{v:.2f}" if isinstance(v, Decimal) else v for v in row] for row in table.rows]
    return printed(
        "shared",
        "printing/table.html",
        settings,
        title=table.title,
        meta=table.meta,
        headings=table.headings,
        rows=rows,
        notes=table.notes,
        total_last=True,
    )
