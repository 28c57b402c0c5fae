"""Every HTTP error as application/problem+json (RFC 9457), handled in this one module."""

import logging
from typing import Any

from flask import Flask, Response, json
from pymongo.errors import ConnectionFailure
from werkzeug.exceptions import HTTPException

from shared.errors import Conflict, DomainError, NotFound, RuleViolation

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
STATUS_OF = {NotFound: 404, Conflict: 409, RuleViolation: 422}


def problem(status: int, title: str, detail: str, **extensions: Any) -> Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extensions}
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)


def _from_http(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    if messages:  # webargs validation: {"json": {"field": ["message"]}}
        fields: dict[str, Any] = {}
        for location, errors in messages.items():
            if isinstance(errors, dict):
                fields.update(errors)
            else:  # the whole body is wrong, e.g. a list where an object is expected
                fields[location] = errors
        names = ", ".join(sorted(fields))
        return problem(422, "Invalid request", f"Fields with errors: {names}", errors=fields)
    response = problem(status, error.name, error.description or error.name)
    if status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def _from_domain(error: DomainError) -> Response:
    status = next((code for kind, code in STATUS_OF.items() if isinstance(error, kind)), 400)
    title = {404: "Not found", 409: "Conflict", 422: "Rule violated"}.get(status, "Bad request")
    return problem(status, title, error.detail, **error.context)


def _from_store_outage(error: ConnectionFailure) -> Response:
    log.warning("store unavailable", extra={"error": str(error)})
    response = problem(
        503,
        "Service unavailable",
        "The database is unreachable; the request was not applied. Retry later.",
    )
    response.headers["Retry-After"] = "5"
    return response


def _from_unexpected(error: Exception) -> Response:
    log.exception("unhandled error")
    return problem(500, "Internal error", "An unexpected error occurred; it has been logged.")


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, _from_http)
    app.register_error_handler(DomainError, _from_domain)
    app.register_error_handler(ConnectionFailure, _from_store_outage)
    app.register_error_handler(Exception, _from_unexpected)
