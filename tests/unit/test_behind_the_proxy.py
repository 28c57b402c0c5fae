"""Behind the district's proxy, an API records the client's address (the audit trail's `from`),
not the proxy's; it trusts only as many X-Forwarded-For entries as there are proxies."""

import logging

import pytest
from flask import request
from flask_smorest import Blueprint

from shared.config import Settings
from shared.web.app import create_service_app

PROXY = "172.18.0.5"


@pytest.fixture(autouse=True)
def keep_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def seen_from(hops: int, forwarded_for: str) -> dict[str, str]:
    blueprint = Blueprint("probe", __name__)

    @blueprint.route("/probe")
    def probe() -> dict[str, str]:
        return {"from": request.remote_addr or "", "scheme": request.scheme}

    settings = Settings(service="intake", proxy_hops=hops)
    app = create_service_app(settings, "Probe", [blueprint], {"db": None})
    answer = app.test_client().get(
        "/probe",
        headers={"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": PROXY},
    )
    return answer.get_json()


def test_behind_one_proxy_the_client_address_is_the_one_the_proxy_saw():
    assert seen_from(1, "203.0.113.7") == {"from": "203.0.113.7", "scheme": "https"}


def test_an_address_the_client_forwarded_itself_is_not_believed():
    assert seen_from(1, "198.51.100.1, 203.0.113.7")["from"] == "203.0.113.7"


def test_without_a_proxy_the_header_is_ignored():
    assert seen_from(0, "203.0.113.7") == {"from": PROXY, "scheme": "http"}


def test_the_number_of_proxies_comes_from_the_environment():
    assert Settings.from_env("visits", {"ELDERCARE_PROXY_HOPS": "1"}).proxy_hops == 1
    assert Settings.from_env("visits", {}).proxy_hops == 0
