"""`create_app()`: allowances' API, as gunicorn serves it."""

from flask import Flask

from services.allowances.bootstrap import STORES, bootstrap
from services.allowances.entrypoints import (
    api,
    corrections_api,
    cycles_api,
    payees_api,
    programmes_api,
    reminders_api,
    reports_api,
    rosters_api,
    vouchers_api,
)
from services.allowances.service_layer.container import Allowances
from shared.store_specs import audited
from shared.web.app import create_service_app
from shared.web.audit import audit_blueprint

TITLE = "Allowances: programmes, cycles and payments"
BLUEPRINTS = [
    api.blueprint,
    programmes_api.blueprint,
    cycles_api.blueprint,
    corrections_api.blueprint,
    vouchers_api.blueprint,
    payees_api.blueprint,
    rosters_api.blueprint,
    reports_api.blueprint,
    reminders_api.blueprint,
    reminders_api.jobs_blueprint,
    audit_blueprint(lambda: audited(api.allowances().db, STORES)),
]


def create_app(allowances: Allowances | None = None) -> Flask:
    allowances = allowances or bootstrap()
    return create_service_app(
        allowances.settings,
        TITLE,
        BLUEPRINTS,
        {"allowances": allowances, "db": allowances.db},
    )
