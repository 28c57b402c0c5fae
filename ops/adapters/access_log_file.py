"""The operator console's access log, in a file of JSON lines.

The console has no database, by design (it reads Kafka and the services' endpoints), and its
access log must not depend on the broker whose dead letters it shows. A file on the console's
volume, opened for appending only, holds the same chain as a service's store: a writer locks
the file (every thread and process of the console), reads the last line, appends the next one
and syncs it to disk before the answer leaves, so the chain neither forks nor loses a line
that was answered.
"""

import fcntl
import json
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from shared.access_log import Access, Anchor, Verdict, chained, verify
from shared.clock import Clock, SystemClock

TAIL_BYTES = 16 * 1024  # more than any one line (the resource asked for is capped)


class AccessLogFile:
    def __init__(self, path: Path, clock: Clock | None = None) -> None:
        self.path = path
        self.clock = clock or SystemClock()

    def append(self, access: Access) -> dict[str, Any]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a+b") as file:
            fcntl.flock(file, fcntl.LOCK_EX)  # released when the file is closed
            line = chained(access, self.clock.now(), _last(file))
            file.write(json.dumps({**line, "at": line["at"].isoformat()}).encode() + b"\n")
            file.flush()
            os.fsync(file.fileno())
        return line

    def in_order(self) -> Iterator[dict[str, Any]]:
        if not self.path.exists():
            return
        with self.path.open("rb") as file:
            for raw in file:
                if raw.strip():
                    yield _loaded(raw)

    def search(
        self, user: str | None, kind: str | None, since: datetime | None, skip: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of lines, newest first, and how many match."""
        found = [
            line
            for line in self.in_order()
            if (user is None or line["user"] == user)
            and (kind is None or line["kind"] == kind)
            and (since is None or line["at"] >= since)
        ]
        found.reverse()
        return found[skip : skip + limit], len(found)

    def verify(self, anchor: Anchor | None = None) -> Verdict:
        return verify(self.in_order(), anchor)


def _last(file: IO[bytes]) -> dict[str, Any] | None:
    size = file.seek(0, os.SEEK_END)
    file.seek(max(0, size - TAIL_BYTES))
    tail = file.read().splitlines()
    return _loaded(tail[-1]) if tail and tail[-1].strip() else None


def _loaded(raw: bytes) -> dict[str, Any]:
    try:
        line = json.loads(raw)
        return {**line, "at": datetime.fromisoformat(line["at"])}
    except (ValueError, TypeError, KeyError):
        return {}  # not a line as written: verify reports it as missing
