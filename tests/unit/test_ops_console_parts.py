"""The console's parts that need no servers: configuration, tables, metrics parsing, the page."""

import json
import re

import pytest
from factories import AT

from ops.adapters.endpoints import failure_counts, outbox_backlog
from ops.config import ConsoleSettings, ServiceEndpoints
from ops.domain.health import FailureCount, OutboxBacklog
from ops.entrypoints.app import create_app
from ops.entrypoints.cli import table
from ops.service_layer.console import Console
from shared.clock import FixedClock


def test_configuration_defaults_to_what_devstack_runs(tmp_path):
    settings = ConsoleSettings.from_env({"ELDERCARE_RUN_DIR": str(tmp_path)})
    assert settings.kafka_bootstrap == "127.0.0.1:9092"
    assert settings.services[0] == ServiceEndpoints(
        "intake", "http://127.0.0.1:8001", "http://127.0.0.1:9101/metrics"
    )
    assert settings.groups == ("eldercare-intake", "eldercare-visits", "eldercare-allowances")


def test_configuration_follows_a_running_devstack_then_the_environment(tmp_path):
    state = {
        "bootstrap": "127.0.0.1:19092",
        "ports": {"apis": {"visits": 18002}, "metrics": {"visits": 19102}},
    }
    (tmp_path / "state.json").write_text(json.dumps(state))
    from_state = ConsoleSettings.from_env({"ELDERCARE_RUN_DIR": str(tmp_path)})
    assert from_state.kafka_bootstrap == "127.0.0.1:19092"
    visits = from_state.services[1]
    assert (visits.api, visits.metrics) == (
        "http://127.0.0.1:18002",
        "http://127.0.0.1:19102/metrics",
    )

    from_env = ConsoleSettings.from_env(
        {
            "ELDERCARE_RUN_DIR": str(tmp_path),
            "KAFKA_BOOTSTRAP_SERVERS": "k:9092",
            "OPS_APIS": "visits=http://v:8000",
            "OPS_WORKER_METRICS": "visits=http://v:9100/metrics",
            "OPS_CONSUMER_GROUPS": "eldercare-visits, other",
        }
    )
    assert from_env.kafka_bootstrap == "k:9092"
    assert from_env.services == (
        ServiceEndpoints("visits", "http://v:8000", "http://v:9100/metrics"),
    )
    assert from_env.groups == ("eldercare-visits", "other")
    with pytest.raises(ValueError, match="service=URL"):
        ConsoleSettings.from_env({"OPS_APIS": "visits"})


def test_tables_align_columns_counting_chinese_characters_as_two():
    lines = table(["NAME", "LAG"], [["王秀英", 3], ["li", 12]]).splitlines()
    assert lines == ["NAME    LAG", "王秀英  3", "li      12"]
    assert table(["A"], []).splitlines()[-1] == "(none)"


def test_outbox_backlog_and_failures_are_read_from_a_workers_metrics():
    exposition = "\n".join(
        [
            "# HELP eldercare_outbox_backlog_documents Documents holding events not yet published",
            "# TYPE eldercare_outbox_backlog_documents gauge",
            'eldercare_outbox_backlog_documents{collection="volunteers",service="intake"} 0.0',
            'eldercare_outbox_backlog_documents{collection="elders",service="intake"} 4.0',
            "# TYPE eldercare_events_published_total counter",
            'eldercare_events_published_total{service="intake",topic="t"} 9.0',
            "# TYPE eldercare_event_failures_total counter",
            'eldercare_event_failures_total{error="AutoReconnect",service="intake",topic="t"} 3.0',
            'eldercare_event_failures_total{error="ValueError",service="intake",topic="t"} 0.0',
            "# TYPE eldercare_outbox_publish_failures_total counter",
            'eldercare_outbox_publish_failures_total{service="intake"} 2.0',
            "",
        ]
    )
    assert failure_counts("intake", exposition) == (
        FailureCount("intake", "handling t", "AutoReconnect", 3),
        FailureCount("intake", "publishing the outbox", "", 2),
    )
    assert outbox_backlog("intake", exposition) == (
        OutboxBacklog("intake", "elders", 4),
        OutboxBacklog("intake", "volunteers", 0),
    )
    assert outbox_backlog("visits", "") == ()


OPERATOR_TOKEN, HOSPITAL_TOKEN = "o" * 32, "h" * 32  # fixed: the console's, another system's


@pytest.fixture
def client():
    settings = ConsoleSettings(
        kafka_bootstrap="127.0.0.1:9",
        services=(ServiceEndpoints("visits", "http://127.0.0.1:9", "http://127.0.0.1:9/m"),),
        tokens=f"{OPERATOR_TOKEN}:wang:operator,{HOSPITAL_TOKEN}:hospital:integration",
        refresh_seconds=7,
    )
    return create_app(Console(settings, FixedClock(AT))).test_client()


def test_the_page_is_self_contained_and_sent_with_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    policy = response.headers["Content-Security-Policy"]
    nonce = re.search(r"script-src 'nonce-([^']+)'", policy).group(1)
    assert f'<script nonce="{nonce}">' in html and f'<style nonce="{nonce}">' in html
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert client.get("/").headers["Content-Security-Policy"] != policy  # a nonce per response
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "nothing from elsewhere"
    assert 'data-refresh="7"' in html
    assert ".innerHTML" not in html  # everything is drawn as text


def test_the_api_needs_an_operator(client):
    anonymous = client.get("/api/overview")
    assert anonymous.status_code == 401
    assert anonymous.headers["Content-Type"] == "application/problem+json"
    hospital = client.get(
        "/api/dead-letters", headers={"Authorization": f"Bearer {HOSPITAL_TOKEN}"}
    )
    assert hospital.status_code == 403
    assert "operator" in hospital.json["detail"]
    bad_note = client.post(
        "/api/dead-letters/eldercare.deadletter.visits:0:1/discard",
        json={"note": 5},
        headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"},
    )
    assert bad_note.status_code == 422 and "note" in bad_note.json["detail"]
    assert client.get("/healthz").json == {"status": "ok"}


def test_the_console_signs_in_to_the_broker_as_devstack_or_the_environment_says(tmp_path):
    signed_in = {
        "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "KAFKA_SASL_USERNAME": "operator",
        "KAFKA_SASL_PASSWORD": "from-devstack",
        "KAFKA_SSL_CAFILE": "/ca.pem",
    }
    state = {"bootstrap": "127.0.0.1:19092", "kafka_env": signed_in}
    (tmp_path / "state.json").write_text(json.dumps(state))
    options = ConsoleSettings.from_env({"ELDERCARE_RUN_DIR": str(tmp_path)}).kafka_options()
    assert options["bootstrap_servers"] == "127.0.0.1:19092"
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert (options["sasl_plain_username"], options["sasl_plain_password"]) == (
        "operator",
        "from-devstack",
    )
    assert (options["ssl_cafile"], options["ssl_check_hostname"]) == ("/ca.pem", True)

    overridden = ConsoleSettings.from_env(
        {"ELDERCARE_RUN_DIR": str(tmp_path), "KAFKA_SASL_PASSWORD": "from-env"}
    ).kafka_options()
    assert overridden["sasl_plain_password"] == "from-env"
    plain = ConsoleSettings.from_env({"ELDERCARE_RUN_DIR": str(tmp_path / "none")})
    assert plain.kafka_options() == {
        "bootstrap_servers": "127.0.0.1:9092",
        "security_protocol": "PLAINTEXT",
    }
