"""The application factory every service's API is built with."""

import time
from collections.abc import Iterable

from flask import Flask, Response, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from shared import metrics
from shared.access_log_store import AccessLogStore
from shared.config import Settings
from shared.logs import configure_logging
from shared.mongo import ping, prepare_store
from shared.staff_access import TokenVersions
from shared.web import access_log, health, inputs, problems
from shared.web.auth import CurrentAccess, TokenSigner, parse_tokens
from shared.web.blueprint import Blueprint
from shared.web.json_answers import OrjsonProvider

MAX_REQUEST_BYTES = 1 * 1024 * 1024


def create_service_app(
    settings: Settings,
    title: str,
    blueprints: Iterable[Blueprint],
    extensions: dict[str, object],
    current_access: CurrentAccess | None = None,
) -> Flask:
    """A Flask app with problem+json errors, health, metrics, token auth and OpenAPI.

    `extensions` are the service's wired dependencies (from its bootstrap), reachable in views
    through `current_app.extensions`. `current_access` tells whether a signed token is still
    of its user's latest version; by default, as intake's events told the service's store.
    """
    configure_logging(settings.service)
    app = Flask(settings.service)
    app.json = OrjsonProvider(app)
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        PRINCIPALS=parse_tokens(settings.tokens),
        TOKEN_SIGNER=(
            TokenSigner(
                settings.secret_key, settings.token_ttl_seconds, settings.previous_secret_keys
            )
            if settings.secret_key
            else None
        ),
        CURRENT_ACCESS=current_access or _announced_access(extensions),
        READINESS_CHECKS={
            "mongodb": lambda: ping(extensions["db"]),  # type: ignore[arg-type]
            "kafka": health.kafka_reachable(settings.kafka_bootstrap),
        },
    )
    app.extensions.update(extensions)
    api = described(app, title)
    for blueprint in (*blueprints, access_log.blueprint):
        api.register_blueprint(blueprint)
    app.register_blueprint(health.blueprint)
    problems.register(app)
    inputs.register(app)
    _instrument(app, settings.service)
    if settings.proxy_hops:
        # The audit trail's `from` is the client's address, not the proxy's: trust as many
        # X-Forwarded-For entries as there are proxies, no more (a client may send its own).
        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    access_log.register(app, _access_log(extensions))
    return app


def _access_log(extensions: dict[str, object]) -> AccessLogStore | None:
    """The service's access log, in its store (none for an app listing its routes)."""
    if extensions.get("db") is None:
        return None
    store = AccessLogStore(extensions["db"])  # type: ignore[arg-type]
    prepare_store(store.create_indexes, wait=False)
    return store


def _announced_access(extensions: dict[str, object]) -> CurrentAccess | None:
    db = extensions.get("db")
    return TokenVersions.stored_in(db).current if db is not None else None  # type: ignore[arg-type]


def described(app: Flask, title: str) -> problems.ProblemApi:
    """The app's OpenAPI description at /openapi.json: bearer tokens, problem+json errors."""
    app.config.update(
        API_TITLE=title,
        API_VERSION="1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
    )
    api = problems.ProblemApi(app, spec_kwargs={"security": [{"bearerAuth": []}]})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    return api


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Cache-Control": "no-store",
}


def _instrument(app: Flask, service: str) -> None:
    @app.before_request
    def start_timer() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def record(response: Response) -> Response:
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        metrics.HTTP_REQUESTS.labels(
            service, request.method, endpoint, str(response.status_code)
        ).inc()
        metrics.HTTP_REQUEST_SECONDS.labels(service, request.method, endpoint).observe(
            time.perf_counter() - g.get("started", time.perf_counter())
        )
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        return response
