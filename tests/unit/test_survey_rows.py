"""Survey rows as clerks fill them in, read into registrations: no servers."""

import io
from datetime import date

import pytest
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from services.intake.adapters.spreadsheets import NumberCell, read_rows
from services.intake.domain.elder import Registration
from services.intake.domain.national_id import check_character
from services.intake.entrypoints.survey import registrations
from shared.errors import RuleViolation

FIRST17 = "33028119440307002"
EIGHTEEN = FIRST17 + check_character(FIRST17)


def row(national_id: str) -> dict[str, str]:
    return {
        "身份证号": national_id,
        "姓名": "王秀英",
        "性别": "女",
        "出生日期": "1944-03-07",
        "社区": "c01",
        "地址": "新华路12号",
    }


def only(rows):
    [(_, read)] = list(registrations(enumerate(rows, start=2)))
    return read


def xlsx(*cells) -> bytes:
    book = Workbook()
    book.active.append(["身份证号", "姓名"])
    book.active.append(list(cells))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_id_number_in_a_numeric_xlsx_cell_is_read_as_a_number():
    [(_, number)] = list(read_rows(xlsx(float(EIGHTEEN), "王秀英"), "survey.xlsx"))
    assert isinstance(number["身份证号"], NumberCell)
    assert number["身份证号"] != EIGHTEEN  # the float has lost the last digits
    [(_, text)] = list(read_rows(xlsx(EIGHTEEN, "王秀英"), "survey.xlsx"))
    assert text["身份证号"] == EIGHTEEN and not isinstance(text["身份证号"], NumberCell)


def test_an_id_number_stored_as_a_number_is_refused_with_what_to_do():
    reason = only([row(NumberCell(int(float(EIGHTEEN))))])
    assert isinstance(reason, str)
    assert "stored as a number" in reason and "Format the ID number column as text" in reason
    # even a corruption that happens to pass the check character: the row cannot be trusted
    lucky = next(
        f"{FIRST17[:15]}{n:02d}" + check_character(f"{FIRST17[:15]}{n:02d}")
        for n in range(100)
        if check_character(f"{FIRST17[:15]}{n:02d}") == "0"
    )
    assert "stored as a number" in only([row(NumberCell(int(lucky)))])


def test_an_id_number_written_in_scientific_notation_is_refused_the_same_way():
    assert "stored as a number" in only([row("3.30281194403070E+17")])


def test_a_legacy_15_digit_number_in_a_survey_is_registered_under_its_18_characters():
    read = only([row(EIGHTEEN[:6] + EIGHTEEN[8:17])])
    assert isinstance(read, Registration)
    assert read.national_id == EIGHTEEN and read.birth_date == date(1944, 3, 7)


def test_a_workbook_that_opens_on_a_chart_is_refused_with_what_to_do():
    book = Workbook()
    rows = book.active
    rows.append(["身份证号", "姓名"])
    rows.append([EIGHTEEN, "王秀英"])
    chart = BarChart()
    chart.add_data(Reference(rows, min_col=1, min_row=1, max_row=2))
    book.create_chartsheet(index=0).add_chart(chart)
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(RuleViolation, match="opens on a chart"):
        list(read_rows(buffer.getvalue(), "survey.xlsx"))
