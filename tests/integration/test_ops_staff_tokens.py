"""The operator console accepts the signed tokens of operators and the district administrator
who signed in with intake, and refuses one that intake revoked."""

import threading

import pytest
import requests
from werkzeug.serving import make_server

from devstack.processes import free_port
from ops.config import ConsoleSettings, ServiceEndpoints
from ops.entrypoints.app import create_app as console_app
from ops.service_layer.console import Console
from services.intake.bootstrap import bootstrap
from services.intake.entrypoints.app import create_app as intake_app
from services.intake.service_layer.users import create_user
from shared.clock import SystemClock
from shared.web.auth import ADMIN


@pytest.fixture
def intake_url(settings):
    intake = bootstrap(settings)
    create_user(intake, "root", "correct horse battery", [ADMIN], None)
    create_user(intake, "wang", "wang's long password", ["operator"], None)
    create_user(intake, "zhao", "zhao's long password", ["visitor"], None)
    port = free_port()
    server = make_server("127.0.0.1", port, intake_app(intake), threaded=True)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join()
    intake.db.client.drop_database(intake.db.name)


@pytest.fixture
def console(settings, intake_url):
    endpoints = ServiceEndpoints("intake", intake_url, f"{intake_url}/metrics")
    own = ConsoleSettings(
        kafka_bootstrap=settings.kafka_bootstrap,
        services=(endpoints,),
        secret_key=settings.secret_key,
    )
    return console_app(Console(own, SystemClock())).test_client()


def token_of(intake_url, username, password):
    answer = requests.post(
        f"{intake_url}/auth/token", json={"username": username, "password": password}, timeout=10
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_operators_and_the_administrator_use_their_signed_tokens(console, intake_url):
    operator = token_of(intake_url, "wang", "wang's long password")
    assert console.get("/api/health", headers=operator).status_code == 200
    admin = token_of(intake_url, "root", "correct horse battery")
    assert console.get("/api/health", headers=admin).status_code == 200
    visitor = token_of(intake_url, "zhao", "zhao's long password")
    assert console.get("/api/health", headers=visitor).status_code == 403


def test_a_token_intake_revoked_is_refused(console, intake_url):
    operator = token_of(intake_url, "wang", "wang's long password")
    assert requests.post(f"{intake_url}/auth/sign-out", headers=operator, timeout=10).ok
    refused = console.get("/api/health", headers=operator)
    assert refused.status_code == 401 and "revoked" in refused.json["detail"]


def test_without_the_key_the_console_knows_only_its_configured_tokens(settings, intake_url):
    endpoints = ServiceEndpoints("intake", intake_url, f"{intake_url}/metrics")
    keyless = ConsoleSettings(kafka_bootstrap=settings.kafka_bootstrap, services=(endpoints,))
    console = console_app(Console(keyless, SystemClock())).test_client()
    operator = token_of(intake_url, "wang", "wang's long password")
    assert console.get("/api/health", headers=operator).status_code == 401
