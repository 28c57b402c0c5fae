"""Payment files (CSV for the bank, XLSX for people) and the 90+ roster workbook.

The CSV is a bank's batch-payment import: one row per payment — the account (type, number,
holder, bank), the amount in fen and in yuan, the purpose and the payment's reference — then
the total of the rows written, so that a file can be checked against its cycle to the fen.
Lines that cannot be paid are not in it: the XLSX lists them on an Exceptions sheet with their
reason, and its summary reconciles the roll's payable amount with the file and the exceptions.

Every row goes through `shared.cells.safe_row`, so that a name cannot run as a formula where the
file is opened; amounts are numbers (yuan as an exact decimal), which it leaves as they are.
"""

import csv
import hashlib
import io
from collections.abc import Iterator
from decimal import Decimal

from openpyxl import Workbook

from services.allowances.domain.cycle import AllowanceCycle
from services.allowances.domain.payment_orders import PaymentOrder
from services.allowances.domain.roster import NinetyPlusRoster, RosterEntry
from shared.cells import safe_row

COLUMNS = [
    "no",
    "account_type",
    "account_number",
    "account_holder",
    "bank",
    "amount_fen",
    "amount_yuan",
    "purpose",
    "reference",
    "elder_id",
    "name",
    "community",
]
EXCEPTION_COLUMNS = ["reference", "elder_id", "name", "community", "amount_fen", "reason", "detail"]


def yuan(fen: int) -> Decimal:
    """Exact yuan as a number: 12345 fen is 123.45, -5 fen is -0.05 (written "-0.05")."""
    return Decimal(fen).scaleb(-2)


def _rows(order: PaymentOrder) -> Iterator[list[object]]:
    for number, p in enumerate(order.payments, start=1):
        yield [
            number,
            p.kind,
            p.number,
            p.holder,
            p.bank,
            p.amount_fen,
            yuan(p.amount_fen),
            order.purpose,
            p.line_id,
            p.elder_id,
            p.name,
            p.community,
        ]


def _total(order: PaymentOrder) -> list[object]:
    fen = order.total_fen
    row: list[object] = ["total payments", len(order.payments), "", "", "", fen, yuan(fen)]
    return row + [""] * (len(COLUMNS) - len(row))


def payment_csv(order: PaymentOrder) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the Chinese names."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(safe_row(row) for row in _rows(order))
    writer.writerow(safe_row(_total(order)))
    return ("\ufeff" + buffer.getvalue()).encode()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def payment_xlsx(cycle: AllowanceCycle, order: PaymentOrder) -> bytes:
    book = Workbook(write_only=True)
    payments = book.create_sheet("Payments")
    payments.append(COLUMNS)
    for row in _rows(order):
        payments.append(safe_row(row))
    payments.append(safe_row(_total(order)))
    exceptions = book.create_sheet("Exceptions")
    exceptions.append(EXCEPTION_COLUMNS)
    for e in order.exceptions:
        exceptions.append(
            safe_row([e.line_id, e.elder_id, e.name, e.community, e.amount_fen, e.reason, e.detail])
        )
    summary = book.create_sheet("Summary")
    for row in _summary(cycle, order):
        summary.append(safe_row(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary(cycle: AllowanceCycle, order: PaymentOrder) -> list[list[object]]:
    rows: list[list[object]] = [
        ["cycle", cycle.cycle_id],
        ["programme", cycle.programme],
        ["month", cycle.month],
        ["state", cycle.state],
        ["prepared by", cycle.opened_by],
        ["approved by", cycle.approved_by or ""],
        ["report due", cycle.due_on.isoformat()],
        ["submitted", cycle.submitted_on.isoformat() if cycle.submitted_on else ""],
        ["late", "yes" if cycle.late else "no"],
        [],
        ["", "lines", "amount_fen", "amount_yuan"],
        ["in the file", len(order.payments), order.total_fen, yuan(order.total_fen)],
        [
            "withheld (exceptions)",
            len(order.exceptions),
            order.withheld_fen,
            yuan(order.withheld_fen),
        ],
        [],
        ["rule", "items", "amount_fen", "amount_yuan"],
    ]
    totals = cycle.totals
    if totals is None:
        return rows
    rows += [[r.rule, r.items, r.amount_fen, yuan(r.amount_fen)] for r in totals.by_rule]
    rows += [
        ["net", "", totals.net_fen, yuan(totals.net_fen)],
        ["payable", totals.payees, totals.payable_fen, yuan(totals.payable_fen)],
        [],
        ["lines", totals.lines],
        ["eligible", totals.eligible],
        *[[f"excluded: {r.reason}", r.lines] for r in totals.excluded],
    ]
    return rows


def roster_xlsx(roster: NinetyPlusRoster) -> bytes:
    book = Workbook(write_only=True)
    columns = ["elder_id", "name", "community", "birth_date", "age", "turned_90_on", "died_on"]

    def entry(e: RosterEntry) -> list[object]:
        return [
            e.elder_id,
            e.name,
            e.community,
            e.birth_date.isoformat(),
            e.age,
            e.turned_90_on.isoformat() if e.turned_90_on else "",
            e.died_on.isoformat() if e.died_on else "",
        ]

    for title, entries in (
        ("Aged 90+", roster.aged_90_plus),
        ("Turned 90", roster.turned_90),
        ("Died", roster.died),
        ("Moved out", roster.moved_out),
    ):
        sheet = book.create_sheet(title)
        sheet.append(columns)
        for e in entries:
            sheet.append(safe_row(entry(e)))
    sheet = book.create_sheet("By community")
    sheet.append(["community", "aged_90_plus", "turned_90", "died", "moved_out"])
    for community, counts in roster.by_community().items():
        sheet.append(safe_row([community, *counts.values()]))
    sheet.append(
        [
            "total",
            len(roster.aged_90_plus),
            len(roster.turned_90),
            len(roster.died),
            len(roster.moved_out),
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
