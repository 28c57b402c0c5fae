"""Signed staff tokens on the console: verified with the district's key, then confirmed by
intake (`GET /auth/session`), which knows whether the user signed out or their account changed.
An answer is kept for `CACHE_SECONDS` per token, so that a revoked token is refused within
that time without asking intake on every call."""

import hashlib
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from flask import abort, request

from shared.web.auth import Principal

CACHE_SECONDS = 30.0
MOST_KEPT = 1000  # answers kept at once; older ones are dropped first


class IntakeConfirmation:
    def __init__(
        self,
        intake_api: str,
        timeout_seconds: float,
        cache_seconds: float = CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = intake_api.rstrip("/") + "/auth/session"
        self.timeout = timeout_seconds
        self.cache_seconds = cache_seconds
        self.clock = clock
        self.answers: dict[str, tuple[bool, float]] = {}
        self.lock = threading.Lock()

    def current(self, signed: Principal) -> bool:
        """Whether intake still accepts the bearer token of this request."""
        token = request.headers.get("Authorization", "").partition(" ")[2].strip()
        key = hashlib.sha256(token.encode()).hexdigest()
        now = self.clock()
        with self.lock:
            known = self.answers.get(key)
        if known and now - known[1] < self.cache_seconds:
            return known[0]
        accepted = self._ask(token)
        with self.lock:
            if len(self.answers) >= MOST_KEPT:
                oldest = min(self.answers, key=lambda k: self.answers[k][1])
                del self.answers[oldest]
            self.answers[key] = (accepted, now)
        return accepted

    def _ask(self, token: str) -> bool:
        asking = urllib.request.Request(self.url, headers={"Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(asking, timeout=self.timeout) as answer:
                return bool(answer.status == 200)
        except urllib.error.HTTPError as refused:
            if refused.code in (401, 403):
                return False
            abort(503, description=f"Intake could not confirm the token (HTTP {refused.code}).")
        except (OSError, ValueError):  # ValueError: no intake API configured
            abort(503, description="Intake cannot be reached to confirm the token; try again.")
        return False
