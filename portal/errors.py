"""Every error the workbench shows, handled in this one module: pages that do not exist, a
service that does not answer, and a sign-in that expired while the user worked."""

import logging

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.apis import ApiProblem, ServiceUnavailable, SignInNeeded
from portal.auth import send_to_sign_in
from portal.messages import in_language

log = logging.getLogger(__name__)


def _sign_in_again(error: SignInNeeded) -> ResponseReturnValue:
    return send_to_sign_in()


def _unavailable(error: ServiceUnavailable) -> ResponseReturnValue:
    log.warning("service unavailable", extra={"service": error.service, "error": error.detail})
    return render_template("errors/unavailable.html", service=error.service), 503


def _api_problem(error: ApiProblem) -> ResponseReturnValue:
    status = error.status if error.status in (403, 404, 409) else 400
    detail = in_language(error.detail)
    return render_template("errors/problem.html", problem=error, detail=detail), status


def _csrf(error: CSRFError) -> ResponseReturnValue:
    return render_template("errors/csrf.html"), 400


def _http(error: HTTPException) -> ResponseReturnValue:
    return render_template("errors/http.html", error=error), error.code or 500


def _unexpected(error: Exception) -> ResponseReturnValue:
    log.exception("unhandled error")
    return render_template("errors/http.html", error=None), 500


def register(app: Flask) -> None:
    app.register_error_handler(SignInNeeded, _sign_in_again)
    app.register_error_handler(ServiceUnavailable, _unavailable)
    app.register_error_handler(ApiProblem, _api_problem)
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(Exception, _unexpected)
