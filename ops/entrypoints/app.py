"""`create_app()`: the operator console on the web, as gunicorn serves it.

One page (`/`) refreshes itself from the JSON API under `/api/`. The page holds no data and
needs no token; every API call needs a bearer token of the `operator` role (or the district
administrator's), which the page asks for once and keeps for the browser tab. Dead letters
carry personal data, so nothing is cached and nothing is loaded from anywhere else.
"""

import secrets
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, request
from flask.typing import ResponseReturnValue
from kafka.errors import KafkaError

from ops.adapters.access_log_file import AccessLogFile
from ops.bootstrap import bootstrap
from ops.domain.dead_letters import State
from ops.entrypoints import schemas, views
from ops.entrypoints.page import render_page
from ops.entrypoints.staff_tokens import IntakeConfirmation
from ops.service_layer.console import Console
from shared.errors import RuleViolation
from shared.logs import configure_logging
from shared.web import access_log, health, problems
from shared.web.access_log import logs_access, note_access
from shared.web.app import described
from shared.web.auth import ADMIN, TokenSigner, parse_tokens, requires
from shared.web.blueprint import Blueprint
from shared.web.headers import secure_page

OPERATOR = "operator"
MAX_NOTE = 500

api = Blueprint("ops", __name__, description="Queues, dead letters and health")
HTML = {"text/html": {"schema": {"type": "string"}}}
JSON_BODY = {"application/json": {"schema": {"type": "object"}}}


def query(name: str, description: str, **schema: object) -> dict[str, object]:
    return {"in": "query", "name": name, "description": description, "schema": schema}


def body(schema: type) -> dict[str, object]:
    """A JSON body that may be left out; read by the view itself, which says what is wrong."""
    return {"required": False, "content": {"application/json": {"schema": schema}}}


def create_app(console: Console | None = None) -> Flask:
    configure_logging("ops")
    console = console or bootstrap()
    app = Flask("ops")
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.config.update(
        MAX_CONTENT_LENGTH=64 * 1024,
        PRINCIPALS=parse_tokens(console.settings.tokens),
        **_signed_staff_tokens(console),
        READINESS_CHECKS={"kafka": health.kafka_reachable(console.settings.kafka_bootstrap)},
    )
    app.extensions["console"] = console
    app.register_blueprint(health.blueprint)
    console_api = described(app, "Eldercare operator console")
    console_api.register_blueprint(api)
    console_api.register_blueprint(access_log.blueprint)
    problems.register(app)
    app.register_error_handler(KafkaError, _kafka_unavailable)
    app.after_request(_security_headers)
    access_log.register(app, AccessLogFile(console.settings.access_log))
    return app


def _signed_staff_tokens(console: Console) -> dict[str, object]:
    """With the district's key, staff who signed in with intake (operators, the district
    administrator) use the console with their own token, as long as intake confirms it."""
    settings = console.settings
    if not settings.secret_key:
        return {}
    signer = TokenSigner(
        settings.secret_key, settings.token_ttl_seconds, settings.previous_secret_keys
    )
    confirmation = IntakeConfirmation(settings.intake_api, settings.timeout_seconds)
    return {"TOKEN_SIGNER": signer, "CURRENT_ACCESS": confirmation.current}


def _console() -> Console:
    return current_app.extensions["console"]


@api.get("/")
@api.doc(security=[], responses={200: {"description": "The console page", "content": HTML}})
def page() -> ResponseReturnValue:
    g.nonce = secrets.token_urlsafe(18)
    html = render_page(g.nonce, _console().settings.refresh_seconds)
    return Response(html, mimetype="text/html")


@api.get("/api/overview")
@requires(OPERATOR)
@api.response(200, schemas.OverviewSchema)
def overview() -> ResponseReturnValue:
    if _reads_numbers():
        note_access("dead_letter")
    return jsonify(views.overview(_console().overview(), unmasked=_reads_numbers()))


@api.get("/api/lag")
@requires(OPERATOR)
@api.doc(parameters=[query("group", "Only these groups (repeat)", type="string")])
@api.response(200, schemas.GroupLagSchema(many=True))
def lag() -> ResponseReturnValue:
    groups = request.args.getlist("group") or None
    return jsonify([views.group_lag(group) for group in _console().lag(groups)])


