"""The access log at the door of every API: what is recorded, and how the district
administrator reads and checks it.

A view serving sensitive personal data names its access (`logs_access`, or `note_access` where
it depends on what the answer shows); after the answer, one hook writes one line with the
status answered. The same hook writes a line for every 401 and 403, whichever code refused.
Nothing else is recorded: health checks, metrics and masked lists leave no line.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any, Protocol

from flask import Flask, Response, current_app, g, request
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from pymongo.errors import PyMongoError

from shared.access_log import Access, Anchor, Verdict, outcome_of
from shared.documents import plain
from shared.web.auth import requires
from shared.web.blueprint import Blueprint
from shared.web.pagination import PageArgs, page, page_schema, paged
from shared.web.problems import problem

log = logging.getLogger(__name__)
REFUSED = {401: "unauthenticated", 403: "forbidden"}
MAX_RESOURCE = 500  # a path and query asked for, as far as the line keeps it


class AccessLog(Protocol):
    """Where an app's lines go: a service's store (`shared.access_log_store`), the console's
    file (`ops.adapters.access_log_file`)."""

    def append(self, access: Access) -> dict[str, Any]: ...

    def search(
        self, user: str | None, kind: str | None, since: datetime | None, skip: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]: ...

    def verify(self, anchor: Anchor | None = None) -> Verdict: ...


@dataclass(frozen=True)
class Note:
    kind: str
    resource: str
    user: str | None = None  # who, when not the signed-in principal (signing in)
    roles: tuple[str, ...] | None = None


def note_access(
    kind: str,
    resource: str | None = None,
    user: str | None = None,
    roles: tuple[str, ...] | None = None,
) -> None:
    """Record, once the answer is known, that this request reaches sensitive data: the
    record `resource` (none: the path and query asked for)."""
    g.access_note = Note(kind, resource or _asked(), user, roles)


def logs_access(kind: str, resource: str | None = None) -> Callable[[Callable], Callable]:
    """The view's answers are accesses of `kind` to the record named by the URL parameter
    `resource` (none: the path and query asked for). Put it under `requires`."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def logged(*args: Any, **kwargs: Any) -> Any:
            note_access(kind, str(kwargs[resource]) if resource else None)
            return view(*args, **kwargs)

        return logged

    return decorate


def _asked() -> str:
    return request.full_path.removesuffix("?")[:MAX_RESOURCE]


def _access(status: int) -> Access | None:
    note: Note | None = g.get("access_note")
    if note is None and status not in REFUSED:
        return None
    if note is None:
        note = Note(REFUSED[status], f"{request.method} {_asked()}")
    principal = g.get("principal")
    user = note.user or (principal.user if principal else None)
    roles = note.roles if note.roles is not None else (principal.roles if principal else ())
    return Access(
        note.kind,
        note.resource,
        outcome_of(status),
        status,
        user,
        tuple(sorted(roles)),
        request.remote_addr,
    )


def _record(response: Response) -> Response:
    access = _access(response.status_code)
    store: AccessLog | None = current_app.extensions.get("access_log")
    if access is None or store is None:
        return response
    try:
        store.append(access)
    except (PyMongoError, OSError) as error:
        log.error("access not recorded", extra={"error": str(error), "kind": access.kind})
        if request.method == "GET" and response.status_code < 400:
            # sensitive data is not handed out without its record
            return problem(503, "Service unavailable", "The access could not be recorded; retry.")
    return response


def register(app: Flask, store: AccessLog | None) -> None:
    """Record the app's noted accesses and refusals in `store` (None: nowhere)."""
    if store is not None:
        app.extensions["access_log"] = store
    app.after_request(_record)


class AccessLogArgs(PageArgs):
    user = fields.String(metadata={"description": "Only this user's lines"})
    kind = fields.String(metadata={"description": "Only lines of this kind"})
    since = fields.AwareDateTime(metadata={"description": "Only lines written at or after"})


class AnchorArgs(Schema):
    seq = fields.Integer(
        validate=validate.Range(min=1, max=2**62),
        metadata={"description": "A line's number, as an earlier verdict's last_seq"},
    )
    hash = fields.String(
        validate=validate.Regexp("^[0-9a-f]{64}$"),
        metadata={"description": "Its hash, as that verdict's last_hash"},
    )

    @validates_schema
    def both_or_neither(self, data: dict[str, Any], **_: Any) -> None:
        if ("seq" in data) != ("hash" in data):
            raise ValidationError("Give both seq and hash, or neither.", "_schema")


class AccessLineSchema(Schema):
    seq = fields.Integer(metadata={"description": "The line's number in the chain"})
    at = fields.AwareDateTime()
    user = fields.String(allow_none=True, metadata={"description": "None: nobody identified"})
    roles = fields.List(fields.String())
    address = fields.String(allow_none=True, metadata={"description": "The client's address"})
    kind = fields.String(metadata={"description": "What was reached, or why it was refused"})
    resource = fields.String(metadata={"description": "The record's id or the path asked for"})
    outcome = fields.String(metadata={"description": "ok, denied or failed"})
    status = fields.Integer(metadata={"description": "The HTTP status answered"})
    previous = fields.String(metadata={"description": "The previous line's hash"})
    hash = fields.String(metadata={"description": "SHA-256 of this line's canonical form"})


class AccessLogVerdictSchema(Schema):
    intact = fields.Boolean()
    lines = fields.Integer(metadata={"description": "How many lines were checked"})
    last_seq = fields.Integer(metadata={"description": "The last intact line"})
    last_hash = fields.String(metadata={"description": "Its hash, to keep elsewhere"})
    broken_at = fields.Integer(allow_none=True, metadata={"description": "The first bad line"})
    problem = fields.String(allow_none=True, metadata={"description": "What is wrong there"})


blueprint = Blueprint(
    "access_log", __name__, description="Who reached sensitive personal data, and who was refused"
)


def _store() -> AccessLog:
    return current_app.extensions["access_log"]


@blueprint.route("/access-log")
@requires()  # the district administrator only
@blueprint.arguments(AccessLogArgs, location="query")
@blueprint.response(200, page_schema(AccessLineSchema))
def access_log(args: dict[str, Any]) -> dict[str, Any]:
    """The access log, newest first: sign-ins, refusals and reads of sensitive data"""
    skip, limit = paged(args)
    lines, total = _store().search(
        args.get("user"), args.get("kind"), args.get("since"), skip, limit
    )
    return page(args, lines, total)


@blueprint.route("/access-log/verify")
@requires()  # the district administrator only
@blueprint.arguments(AnchorArgs, location="query")
@blueprint.response(200, AccessLogVerdictSchema)
def verify(args: dict[str, Any]) -> dict[str, Any]:
    """Check the access log's chain: intact, or the first line changed, missing or out of
    place; with `seq` and `hash` kept from an earlier verdict, also that line still there"""
    anchor = Anchor(args["seq"], args["hash"]) if "seq" in args else None
    return plain(_store().verify(anchor))
