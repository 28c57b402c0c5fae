"""`create_app()`: visits' API, as gunicorn serves it."""

from flask import Flask

from services.visits.bootstrap import STORES, bootstrap
from services.visits.entrypoints import (
    activities_api,
    api,
    budgets_api,
    feedback_api,
    help_api,
    inspections_api,
    obligations_api,
    occasions_api,
    operations_api,
    plans_api,
    programmes_api,
    referrals_api,
    reports_api,
    scorecard_api,
    visits_api,
)
from services.visits.entrypoints.api import visits_app
from services.visits.service_layer.container import Visits
from shared.store_specs import audited
from shared.web.app import create_service_app
from shared.web.audit import audit_blueprint

TITLE = "Visits: obligations, visits and services"
BLUEPRINTS = [
    api.blueprint,
    obligations_api.blueprint,
    obligations_api.caseloads,
    visits_api.visits_blueprint,
    visits_api.services_blueprint,
    help_api.blueprint,
    feedback_api.feedback_blueprint,
    feedback_api.complaints_blueprint,
    inspections_api.blueprint,
    referrals_api.blueprint,
    plans_api.blueprint,
    scorecard_api.blueprint,
    budgets_api.blueprint,
    programmes_api.pairings_blueprint,
    programmes_api.campaigns_blueprint,
    operations_api.config_blueprint,
    operations_api.jobs_blueprint,
    operations_api.reminders_blueprint,
    reports_api.blueprint,
    activities_api.venues_blueprint,
    activities_api.teams_blueprint,
    activities_api.courses_blueprint,
    occasions_api.occasions_blueprint,
    occasions_api.service_blueprint,
    occasions_api.posts_blueprint,
    audit_blueprint(lambda: audited(visits_app().db, STORES)),
]


def create_app(visits: Visits | None = None) -> Flask:
    visits = visits or bootstrap()
    return create_service_app(
        visits.settings,
        TITLE,
        BLUEPRINTS,
        {"visits": visits, "db": visits.db},
    )
