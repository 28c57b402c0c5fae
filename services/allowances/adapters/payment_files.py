"""Payment files (CSV for the bank, XLSX for people) and the 90+ roster workbook.

A payment file lists every line with a non-zero amount — payments, and recoveries as negative
amounts — then its totals, summed from the rows written, so that a file can be checked against
its cycle to the fen.
"""

import csv
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from openpyxl import Workbook

from services.allowances.domain.cycle import AllowanceCycle
from services.allowances.domain.money import yuan
from services.allowances.domain.roll import RollLine
from services.allowances.domain.roster import NinetyPlusRoster, RosterEntry

COLUMNS = [
    "no",
    "line_id",
    "elder_id",
    "name",
    "community",
    "kind",
    "band",
    "amount_fen",
    "amount_yuan",
    "items",
]
PAYMENT, RECOVERY = "payment", "recovery"


@dataclass
class FileTotals:
    payees: int = 0
    payable_fen: int = 0
    debtors: int = 0
    to_recover_fen: int = 0

    @property
    def net_fen(self) -> int:
        return self.payable_fen - self.to_recover_fen

    def rows(self) -> list[list[object]]:
        def row(label: str, lines: int, fen: int) -> list[object]:
            return [label, "", "", "", "", "", "", fen, yuan(fen), f"{lines} lines"]

        return [
            row("total payments", self.payees, self.payable_fen),
            row("total recoveries", self.debtors, -self.to_recover_fen),
            row("net", self.payees + self.debtors, self.net_fen),
        ]


def _rows(lines: Iterable[RollLine], totals: FileTotals) -> Iterator[list[object]]:
    number = 0
    for line in lines:
        amount = line.amount_fen
        if amount == 0:
            continue
        number += 1
        if amount > 0:
            totals.payees += 1
            totals.payable_fen += amount
        else:
            totals.debtors += 1
            totals.to_recover_fen -= amount
        items = "; ".join(f"{i.rule} {i.month} {i.amount_fen}" for i in line.items)
        yield [
            number,
            line.line_id,
            line.elder_id,
            line.name,
            line.community,
            PAYMENT if amount > 0 else RECOVERY,
            line.band or "",
            amount,
            yuan(amount),
            items,
        ]


def payment_csv(cycle: AllowanceCycle, lines: Iterable[RollLine]) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the Chinese names."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    totals = FileTotals()
    writer.writerows(_rows(lines, totals))
    writer.writerows(totals.rows())
    writer.writerow(["cycle", cycle.cycle_id, "", "", "", "", "", "", "", ""])
    return ("\ufeff" + buffer.getvalue()).encode()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def payment_xlsx(cycle: AllowanceCycle, lines: Iterable[RollLine]) -> bytes:
    book = Workbook(write_only=True)
    roll = book.create_sheet("Roll")
    roll.append(COLUMNS)
    totals = FileTotals()
    for row in _rows(lines, totals):
        roll.append(row)
    for row in totals.rows():
        roll.append(row)
    summary = book.create_sheet("Summary")
    for row in _summary(cycle):
        summary.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary(cycle: AllowanceCycle) -> list[list[object]]:
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
        ["rule", "items", "amount_fen", "amount_yuan"],
    ]
    totals = cycle.totals
    if totals is None:
        return rows
    rows += [[r.rule, r.items, r.amount_fen, yuan(r.amount_fen)] for r in totals.by_rule]
    rows += [
        ["net", "", totals.net_fen, yuan(totals.net_fen)],
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
            sheet.append(entry(e))
    sheet = book.create_sheet("By community")
    sheet.append(["community", "aged_90_plus", "turned_90", "died", "moved_out"])
    for community, counts in roster.by_community().items():
        sheet.append([community, *counts.values()])
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
