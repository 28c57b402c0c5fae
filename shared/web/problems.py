"""Every HTTP error as application/problem+json (RFC 9457), handled in this one module."""

import http
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from apispec import BasePlugin
from flask import Flask, Response, request
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import INCLUDE, Schema, fields
from pymongo.errors import ConnectionFailure
from werkzeug.exceptions import HTTPException

from shared.errors import Conflict, DomainError, NotFound, RuleViolation
from shared.web.blueprint import Blueprint
from shared.web.json_answers import encoded

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
STATUS_OF = {NotFound: 404, Conflict: 409, RuleViolation: 422}
# What each refusal a view documents with `documented` means.
REFUSALS = {
    403: "Beyond the community you are bound to",
    404: "No such record",
    409: "Conflicts with the record's state (e.g. approved already), or changed meanwhile "
    "(a stale version)",
    422: "Invalid fields, or a rule broken",
}
View = TypeVar("View", bound=Callable[..., Any])


def documented(blueprint: Blueprint, *codes: int) -> Callable[[View], View]:
    """Name in the OpenAPI document the refusals (problem+json) a view may answer with."""

    def decorate(view: View) -> View:
        for code in codes:
            view = blueprint.alt_response(code, description=REFUSALS[code])(view)
        return view

    return decorate


class ProblemSchema(Schema):
    """What every error answers (RFC 9457); a rule's context adds members, e.g. `errors`."""

    class Meta:
        unknown = INCLUDE

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True, metadata={"description": "What to do about it"})
    errors = fields.Dict(metadata={"description": "Invalid fields and why, by location"})


class ErrorResponses(BasePlugin):
    """Every operation's errors as answered: a guarded one names 401 and 403, and an error
    documented by its description alone gets the problem body it has."""

    def operation_helper(
        self, path: str | None = None, operations: dict | None = None, **_: Any
    ) -> None:
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            if operation.get("x-roles"):
                responses.setdefault("401", http.HTTPStatus.UNAUTHORIZED.name)
                responses.setdefault("403", http.HTTPStatus.FORBIDDEN.name)
            for code, response in responses.items():
                if str(code)[0] in "45" and _described_only(response):
                    response["content"] = {PROBLEM_JSON: {"schema": "Problem"}}


def _described_only(response: Any) -> bool:
    return isinstance(response, dict) and "content" not in response and "$ref" not in response


class ProblemApi(Api):
    """flask-smorest's Api, with every error response described as the problem+json it is."""

    ERROR_SCHEMA = ProblemSchema

    def _init_spec(self, **options: Any) -> None:
        options["extra_plugins"] = [*options.get("extra_plugins", ()), ErrorResponses()]
        super()._init_spec(**options)

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            self._register_problem(status.name, status.phrase, status >= 400)
        self._register_problem(self.DEFAULT_ERROR_RESPONSE_NAME, "Any other error", True)

    def _register_problem(self, name: str, description: str, with_body: bool) -> None:
        response: dict[str, Any] = {"description": description}
        if with_body:
            response["schema"] = self.ERROR_SCHEMA
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response(name, response, lazy=True)


def problem(status: int, title: str, detail: str, **extensions: Any) -> Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extensions}
    return Response(encoded(body), status=status, mimetype=PROBLEM_JSON)


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


# A write the store stopped answering may have been applied, in full or in part, before it
# stopped (a survey import had stored every elder when its households' insert timed out), and
# nothing here knows how far it got: the answer says so, rather than that nothing was applied.
NOT_APPLIED = "The database is unreachable; the request was not applied. Retry later."
CUT_OFF = (
    "The database stopped answering; the request may not have been applied, or only in part. "
    "Look at what it changes before sending it again."
)


def _from_store_outage(error: ConnectionFailure) -> Response:
    log.warning("store unavailable", extra={"error": str(error)})
    detail = NOT_APPLIED if request.method in ("GET", "HEAD", "OPTIONS") else CUT_OFF
    response = problem(503, "Service unavailable", detail)
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
