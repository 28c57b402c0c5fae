"""The three services, as the workbench reaches them: over HTTP, with the signed-in user's
bearer token. A problem+json answer becomes an `ApiProblem` whose field errors the pages show
beside their fields; a refused token becomes `SignInNeeded`."""

import copy
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from http.cookiejar import DefaultCookiePolicy
from typing import Any, NamedTuple, TypeVar

import orjson
import requests
from flask import Response, current_app, flash, session

from portal.config import PortalSettings
from portal.messages import in_language

_kept_alive = threading.local()
# The threads that make a page's calls at once. They last as long as the process, and with them
# each one's kept-alive connections (`_connections`): a pool for each page started threads and
# opened connections anew for every page. No call made in them makes calls of its own, so a
# page never waits on a thread that waits for one.
_callers = ThreadPoolExecutor(max_workers=32, thread_name_prefix="service-call")
T = TypeVar("T")

# GETs whose answer changes seldom and is read by nearly every page: each user's answer is kept
# this many seconds (a write through the workbench to the same path forgets it at once)
KEPT_SECONDS = {("intake", "/district"): 30.0}


class KeptAnswers:
    """Answers kept per user token for a while; an answer is never given to another token."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._answers: dict[tuple[str, str, str], tuple[float, Any]] = {}

    def get(self, service: str, path: str, token: str) -> Any | None:
        with self._lock:
            kept = self._answers.get((service, path, token))
        # a copy: a page may change what it is given
        return copy.deepcopy(kept[1]) if kept and kept[0] > self.clock() else None

    def keep(self, service: str, path: str, token: str, answer: Any) -> None:
        now = self.clock()
        with self._lock:
            for key in [k for k, (until, _) in self._answers.items() if until <= now]:
                del self._answers[key]  # expired: tokens come and go
            until = now + KEPT_SECONDS[service, path]
            self._answers[(service, path, token)] = (until, copy.deepcopy(answer))

    def forget(self, service: str, path: str) -> None:
        """A write under a kept path: every user's kept answer of it is out of date."""
        with self._lock:
            for key in [k for k in self._answers if k[0] == service and path.startswith(k[1])]:
                del self._answers[key]


kept_answers = KeptAnswers()


class SignInNeeded(Exception):
    """No token, or the services no longer accept it (it expired)."""


class ServiceUnavailable(Exception):
    """A service did not answer, or answered 5xx."""

    def __init__(self, service: str, detail: str) -> None:
        super().__init__(f"{service}: {detail}")
        self.service = service
        self.detail = detail


@dataclass
class ApiProblem(Exception):
    """A 4xx answer: its detail, and the errors of named fields (dotted for nested ones)."""

    status: int
    title: str
    detail: str
    fields: dict[str, list[str]] = field(default_factory=dict)


def settings() -> PortalSettings:
    return current_app.extensions["portal"]


def today() -> date:
    """Today in the district's time zone, which decides ages, months and years: not the
    server's date, which is another day for eight hours of a Chinese night on a UTC host."""
    return datetime.now(settings().zone).date()


def call(
    service: str,
    method: str,
    path: str,
    *,
    token: str | None = None,
    json: Any = None,
    params: dict[str, Any] | None = None,
    files: dict[str, tuple[str, bytes]] | None = None,
    timeout: float | None = None,
) -> Any:
    """The JSON body of a 2xx answer; raises ApiProblem, SignInNeeded or ServiceUnavailable."""
    token = token if token is not None else session.get("token") or ""
    keeps = method == "GET" and not params and (service, path) in KEPT_SECONDS and token
    if keeps and (kept := kept_answers.get(service, path, token)) is not None:
        return kept
    if method != "GET":
        kept_answers.forget(service, path)
    response = send(
        service, method, path, token=token, json=json, params=params, files=files, timeout=timeout
    )
    answer = _body_of(response)
    if keeps:
        kept_answers.keep(service, path, token, answer)
    return answer


def download(service: str, path: str, params: dict[str, Any]) -> requests.Response:
    """A file the service gives (e.g. `format=xlsx`), with the user's token; its body is read
    as it is used (`iter_content` passes it on as it arrives)."""
    return send(service, "GET", path, params=params, accept="*/*", stream=True)


def passed_on(answer: requests.Response) -> Response:
    """A file from `download` passed on to the browser as it arrives, named as the service
    names it, and kept in no cache."""
    return Response(
        answer.iter_content(chunk_size=64 * 1024),
        content_type=answer.headers.get("Content-Type", "application/octet-stream"),
        headers={
            "Content-Disposition": answer.headers.get("Content-Disposition", "attachment"),
            "Cache-Control": "no-store",
        },
    )


