"""The payment file (CSV and XLSX) and the 90+ roster, as the approver opens them in Excel or
WPS: a name that begins like a formula is text there, and the amounts stay numbers that add up
to the file's total to the fen."""

import csv
import hashlib
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from test_allowances_api import (  # noqa: F401  (fixtures)
    APPROVER,
    OFFICER,
    advance,
    client,
    feed,
    opened,
    service,
)

LINK = '=HYPERLINK("http://x","click")'
WIDE = "＝1+1"
NAMES = {"e-1": LINK, "e-2": WIDE, "e-3": "王秀英"}
SHOWN = {LINK: "'" + LINK, WIDE: "'" + WIDE, "王秀英": "王秀英"}


def registered_with_accounts(client, service):  # noqa: F811
    births = {"e-1": date(1930, 1, 2), "e-2": date(1944, 3, 7), "e-3": date(1935, 5, 5)}
    for n, (elder_id, name) in enumerate(NAMES.items()):
        feed(service, elder_id=elder_id, birth_date=births[elder_id], name=name)
        account = {
            "version": 0,
            "kind": "bank_account",
            "bank": "@工商银行",
            "number": f"62220200000000{n:05d}",
            "holder": name,
        }
        answer = client.put(f"/elders/{elder_id}/payee-account", json=account, headers=OFFICER)
        assert answer.status_code == 200, answer.json


def test_the_payment_csv_shows_formula_like_names_as_text_and_adds_up(client, service):  # noqa: F811
    registered_with_accounts(client, service)
    opened(client)
    exported = advance(client, "high_age:2026-09", until="export")
    file = client.get("/cycles/high_age:2026-09/payment-file?format=csv", headers=APPROVER)
    assert hashlib.sha256(file.data).hexdigest() == exported["file_sha256"]
    rows = list(csv.DictReader(io.StringIO(file.data.decode("utf-8-sig"))))
    payments = [r for r in rows if r["no"].isdigit()]
    assert {r["elder_id"]: (r["name"], r["account_holder"]) for r in payments} == {
        elder_id: (SHOWN[name], SHOWN[name]) for elder_id, name in NAMES.items()
    }
    assert {r["bank"] for r in payments} == {"'@工商银行"}
    total = next(r for r in rows if r["no"] == "total payments")
    assert int(total["amount_fen"]) == sum(int(r["amount_fen"]) for r in payments) > 0
    assert Decimal(total["amount_yuan"]) == sum(Decimal(r["amount_yuan"]) for r in payments)
    assert Decimal(total["amount_yuan"]) * 100 == int(total["amount_fen"])


def test_the_payment_workbook_and_the_roster_hold_no_formula(client, service):  # noqa: F811
    registered_with_accounts(client, service)
    opened(client)
    advance(client, "high_age:2026-09", until="export")
    file = client.get("/cycles/high_age:2026-09/payment-file?format=xlsx", headers=APPROVER)
    book = load_workbook(io.BytesIO(file.data))
    roster = client.get("/rosters/90-plus/2026-09?format=xlsx", headers=OFFICER)
    roster_book = load_workbook(io.BytesIO(roster.data))
    cells = [c for b in (book, roster_book) for s in b for row in s.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    payments = list(book["Payments"].iter_rows(values_only=True))
    columns = payments[0]
    lines = [dict(zip(columns, row, strict=True)) for row in payments[1:]]
    paid = [line for line in lines if isinstance(line["no"], int)]
    assert {line["elder_id"]: line["name"] for line in paid} == {
        elder_id: SHOWN[name] for elder_id, name in NAMES.items()
    }
    total = next(line for line in lines if line["no"] == "total payments")
    assert total["amount_fen"] == sum(line["amount_fen"] for line in paid)
    assert all(isinstance(line["amount_yuan"], int | float) for line in [*paid, total])
    assert round(total["amount_yuan"] * 100) == total["amount_fen"]
    aged = list(roster_book["Aged 90+"].iter_rows(values_only=True))
    assert {row[0]: row[1] for row in aged[1:]} == {"e-1": SHOWN[LINK], "e-3": "王秀英"}
