"""A worker answers the probes an API answers, beside its metrics, on its own port: alive while
the process runs; ready once it runs, with its store and broker reachable; not ready while it
starts or stops, or when its store is out of reach (`shared.worker_probes`)."""

from dataclasses import replace

from devstack.processes import free_port
from shared.mongo import connect, ping
from shared.worker import Worker
from shared.worker_probes import probes_app


def probes(worker: Worker):
    settings = worker.settings
    app = probes_app(
        settings.service, lambda: ping(worker.db), settings.kafka_bootstrap, worker.not_running
    )
    return app.test_client()


def test_a_worker_is_ready_once_it_runs_and_not_while_it_starts_or_stops(settings):
    worker = Worker(settings, connect(settings))
    client = probes(worker)
    assert client.get("/healthz").status_code == 200
    starting = client.get("/readyz")
    assert starting.status_code == 503 and starting.mimetype == "application/problem+json"
    assert starting.json["checks"] == {
        "mongodb": "ok",
        "kafka": "ok",
        "worker": "not ready: starting: preparing its store and topics",
    }
    assert "worker not ready" in starting.json["detail"]

    worker.started = True
    running = client.get("/readyz")
    assert (running.status_code, running.json["status"]) == (200, "ready")
    assert b"# TYPE" in client.get("/metrics").data  # Prometheus' text, as before

    worker.stop.set()
    stopping = client.get("/readyz")
    assert stopping.status_code == 503
    assert stopping.json["checks"]["worker"] == "not ready: stopping"
    assert client.get("/healthz").status_code == 200  # alive until the process ends


def test_a_worker_whose_store_is_out_of_reach_is_alive_but_not_ready(settings):
    away = replace(settings, mongo_url=f"mongodb://127.0.0.1:{free_port()}/")
    worker = Worker(away, connect(away))
    worker.started = True
    client = probes(worker)
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json["checks"]["mongodb"].startswith("unreachable")
    assert ready.json["checks"]["kafka"] == "ok"
