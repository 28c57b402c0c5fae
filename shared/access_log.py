"""The access log's chain: one line per access to sensitive personal data, per sign-in and per
refusal, each line sealed with the hash of the one before it (PIPL art. 51, 55).

A line's `hash` is the SHA-256 of its canonical form, which holds its sequence number, its
content and `previous` (the hash of the line before it). Changing, removing or reordering a
stored line therefore breaks a link that `verify` finds. No store is known here.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64  # the `previous` of the first line
SEALED = ("seq", "at", "user", "roles", "address", "kind", "resource", "outcome", "status")


@dataclass(frozen=True)
class Access:
    """What happened: who (user and roles), from which address, to what, and how it ended."""

    kind: str  # e.g. national_id, history, payment_file, sign_in, unauthenticated, forbidden
    resource: str  # the record's id or the path asked for
    outcome: str  # ok, denied or failed
    status: int  # the HTTP status answered
    user: str | None = None  # None: nobody identified (no or a bad token)
    roles: tuple[str, ...] = ()
    address: str | None = None


def outcome_of(status: int) -> str:
    if status in (401, 403):
        return "denied"
    return "ok" if status < 400 else "failed"


def instant(at: datetime) -> datetime:
    """`at` as the store keeps it: UTC, to the millisecond (BSON dates hold no more)."""
    at = at.astimezone(UTC)
    return at.replace(microsecond=at.microsecond // 1000 * 1000)


def canonical(line: dict[str, Any]) -> bytes:
    """The sealed fields of a line as bytes that do not depend on how it was stored."""
    sealed = {name: line.get(name) for name in SEALED}
    sealed["at"] = instant(line["at"]).isoformat(timespec="milliseconds")
    sealed["roles"] = sorted(line.get("roles") or ())
    sealed["previous"] = line["previous"]
    return json.dumps(sealed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def seal(line: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(line)).hexdigest()


def chained(access: Access, at: datetime, last: dict[str, Any] | None) -> dict[str, Any]:
    """The line recording `access`, following `last` (None: the first line)."""
    line: dict[str, Any] = {
        "seq": last["seq"] + 1 if last else 1,
        "at": instant(at),
        "user": access.user,
        "roles": sorted(access.roles),
        "address": access.address,
        "kind": access.kind,
        "resource": access.resource,
        "outcome": access.outcome,
        "status": access.status,
        "previous": last["hash"] if last else GENESIS,
    }
    line["hash"] = seal(line)
    return line


@dataclass(frozen=True)
class Verdict:
    intact: bool
    lines: int  # how many lines were checked
    last_seq: int  # the last intact line's sequence number (0: none)
    last_hash: str  # its hash: keep it elsewhere to notice lines cut off the end later
    broken_at: int | None = None  # the sequence number where the chain breaks
    problem: str | None = None


@dataclass(frozen=True)
class Anchor:
    """A line's number and hash as an earlier verdict gave them, kept outside the store: the
    chain alone cannot show lines cut off its end, nor a chain rewritten from the start."""

    seq: int
    hash: str


def verify(lines: Iterable[dict[str, Any]], anchor: Anchor | None = None) -> Verdict:
    """Check the lines, in the order of their sequence numbers, and name the first broken link:
    a line whose content no longer matches its hash (changed), a missing number (deleted), a
    line that does not follow the one before it (reordered or replaced), or the `anchor`'s line
    gone or with another hash."""
    expected, previous, checked = 1, GENESIS, 0
    for line in lines:
        checked += 1
        problem = _broken(line, expected, previous) or _unanchored(line, anchor)
        if problem:
            return Verdict(False, checked, expected - 1, previous, expected, problem)
        expected, previous = expected + 1, line["hash"]
    if anchor and anchor.seq >= expected:
        problem = f"line {anchor.seq} is gone: the log ends at line {expected - 1}"
        return Verdict(False, checked, expected - 1, previous, expected, problem)
    return Verdict(True, checked, expected - 1, previous)


def _unanchored(line: dict[str, Any], anchor: Anchor | None) -> str | None:
    if anchor and line["seq"] == anchor.seq and line["hash"] != anchor.hash:
        return f"line {anchor.seq} is not the one kept (the chain was rewritten up to it)"
    return None


def _broken(line: dict[str, Any], expected: int, previous: str) -> str | None:
    if line.get("seq") != expected:
        return f"line {expected} is missing (the next stored is {line.get('seq')})"
    if line.get("previous") != previous:
        return f"line {expected} does not follow line {expected - 1} (its link is wrong)"
    if line.get("hash") != seal(line):
        return f"line {expected} was changed after it was written (its hash does not match)"
    return None
