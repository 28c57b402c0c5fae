"""`create_app()`: intake's API, as gunicorn serves it."""

from flask import Flask

from services.intake.bootstrap import Intake, bootstrap
from services.intake.entrypoints.api import blueprint
from shared.web.app import create_service_app


def create_app(intake: Intake | None = None) -> Flask:
    intake = intake or bootstrap()
    return create_service_app(
        intake.settings,
        "Intake: the register of elders",
        [blueprint],
        {"intake": intake, "db": intake.db},
    )
