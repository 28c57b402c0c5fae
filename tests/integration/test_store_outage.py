"""An API whose store is unreachable starts, answers 503 problem+json at once, and stays alive."""

from dataclasses import replace

from devstack.processes import free_port
from services.intake.bootstrap import bootstrap
from services.intake.entrypoints.app import create_app

CLERK = {"Authorization": "Bearer c"}


def test_a_store_outage_is_a_503_not_a_hang_or_a_500(settings):
    unreachable = replace(
        settings, mongo_url=f"mongodb://127.0.0.1:{free_port()}/", tokens="c:c:intake_clerk"
    )
    client = create_app(bootstrap(unreachable)).test_client()

    assert client.get("/healthz").status_code == 200  # liveness does not depend on the store
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json["checks"]["mongodb"].startswith("unreachable")
    assert ready.json["checks"]["kafka"] == "ok"

    answer = client.get("/elders/someone", headers=CLERK)
    assert answer.status_code == 503
    assert answer.content_type == "application/problem+json"
    assert answer.headers["Retry-After"] == "5"
    assert "not applied" in answer.json["detail"]
