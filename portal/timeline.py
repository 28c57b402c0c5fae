"""The elder's timeline across the services: intake's history of the record, visits' obligations
and visit records, allowances' payments, merged newest first. Each source is what the user's
role may read; a service that refuses the role leaves its part out, and says so."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from portal.messages import in_language
from portal.words import obligation_kind, trigger, visit_kinds


@dataclass(frozen=True)
class Entry:
    at: datetime
    service: str  # intake, visits or allowances
    what: str
    detail: str = ""
    by: str = ""


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def from_history(history: list[dict[str, Any]]) -> list[Entry]:
    return [
        Entry(_at(h["at"]), "intake", in_language(h.get("change", "")), by=h.get("by", ""))
        for h in history
    ]


def from_obligations(obligations: list[dict[str, Any]]) -> list[Entry]:
    entries = []
    for o in obligations:
        what = trigger(o.get("trigger")) or obligation_kind(o["kind"])
        due = _at(o["due_at"]).strftime("%Y-%m-%d %H:%M")
        entries.append(
            Entry(
                _at(o["created_at"]),
                "visits",
                _("Obligation: %(what)s", what=what),
                _("due %(when)s", when=due),
            )
        )
        if o.get("status") == "met" and o.get("met_at"):
            on_time = _("on time") if o.get("on_time") else _("late")
            entries.append(
                Entry(_at(o["met_at"]), "visits", _("Obligation met: %(what)s", what=what), on_time)
            )
        elif o.get("status") == "cancelled" and o.get("closed_at"):
            entries.append(
                Entry(
                    _at(o["closed_at"]),
                    "visits",
                    _("Obligation cancelled: %(what)s", what=what),
                    o.get("cancelled_reason") or "",
                )
            )
    return entries


def from_visits(visits: list[dict[str, Any]]) -> list[Entry]:
    kinds = visit_kinds()
    return [
        Entry(
            _at(v["visited_at"]),
            "visits",
            _("Visit: %(kind)s", kind=kinds.get(v["kind"], v["kind"])),
            v.get("findings", ""),
            v.get("visitor", ""),
        )
        for v in visits
    ]


def from_statement(statement: dict[str, Any]) -> list[Entry]:
    entries = []
    for line in statement.get("lines", []):
        if not line.get("eligible"):
            continue
        yuan = f"{line['amount_fen'] // 100}.{line['amount_fen'] % 100:02d}"
        entries.append(
            Entry(
                datetime.fromisoformat(f"{line['month']}-01T00:00:00+00:00"),
                "allowances",
                _("Allowance for %(month)s: %(yuan)s yuan", month=line["month"], yuan=yuan),
                line.get("detail", ""),
            )
        )
    return entries


def merged(*parts: list[Entry]) -> list[Entry]:
    return sorted((e for part in parts for e in part), key=lambda e: e.at, reverse=True)
