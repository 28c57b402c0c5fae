"""`create_app()`: allowances' API, as gunicorn serves it."""

from flask import Flask

from services.allowances.bootstrap import Allowances, bootstrap
from services.allowances.entrypoints.api import blueprint
from shared.web.app import create_service_app


def create_app(allowances: Allowances | None = None) -> Flask:
    allowances = allowances or bootstrap()
    return create_service_app(
        allowances.settings,
        "Allowances: programmes, cycles and payments",
        [blueprint],
        {"allowances": allowances, "db": allowances.db},
    )
