"""The workbench's calls to the services, against a small HTTP server on loopback: a page's
calls made at once come back in order, with the user's token, over connections kept alive
from one page to the next."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from flask import Flask, session

from portal.apis import Read, read_all
from portal.config import PortalSettings


class Service(ThreadingHTTPServer):
    """Answers every GET with its path and the token it was given; counts the connections it
    accepted."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Answer)
        self.connections = 0

    def get_request(self) -> Any:
        self.connections += 1
        return super().get_request()


class Answer(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keeps the connection open for the next call

    def do_GET(self) -> None:
        body = json.dumps(
            {"path": self.path, "token": self.headers.get("Authorization", "")}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def service() -> Iterator[Service]:
    server = Service()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def workbench(service: Service) -> Flask:
    app = Flask(__name__)
    app.secret_key = "k" * 32
    address = f"http://127.0.0.1:{service.server_address[1]}"
    app.extensions["portal"] = PortalSettings(secret_key="k" * 32, apis={"visits": address})
    return app


def test_a_pages_calls_come_back_in_order_with_the_users_token(workbench: Flask):
    with workbench.test_request_context():
        session["token"] = "t-1"
        answers = read_all([Read("visits", f"/n/{n}") for n in range(12)])
    assert [a["path"] for a in answers] == [f"/n/{n}" for n in range(12)]
    assert {a["token"] for a in answers} == {"Bearer t-1"}


def test_the_next_pages_calls_reuse_the_connections_kept_alive(workbench: Flask, service: Service):
    pages, calls = 20, 3
    for page in range(pages):
        with workbench.test_request_context():
            session["token"] = f"t-{page}"
            answers = read_all([Read("visits", f"/p/{page}/{n}") for n in range(calls)])
        assert [a["token"] for a in answers] == [f"Bearer t-{page}"] * calls
    # Threads made for each page opened a connection for each call: 60 here. Now each of the
    # workbench's calling threads keeps one open to the service.
    callers = [t for t in threading.enumerate() if t.name.startswith("service-call")]
    assert len(callers) < pages * calls
    assert service.connections <= len(callers), f"{service.connections} connections"
