"""`create_app()`: visits' API, as gunicorn serves it."""

from flask import Flask

from services.visits.bootstrap import Visits, bootstrap
from services.visits.entrypoints.api import blueprint
from shared.web.app import create_service_app


def create_app(visits: Visits | None = None) -> Flask:
    visits = visits or bootstrap()
    return create_service_app(
        visits.settings,
        "Visits: obligations, visits and services",
        [blueprint],
        {"visits": visits, "db": visits.db},
    )
