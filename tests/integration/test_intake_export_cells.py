"""Intake's statistics workbook, opened in Excel or WPS: a community code that begins like a
formula is text there, and the counts stay numbers."""

import io

from openpyxl import load_workbook
from test_intake_api import ADMIN, CLERK, client, intake, register  # noqa: F401  (fixtures)


def test_the_statistics_workbook_holds_no_formula(client):  # noqa: F811
    communities = {
        "communities": [{"code": "=1+1", "name": "一社区"}, {"code": "c02", "name": "二"}]
    }
    assert client.put("/district/communities", json=communities, headers=ADMIN).status_code == 200
    register(client, community="=1+1")
    answer = client.get("/statistics?format=xlsx", headers=CLERK)
    book = load_workbook(io.BytesIO(answer.data))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    rows = list(book["Age bands"].values)
    assert [row[:2] for row in rows[1:]] == [("'=1+1", 1), ("district total", 1)]
