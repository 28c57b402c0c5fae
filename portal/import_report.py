"""A survey import's row report, as the clerk keeps it: intake answers it once, the page
carries it back signed (the workbench keeps nothing between requests), and it is written out as
a workbook of the rejected rows, to put right and import again."""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from shared.cells import safe_row

SALT = "survey-import-report"


def sealed(report: dict[str, Any], secret: str) -> str:
    """The report, signed (and compressed where that is shorter), for a hidden field."""
    return URLSafeSerializer(secret, salt=SALT).dumps(report)


def unsealed(token: str, secret: str) -> dict[str, Any] | None:
    """The report the workbench signed, or None if the token is not one."""
    try:
        report = URLSafeSerializer(secret, salt=SALT).loads(token)
    except BadSignature:
        return None
    return report if isinstance(report, dict) else None


def report_workbook(
    counts: Sequence[tuple[str, int]],
    rejected: Sequence[tuple[int, str, Sequence[str]]],
    headings: tuple[str, str, Sequence[str]],
    titles: tuple[str, str],
) -> bytes:
    """Two sheets: the counts, and each rejected row (its number, the reason, then its cells
    under the survey's own headers, so that it can be put right and imported again)."""
    book = Workbook()
    summary: Worksheet = book.worksheets[0]
    summary.title = titles[0]
    for label, number in counts:
        summary.append(safe_row([label, number]))
    summary.column_dimensions["A"].width = 40
    rows = book.create_sheet(titles[1])
    row_heading, reason_heading, columns = headings
    rows.append(safe_row([row_heading, reason_heading, *columns]))
    for number, reason, cells in rejected:
        rows.append(safe_row([number, reason, *cells]))
    rows.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rejected_cells(
    rows: Iterable[tuple[int, dict[str, str]]], rejected: Iterable[int]
) -> tuple[list[str], dict[str, list[str]]]:
    """The survey's headers, and the cells of each rejected row under them (by row number)."""
    wanted = set(rejected)
    headers: list[str] = []
    cells: dict[str, list[str]] = {}
    for number, row in rows:
        headers = headers or list(row)
        if number in wanted:
            cells[str(number)] = [str(row.get(h, "")) for h in headers]
    return headers, cells
