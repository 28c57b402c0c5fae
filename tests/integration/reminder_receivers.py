"""HTTP servers on loopback that stand for the reminder channels' receivers (a webhook, a
WeCom group robot, an SMS gateway): each keeps what it is sent and answers as told."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Receiver:
    """An HTTP server on loopback that keeps what it is sent and answers as told."""

    def __init__(self, answer: dict, status: int = 200) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.answer, self.status = answer, status
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                answer = json.dumps(receiver.answer).encode()
                self.send_response(receiver.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def bodies(self) -> list[dict]:
        return [json.loads(body) for _, body in self.received]


@pytest.fixture
def receivers() -> Iterator[dict[str, Receiver]]:
    found = {
        "webhook": Receiver({"ok": True}),
        "wecom": Receiver({"errcode": 0, "errmsg": "ok"}),
        "sms": Receiver({"Code": "OK", "Message": "OK"}),
    }
    yield found
    for receiver in found.values():
        receiver.server.shutdown()
        receiver.server.server_close()
