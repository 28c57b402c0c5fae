"""`create_app()`: intake's API, as gunicorn serves it."""

from flask import Flask

from services.intake.bootstrap import STORES, bootstrap
from services.intake.entrypoints import (
    api,
    auth_api,
    corrections_api,
    district_api,
    grid_api,
    households_api,
    inbound_api,
    jobs_api,
    priority_cards_api,
    reorganisations_api,
    reports_api,
    surveys_api,
    volunteers_api,
)
from services.intake.service_layer.container import Intake
from services.intake.service_layer.users import holds_current_token
from shared.store_specs import audited
from shared.web.app import create_service_app
from shared.web.audit import audit_blueprint

TITLE = "Intake: the register of elders"
BLUEPRINTS = [
    api.blueprint,
    corrections_api.blueprint,
    priority_cards_api.blueprint,
    volunteers_api.blueprint,
    households_api.blueprint,
    grid_api.blueprint,
    reorganisations_api.blueprint,
    households_api.of_elders,
    district_api.blueprint,
    surveys_api.blueprint,
    inbound_api.blueprint,
    auth_api.blueprint,
    jobs_api.blueprint,
    reports_api.blueprint,
    audit_blueprint(lambda: audited(api.intake().db, STORES)),
]


def create_app(intake: Intake | None = None) -> Flask:
    intake = intake or bootstrap()
    return create_service_app(
        intake.settings,
        TITLE,
        BLUEPRINTS,
        {"intake": intake, "db": intake.db},
        current_access=lambda signed_in: holds_current_token(intake, signed_in),
    )
