"""Amounts as people read and type them: yuan with two decimals; the services count whole fen."""

import re

YUAN = re.compile(r"^(\d{1,7})(?:\.(\d{1,2}))?$")


def yuan(fen: int | None) -> str:
    fen = fen or 0
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100:,}.{abs(fen) % 100:02d}"


def fen(typed: str) -> int | None:
    """The fen of an amount typed in yuan ("300", "300.5", "1,200.00"), exactly; None if it is
    not an amount (the service then names the field)."""
    found = YUAN.match(typed.strip().replace(",", "").replace("，", ""))
    if not found:
        return None
    whole, cents = found.groups()
    return int(whole) * 100 + int((cents or "0").ljust(2, "0"))
