"""A survey workbook is untrusted XML: one that declares entities (an expansion bomb, an
external file) is refused with 422 before anything is expanded, and intake carries on."""

import io
import time
import zipfile
from datetime import date

import openpyxl
import pytest
from openpyxl import Workbook
from test_intake_api import CLERK, client, intake, national_id  # noqa: F401  (fixtures)

LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)
EXTERNAL = '<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


def survey_with(doctype: str, entity: str) -> bytes:
    """A survey whose worksheet declares `doctype` and show `entity` as the elder's name."""
    book = Workbook()
    book.active.append(["national_id", "name", "sex", "birth_date", "community", "address"])
    born = date(1939, 9, 9)
    book.active.append([national_id(born, 5), "赵六", "male", born.isoformat(), "c01", "六号"])
    plain = io.BytesIO()
    book.save(plain)
    crafted = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(crafted, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = (doctype + content.decode().replace("赵六", entity)).encode()
            target.writestr(item, content)
    return crafted.getvalue()


@pytest.mark.parametrize(
    "payload", [(LAUGHS, "&lol9;"), (EXTERNAL, "&secret;")], ids=["billion-laughs", "external"]
)
def test_a_workbook_declaring_xml_entities_is_refused_quickly(client, intake, payload):  # noqa: F811
    started = time.monotonic()
    answer = client.post(
        "/imports",
        data={"file": (io.BytesIO(survey_with(*payload)), "survey.xlsx")},
        headers=CLERK,
        content_type="multipart/form-data",
    )
    assert time.monotonic() - started < 5
    assert answer.status_code == 422, answer.data[:300]
    assert answer.mimetype == "application/problem+json"
    assert "its XML declares entities" in answer.json["detail"]  # refused by defusedxml
    assert intake.db["elders"].count_documents({}) == 0
    assert client.get("/readyz").status_code == 200
    plain = survey_with("", "赵六")
    again = client.post(
        "/imports",
        data={"file": (io.BytesIO(plain), "survey.xlsx")},
        headers=CLERK,
        content_type="multipart/form-data",
    )
    assert again.json["imported"] == 1, again.json


def test_openpyxl_reads_workbooks_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_a_file_that_is_no_workbook_is_refused(client):  # noqa: F811
    answer = client.post(
        "/imports",
        data={"file": (io.BytesIO(b"PK\x03\x04 not really a zip"), "survey.xlsx")},
        headers=CLERK,
        content_type="multipart/form-data",
    )
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    assert "not a workbook, or it is damaged" in answer.json["detail"]