@api.get("/api/dead-letters")
@requires(OPERATOR)
@api.doc(
    parameters=[
        query("state", "Default: open", type="string", enum=[*(s.value for s in State), "all"]),
        query("service", "Only this service's", type="string"),
    ]
)
@api.response(200, schemas.DeadLetterSchema(many=True))
@api.alt_response(422, description="An unknown state")
@logs_access("dead_letter")
def dead_letters() -> ResponseReturnValue:
    state_name = request.args.get("state", State.OPEN.value)
    if state_name not in {*(s.value for s in State), "all"}:
        raise RuleViolation("state is one of open, replayed, discarded, all.", state=state_name)
    state = None if state_name == "all" else State(state_name)
    letters = _console().dead_letters(request.args.get("service") or None, state)
    return jsonify([views.dead_letter(letter, unmasked=_reads_numbers()) for letter in letters])


@api.get("/api/dead-letters/<dead_letter_id>")
@requires(OPERATOR)
@api.response(200, schemas.DeadLetterSchema)
@api.alt_response(404, description="No such dead letter")
@logs_access("dead_letter", "dead_letter_id")
def dead_letter(dead_letter_id: str) -> ResponseReturnValue:
    letter = _console().dead_letter(dead_letter_id)
    return jsonify(views.dead_letter(letter, full=True, unmasked=_reads_numbers()))


@api.post("/api/dead-letters/<dead_letter_id>/replay")
@requires(OPERATOR)
@api.response(200, schemas.DeadLetterSchema)
@api.alt_response(404, description="No such dead letter")
@api.alt_response(409, description="Already replayed or discarded")
@logs_access("dead_letter_replay", "dead_letter_id")
def replay(dead_letter_id: str) -> ResponseReturnValue:
    replayed = _console().replay(dead_letter_id, g.principal.user)
    return jsonify(views.dead_letter(replayed))


@api.post("/api/dead-letters/<dead_letter_id>/discard")
@requires(OPERATOR)
@api.doc(requestBody=body(schemas.NoteSchema))
@api.response(200, schemas.DeadLetterSchema)
@api.alt_response(404, description="No such dead letter")
@api.alt_response(409, description="Already replayed or discarded")
@api.alt_response(422, description="Not a JSON object, or a note too long")
@logs_access("dead_letter_discard", "dead_letter_id")
def discard(dead_letter_id: str) -> ResponseReturnValue:
    note = _text(_body().get("note", ""), "note")
    discarded = _console().discard(dead_letter_id, g.principal.user, note)
    return jsonify(views.dead_letter(discarded))


@api.post("/api/dead-letters/replay")
@requires(OPERATOR)
@api.doc(requestBody=body(schemas.ReplayAllSchema))
@api.response(200, schemas.ReplayOutcomeSchema(many=True))
@api.alt_response(422, description="Not a JSON object, or a field too long")
@logs_access("dead_letter_replay")
def replay_all() -> ResponseReturnValue:
    body = _body()
    service = _text(body.get("service", ""), "service") or None
    reason = _text(body.get("reason", ""), "reason")
    outcomes = _console().replay_all(g.principal.user, service, reason)
    return jsonify([views.replay_outcome(o) for o in outcomes])


@api.get("/api/outbox")
@requires(OPERATOR)
@api.response(200, schemas.BacklogSchema(many=True))
def outbox() -> ResponseReturnValue:
    return jsonify([views.backlog(b) for b in _console().outbox()])


@api.get("/api/health")
@requires(OPERATOR)
@api.response(200, schemas.ComponentSchema(many=True))
def component_health() -> ResponseReturnValue:
    return jsonify([views.component(c) for c in _console().health()])


def _reads_numbers() -> bool:
    """Operators see ID numbers and phones masked; the district administrator, who may
    correct the register, reads them in full."""
    return ADMIN in g.principal.roles


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise RuleViolation("Send a JSON object.")
    return body


def _text(value: object, field: str) -> str:
    if not isinstance(value, str) or len(value) > MAX_NOTE:
        raise RuleViolation(f"{field} must be text of at most {MAX_NOTE} characters.", field=field)
    return value.strip()


def _kafka_unavailable(error: KafkaError) -> Response:
    response = problems.problem(
        503,
        "Kafka unavailable",
        f"The broker did not answer ({type(error).__name__}); nothing was changed. Retry later.",
    )
    response.headers["Retry-After"] = "5"
    return response


def _security_headers(response: Response) -> Response:
    nonce = g.get("nonce")
    return secure_page(response, f"'nonce-{nonce}'" if nonce else "'none'")