def send(
    service: str,
    method: str,
    path: str,
    *,
    token: str | None = None,
    json: Any = None,
    params: dict[str, Any] | None = None,
    files: dict[str, tuple[str, bytes]] | None = None,
    timeout: float | None = None,
    accept: str = "application/json",
    stream: bool = False,
) -> requests.Response:
    """A 2xx answer; raises ApiProblem, SignInNeeded or ServiceUnavailable."""
    token = token if token is not None else session.get("token")
    headers = {"Accept": accept}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    url = settings().apis[service].rstrip("/") + path
    try:
        response = _connections().request(
            method,
            url,
            json=json,
            params=params,
            files=files,
            headers=headers,
            timeout=timeout or settings().timeout_seconds,
            stream=stream,
        )
    except requests.RequestException as error:
        raise ServiceUnavailable(service, type(error).__name__) from error
    if response.status_code == 401 and token:
        raise SignInNeeded
    if response.status_code >= 500:
        raise ServiceUnavailable(service, f"HTTP {response.status_code}")
    if response.status_code >= 400:
        raise problem_of(response.status_code, _body_of(response))
    return response


def changed(
    path: str,
    body: Any,
    done: str,
    service: str = "visits",
    method: str = "POST",
    timeout: float | None = None,
) -> bool:
    """Send one change and say on the next page what came of it: `done`, or the service's
    answer in the reader's language. True if it was made."""
    try:
        call(service, method, path, json=body, timeout=timeout)
    except ApiProblem as problem:
        flash(in_language(problem.detail), "warning")
        return False
    flash(done, "success")
    return True


class Read(NamedTuple):
    """One GET of a page that needs several."""

    service: str
    path: str
    params: dict[str, Any] | None = None


def read_all(reads: Sequence[Read], *, problems_kept: bool = False) -> list[Any]:
    """The answers of several GETs, made at once with the user's token; the first failure is
    raised, as `call` raises it, or with `problems_kept` a 4xx answer's ApiProblem stands in
    its place (for a page that shows what it may read and names the rest)."""

    def one(read: Read, token: str) -> Any:
        try:
            return call(read.service, "GET", read.path, token=token, params=read.params)
        except ApiProblem as problem:
            if not problems_kept:
                raise
            return problem

    return _at_once(reads, one)


def files_of(reads: Sequence[Read]) -> list[bytes]:
    """The files several GETs give (e.g. `format=pdf`), read at once with the user's token;
    the first failure is raised, as `send` raises it."""

    def one(read: Read, token: str) -> bytes:
        answer = send(read.service, "GET", read.path, token=token, params=read.params, accept="*/*")
        return answer.content

    return _at_once(reads, one)


def _at_once(reads: Sequence[Read], one: Callable[[Read, str], T]) -> list[T]:
    """`one` of each read, at once in the process's calling threads (`_callers`), each in the
    app's context."""
    if not reads:
        return []
    token = session.get("token") or ""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def in_context(read: Read) -> T:
        with app.app_context():
            return one(read, token)

    return list(_callers.map(in_context, reads))


def _connections() -> requests.Session:
    """Kept-alive connections to the services, a pool for each thread (a Session is not to be
    shared between threads)."""
    if not hasattr(_kept_alive, "session"):
        pool = requests.Session()
        # every user's calls go through it: no cookie may carry from one to the next
        pool.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        # The services are reached directly: no proxy, .netrc or CA bundle the environment
        # names applies to them, and looking for those cost every call a few file lookups.
        pool.trust_env = False
        _kept_alive.session = pool
    return _kept_alive.session


def _body_of(response: requests.Response) -> Any:
    """The JSON an API answered (orjson: a worklist's hundred obligations are read in a fifth
    of the time `response.json()` takes)."""
    return orjson.loads(response.content) if response.content else {}


def problem_of(status: int, body: dict[str, Any]) -> ApiProblem:
    """The field errors of a problem: `errors` (marshmallow's, nested for nested objects) and
    a single `field` that a rule names."""
    fields: dict[str, list[str]] = {}
    _flatten(body.get("errors") or {}, "", fields)
    detail = str(body.get("detail", ""))
    if isinstance(body.get("field"), str) and body["field"] not in fields:
        fields[body["field"]] = [detail]
    return ApiProblem(status, str(body.get("title", "")), detail, fields)


def _flatten(errors: Any, prefix: str, into: dict[str, list[str]]) -> None:
    if isinstance(errors, dict):
        for name, inner in errors.items():
            _flatten(inner, f"{prefix}.{name}" if prefix else str(name), into)
    elif isinstance(errors, list) and all(isinstance(e, str) for e in errors):
        into.setdefault(prefix or "_", []).extend(errors)
    elif isinstance(errors, list):
        for inner in errors:
            _flatten(inner, prefix, into)
    else:
        into.setdefault(prefix or "_", []).append(str(errors))
