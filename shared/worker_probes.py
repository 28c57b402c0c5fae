"""A worker's own HTTP endpoint (`METRICS_PORT`): `/metrics` for Prometheus, and the probes the
APIs answer too (`shared.web.health`): `/healthz`, the process answers; `/readyz`, its store and
broker are reachable and the worker is running (its store prepared, its threads started, not
stopping). An orchestrator restarts a worker whose liveness fails and shows one that is not
ready; a worker whose thread failed exits by itself (`shared.worker`)."""

import threading
from collections.abc import Callable

from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from shared.web import health

Running = Callable[[], str | None]  # why the worker is not running yet, or None when it is


def probes_app(
    service: str, ping_store: Callable[[], None], bootstrap: str, running: Running
) -> Flask:
    app = Flask(f"{service}-worker")

    def worker_running() -> None:
        why = running()
        if why is not None:
            raise health.NotReady(why)

    app.config["READINESS_CHECKS"] = {
        "mongodb": ping_store,
        "kafka": health.kafka_reachable(bootstrap),
        "worker": worker_running,
    }
    app.register_blueprint(health.blueprint)
    return app


class _Unlogged(WSGIRequestHandler):
    """A probe every few seconds is no news: requests are counted in metrics, not logged."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def serve_probes(app: Flask, port: int, host: str = "0.0.0.0") -> None:
    """Answer on `port` from a thread of its own, for as long as the process runs."""
    server = make_server(host, port, app, threaded=True, request_handler=_Unlogged)
    threading.Thread(target=server.serve_forever, name="probes", daemon=True).start()
