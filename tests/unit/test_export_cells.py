"""Every cell the product writes to a CSV or XLSX file is safe to open: text that begins like
a formula gets a quote in front; numbers (negative amounts too) and other text stay exact."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from portal.import_report import report_workbook
from services.allowances.adapters.payment_files import payment_csv
from services.allowances.domain.payment_orders import Payment, PaymentOrder
from services.intake.adapters.spreadsheets import read_rows
from shared.cells import safe_cell, safe_row

FORMULA_LIKE = [
    '=HYPERLINK("http://x","click")',
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
]


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_text_that_begins_like_a_formula_gets_a_quote_in_front(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [
        "王秀英",
        "c01",
        "2026-09-01",
        "high_age 2026-09",
        "1+1=2",
        "",
        None,
        0,
        -5,
        -0.05,
        Decimal("-0.05"),
        6222021234567890123,
    ],
)
def test_other_values_stay_exact(value):
    assert safe_cell(value) == value and type(safe_cell(value)) is type(value)


def test_negative_amounts_in_the_payment_csv_stay_numbers():
    refund = Payment("r-1", "e-1", "－王", "c01", -5, "bank_account", "6222", "=x", "银行")
    paid = Payment("r-2", "e-2", "李", "c01", 12_345, "bank_account", "6223", "李", "银行")
    order = PaymentOrder("high_age:2026-09", "high_age 2026-09", (refund, paid), ())
    rows = list(csv.DictReader(io.StringIO(payment_csv(order).decode("utf-8-sig"))))
    assert [(r["amount_fen"], r["amount_yuan"]) for r in rows] == [
        ("-5", "-0.05"),
        ("12345", "123.45"),
        ("12340", "123.40"),
    ]
    assert (rows[0]["name"], rows[0]["account_holder"]) == ("'－王", "'=x")


def test_the_rejected_rows_workbook_shows_a_survey_cell_as_text():
    content = report_workbook(
        [("rows", 1)],
        [(2, "birth_date: not a date", ['=HYPERLINK("http://x","y")', "＝1+1", "-"])],
        headings=("row", "reason", ["name", "address", "=header"]),
        titles=("summary", "rejected"),
    )
    sheet = load_workbook(io.BytesIO(content))["rejected"]
    assert list(sheet.values) == [
        ("row", "reason", "name", "address", "'=header"),
        (2, "birth_date: not a date", '\'=HYPERLINK("http://x","y")', "'＝1+1", "'-"),
    ]
    assert {cell.data_type for row in sheet.iter_rows() for cell in row} == {"s", "n"}


def test_rejected_rows_put_right_import_again_as_they_were_typed():
    survey = ["name", "phone", "address"]
    typed = ["＝1+1", "+8613812345678", "-1号楼"]
    content = report_workbook(
        [("rows", 1)],
        [(2, "birth_date: not a date", typed)],
        headings=("row", "reason", survey),
        titles=("summary", "rejected"),
    )
    book = load_workbook(io.BytesIO(content))
    del book["summary"]  # the import reads the first sheet: the rejected rows
    again = io.BytesIO()
    book.save(again)
    [(_number, row)] = list(read_rows(again.getvalue(), "rejected.xlsx"))
    assert [row[column] for column in survey] == typed
    csv_text = "name,phone\n'＝1+1,'+8613812345678\n'王,'0571\n"
    rows = [row for _number, row in read_rows(csv_text.encode(), "survey.csv")]
    assert rows == [{"name": "＝1+1", "phone": "+8613812345678"}, {"name": "'王", "phone": "'0571"}]


def test_control_characters_are_left_out_so_the_workbook_can_be_written():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("s")
    sheet.append(safe_row(["c01\x1b\x14社区", "=1+1\x05", 5]))
    buffer = io.BytesIO()
    book.save(buffer)
    [row] = load_workbook(buffer).active.iter_rows(values_only=True)
    assert row == ("c01社区", "'=1+1", 5)
