"""The access log's chain: a canonical form that does not depend on storage, and a check that
names the first line changed, missing or out of place."""

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

from shared.access_log import GENESIS, Access, Anchor, canonical, chained, outcome_of, seal, verify

AT = datetime(2026, 12, 4, 8, 30, 0, 123456, tzinfo=UTC)
READ = Access("national_id", "e-1", "ok", 200, "clerk", ("intake_clerk",), "10.0.0.7")


def chain(count: int) -> list[dict]:
    lines: list[dict] = []
    for n in range(count):
        access = Access("history", f"e-{n}", "ok", 200, "clerk", ("intake_clerk",), "10.0.0.7")
        lines.append(chained(access, AT + timedelta(seconds=n), lines[-1] if lines else None))
    return lines


def test_the_first_line_follows_the_genesis_and_each_next_the_one_before():
    lines = chain(3)
    assert [line["seq"] for line in lines] == [1, 2, 3]
    assert lines[0]["previous"] == GENESIS
    assert lines[1]["previous"] == lines[0]["hash"] and lines[2]["previous"] == lines[1]["hash"]


def test_the_hash_is_the_sha256_of_the_canonical_form_with_the_previous_hash():
    line = chained(READ, AT, None)
    assert line["hash"] == hashlib.sha256(canonical(line)).hexdigest()
    form = json.loads(canonical(line))
    assert form == {
        "seq": 1,
        "at": "2026-12-04T08:30:00.123+00:00",
        "user": "clerk",
        "roles": ["intake_clerk"],
        "address": "10.0.0.7",
        "kind": "national_id",
        "resource": "e-1",
        "outcome": "ok",
        "status": 200,
        "previous": GENESIS,
    }


def test_the_canonical_form_does_not_depend_on_how_the_line_was_stored():
    line = chained(Access("roster", "/r", "ok", 200, "o", ("b", "a")), AT, None)
    # a store gives the instant back in another zone, the roles as a list, fields reordered
    stored = {
        "_id": 1,
        **dict(reversed(line.items())),
        "at": line["at"].astimezone(timezone(timedelta(hours=8))),
        "roles": ["a", "b"],
    }
    assert canonical(stored) == canonical(line) and seal(stored) == line["hash"]
    assert line["at"].microsecond == 123000  # what a BSON date keeps


def test_an_intact_chain_verifies_and_names_its_head():
    lines = chain(4)
    verdict = verify(lines)
    assert verdict.intact and verdict.lines == 4
    assert (verdict.last_seq, verdict.last_hash) == (4, lines[-1]["hash"])
    assert verify([]).intact and verify([]).last_hash == GENESIS


def test_a_changed_line_is_found():
    lines = chain(4)
    lines[2] = {**lines[2], "user": "someone-else"}
    verdict = verify(lines)
    assert not verdict.intact and verdict.broken_at == 3
    assert "changed" in verdict.problem and verdict.last_seq == 2


def test_a_changed_line_whose_hash_is_recomputed_breaks_the_next_link():
    lines = chain(4)
    forged = {**lines[1], "resource": "e-99"}
    lines[1] = {**forged, "hash": seal(forged)}
    verdict = verify(lines)
    assert verdict.broken_at == 3 and "does not follow" in verdict.problem


def test_a_deleted_line_is_found():
    lines = chain(5)
    del lines[2]
    verdict = verify(lines)
    assert not verdict.intact and verdict.broken_at == 3 and "missing" in verdict.problem


def test_a_deleted_first_line_is_found():
    verdict = verify(chain(3)[1:])
    assert not verdict.intact and verdict.broken_at == 1


def test_reordered_lines_are_found():
    lines = chain(4)
    swapped = [lines[0], lines[2], lines[1], lines[3]]
    assert verify(swapped).broken_at == 2
    # renumbered to hide the swap: the link then gives it away
    renumbered = [{**line, "seq": n} for n, line in enumerate(swapped, start=1)]
    assert verify(renumbered).broken_at == 2


def test_refusals_are_denied_and_other_errors_failed():
    assert [outcome_of(s) for s in (200, 401, 403, 404, 429)] == [
        "ok",
        "denied",
        "denied",
        "failed",
        "failed",
    ]


def test_an_anchor_kept_from_an_earlier_verdict_shows_lines_cut_off_the_end():
    lines = chain(5)
    kept = verify(lines)
    anchor = Anchor(kept.last_seq, kept.last_hash)
    assert verify([*lines, *chain(6)[5:]], anchor).intact  # more lines since: still fine
    assert verify(lines[:3]).intact  # the chain alone cannot tell
    cut = verify(lines[:3], anchor)
    assert not cut.intact and cut.broken_at == 4 and "gone" in cut.problem


def test_an_anchor_shows_a_chain_rewritten_from_the_start():
    lines = chain(4)
    anchor = Anchor(3, lines[2]["hash"])
    rewritten: list[dict] = []
    for line in lines:
        access = Access(line["kind"], "forged", "ok", 200, line["user"], tuple(line["roles"]))
        rewritten.append(chained(access, line["at"], rewritten[-1] if rewritten else None))
    assert verify(rewritten).intact
    verdict = verify(rewritten, anchor)
    assert not verdict.intact and verdict.broken_at == 3 and "rewritten" in verdict.problem
