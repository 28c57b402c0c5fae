"""Cells of the spreadsheets the product writes (CSV and XLSX), safe to open in Excel or WPS.

A text cell that begins like a formula (=, +, -, @, a tab or a carriage return, or the
full-width ＝ ＋ － ＠ that WPS also reads as formulas) would run as one when the file is opened:
a name such as =HYPERLINK("http://x","click") becomes a live link. Such text is written with a
single quote in front (OWASP's advice on CSV injection), so that it is shown as the text it is.
Only text is changed: numbers, amounts included (negative ones too), stay numbers, which is why
every amount is written as a number, never as text. Control characters, which an XLSX file
cannot hold (the whole workbook would fail), are left out of text.
"""

from collections.abc import Iterable

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def safe_cell(value: object) -> object:
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XML cannot hold
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def safe_row(row: Iterable[object]) -> list[object]:
    """A row to write, each text cell safe to open (see the module's description)."""
    return [safe_cell(value) for value in row]


def as_typed(text: str) -> str:
    """Text read back from a file the product wrote (a survey's rejected rows, put right and
    imported again): the quote `safe_cell` put in front taken off, so that the value is what
    was first typed (a phone such as +8613812345678 stays a phone)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
