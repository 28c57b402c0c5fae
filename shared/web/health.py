"""Liveness (the process answers) and readiness (its store and broker are reachable)."""

import socket
from collections.abc import Callable

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from shared.web.problems import problem

Check = Callable[[], None]  # raises when its dependency is not reachable


class NotReady(Exception):
    """A check's own reason for not being ready (a worker still starting), where any other
    error means its dependency is out of reach."""


blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> ResponseReturnValue:
    return jsonify(status="ok")


@blueprint.get("/readyz")
def readyz() -> ResponseReturnValue:
    checks: dict[str, Check] = current_app.config["READINESS_CHECKS"]
    results = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except NotReady as why:
            results[name] = f"not ready: {why}"
        except Exception as error:  # noqa: BLE001 - any failure means not ready
            results[name] = f"unreachable: {error}"
    if all(result == "ok" for result in results.values()):
        return jsonify(status="ready", checks=results)
    failing = "; ".join(f"{name} {result}" for name, result in results.items() if result != "ok")
    return problem(503, "Not ready", failing, checks=results)


@blueprint.get("/metrics")
def metrics() -> ResponseReturnValue:
    return generate_latest(), 200, {"Content-Type": CONTENT_TYPE_LATEST}


def kafka_reachable(bootstrap: str, timeout: float = 1.0) -> Check:
    """A TCP connection to any bootstrap server; the API itself only writes to MongoDB."""

    def check() -> None:
        errors = []
        for server in bootstrap.split(","):
            host, port = server.strip().rsplit(":", 1)
            try:
                socket.create_connection((host, int(port)), timeout=timeout).close()
                return
            except OSError as error:
                errors.append(f"{server}: {error}")
        raise ConnectionError("; ".join(errors))

    return check
