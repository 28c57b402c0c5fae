"""Reading survey files (CSV or XLSX) and writing statistics workbooks."""

import csv
import io
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from openpyxl import Workbook, load_workbook
from openpyxl.chartsheet import Chartsheet
from openpyxl.utils.exceptions import InvalidFileException

from services.intake.domain.age_bands import BAND_NAMES
from services.intake.domain.statistics import FACT_VALUES, HOME_CARE
from shared.cells import as_typed, safe_row
from shared.errors import RuleViolation
from shared.vocabulary import HOUSEHOLD_TYPES


class NumberCell(str):
    """The text of a cell the workbook stores as a number. A number keeps only 15 significant
    digits, so what an identifier needs may already be lost: readers can tell and refuse."""


def read_rows(content: bytes, filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as a spreadsheet shows it, {header: text}) for every non-empty row; the
    text of a numeric XLSX cell is a NumberCell, and text the product quoted when it wrote it
    (`shared.cells.safe_cell`) comes back as it was typed."""
    if filename.lower().endswith(".xlsx"):
        yield from _xlsx_rows(content)
    else:
        text = content.decode("utf-8-sig")
        for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
            if any((value or "").strip() for value in row.values()):
                yield number, {k.strip(): as_typed((v or "").strip()) for k, v in row.items() if k}


def count_rows(content: bytes, filename: str) -> int:
    return sum(1 for _ in read_rows(content, filename))


# What openpyxl raises on a file that is no workbook, a damaged one, or one whose XML declares
# entities (an expansion bomb, an external file): defusedxml refuses those before expanding
# them, and openpyxl passes that on as a ValueError.
UNREADABLE = (zipfile.BadZipFile, InvalidFileException, ParseError, ValueError, KeyError)


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        yield from _workbook_rows(content)
    except UNREADABLE as error:
        why = (
            "its XML declares entities, which no spreadsheet program writes"
            if isinstance(error.__cause__ or error, DefusedXmlException)
            else "it is not a workbook, or it is damaged"
        )
        raise RuleViolation(
            f"the file cannot be read as XLSX: {why}; save it again as .xlsx from a "
            "spreadsheet program, or as CSV",
            field="file",
        ) from error


def _workbook_rows(content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
    if sheet is None or isinstance(sheet, Chartsheet):
        raise RuleViolation(
            "the workbook opens on a chart, not on the rows: save it again with the sheet of "
            "rows shown",
            field="file",
        )
    rows = sheet.iter_rows(values_only=True)
    headers = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    for number, values in enumerate(rows, start=2):
        cells = {h: _text(v) for h, v in zip(headers, values, strict=False) if h}
        if any(cells.values()):
            yield number, cells


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and callable(value.date):  # a datetime cell: keep the date
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return NumberCell(int(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return NumberCell(value)
    return as_typed(str(value).strip())


HOUSEHOLD_COUNTS = ("households", "persons")
HOUSEHOLD_FIGURES = (*HOUSEHOLD_TYPES, HOME_CARE)  # the types, then the home-care households


def statistics_workbook(statistics: dict[str, Any]) -> bytes:
    """The statistics as the tables a street office reports, one sheet per table."""
    book = Workbook()
    tables = [
        ("Age bands", list(BAND_NAMES), lambda t: [t["age_bands"][b] for b in BAND_NAMES]),
        (
            "Households",
            list(HOUSEHOLD_TYPES),
            lambda t: [t["household_types"][h] for h in HOUSEHOLD_TYPES],
        ),
        (
            "Households (户)",
            [f"{h} {what}" for h in HOUSEHOLD_FIGURES for what in HOUSEHOLD_COUNTS],
            lambda t: [
                t["households"][h][what] for h in HOUSEHOLD_FIGURES for what in HOUSEHOLD_COUNTS
            ],
        ),
        (
            "Facts",
            [f"{fact} {value}" for fact, values in FACT_VALUES.items() for value in values],
            lambda t: [t["facts"][fact][v] for fact, values in FACT_VALUES.items() for v in values],
        ),
        (
            "Key targets",
            ["key targets", "low income", "home care"],
            lambda t: [t["key_targets"], t["low_income"], t["home_care"]],
        ),
    ]
    categories = sorted(statistics["district"]["cards_issued"])
    tables.append(
        ("Cards", categories, lambda t: [t["cards_issued"].get(c, 0) for c in categories])
    )
    book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
    for title, columns, values in tables:
        sheet = book.create_sheet(title)
        sheet.append(["community", "elders", *columns])
        for tally in statistics["communities"]:
            sheet.append(safe_row([tally["community"], tally["elders"], *values(tally)]))
        district = statistics["district"]
        sheet.append(["district total", district["elders"], *values(district)])
    sheet = book.create_sheet("About")
    sheet.append(["as of", statistics["as_of"].isoformat()])
    sheet.append(["counted", "active elders in the register"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
