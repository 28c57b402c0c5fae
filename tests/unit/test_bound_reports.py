"""A report whose parts several services make, bound into one file: every page of every part
in order (PDF), every sheet of every part beside the others (XLSX), values and money formats
kept, text that looks like a formula still text."""

import io
from decimal import Decimal

from openpyxl import load_workbook
from pypdf import PdfReader, PdfWriter

from portal.bound_reports import bound_pdf, bound_workbook
from shared.report_files import Table, workbook
from shared.service_contacts import ServiceContacts

CONTACTS = ServiceContacts(hotline="12349")


def pdf_of(pages: int, width: float) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=width, height=100)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_every_page_of_every_part_in_order():
    bound = PdfReader(io.BytesIO(bound_pdf([pdf_of(1, 100), pdf_of(2, 200), pdf_of(1, 300)])))
    assert [float(page.mediabox.width) for page in bound.pages] == [100, 200, 200, 300]


def test_every_sheet_of_every_part_with_its_values_and_formats():
    vouchers = Table("对象与服务券", [("报送截止日期", "2026-11-25")], ["社区", "金额（元）"],
                     [["c01", Decimal("120.00")], ["全街道合计", Decimal("120.50")]])  # fmt: skip
    visits = Table("走访与服务", [], ["社区", "已访"], [["=HYPERLINK(1)", 3]])
    book = load_workbook(
        io.BytesIO(bound_workbook([workbook(vouchers, CONTACTS), workbook(visits, CONTACTS)]))
    )
    first, second = book.worksheets
    assert (first.title, second.title) == ("对象与服务券", "走访与服务")
    rows = [list(row) for row in first.iter_rows(values_only=True)]
    assert ["服务热线", "12349"] in rows and ["全街道合计", 120.5] in rows
    total = next(row for row in first.iter_rows() if row[0].value == "全街道合计")
    assert total[1].number_format == "0.00"
    [name] = [row[0] for row in second.iter_rows() if "HYPER" in str(row[0].value)]
    assert (name.value, name.data_type) == ("'=HYPERLINK(1)", "s")  # text, never a formula
