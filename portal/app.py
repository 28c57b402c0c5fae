"""`create_app()`: the staff workbench, as gunicorn serves it.

Plain HTML forms that work without JavaScript; the vendored htmx adds inline checks. No
database: the signed session cookie holds the user's token, and every page reads and writes
through the services' APIs with it.
"""

from datetime import timedelta
from pathlib import Path

from babel.support import NullTranslations, Translations
from flask import Flask, Response, g, session
from flask_babel import Babel, get_translations
from flask_wtf.csrf import CSRFProtect

from portal import (
    activities,
    activity_figures,
    approvals,
    audit,
    auth,
    budgets,
    campaigns,
    community,
    courses,
    cycles,
    district,
    elder_actions,
    elders,
    errors,
    feedback,
    grid,
    help_requests,
    home,
    households,
    imports,
    inbound,
    inspections,
    overpayments,
    pairings,
    payments,
    plans,
    programmes,
    referrals,
    reorganisations,
    rosters,
    scorecards,
    service_contacts,
    staff,
    statements,
    statistics,
    teams,
    visit_rules,
    visits,
    volunteering,
)
from portal.config import PortalSettings
from portal.money import yuan
from portal.words import fact_choices
from shared.logs import configure_logging
from shared.web import health
from shared.web.headers import secure_page

LANGUAGES = {"zh_CN": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"

csrf = CSRFProtect()
babel = Babel()


def create_app(settings: PortalSettings | None = None) -> Flask:
    configure_logging("portal")
    settings = settings or PortalSettings.from_env()
    app = Flask("portal")
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_NAME="eldercare_portal",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        MAX_CONTENT_LENGTH=64 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        BABEL_DEFAULT_LOCALE=DEFAULT_LANGUAGE,
        BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS),
        READINESS_CHECKS={},
    )
    app.extensions["portal"] = settings
    app.before_request(imports.allow_large_surveys)  # before the CSRF check reads the body
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_language)
    _translate_templates_once_a_request(app)
    app.jinja_env.globals.update(
        languages=LANGUAGES, current_language=_language, fact_choices=fact_choices
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["yuan"] = yuan
    app.register_blueprint(health.blueprint)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(home.blueprint)
    app.register_blueprint(elders.blueprint)
    app.register_blueprint(elder_actions.blueprint)
    app.register_blueprint(households.blueprint)
    app.register_blueprint(grid.blueprint)
    app.register_blueprint(campaigns.blueprint)
    app.register_blueprint(reorganisations.blueprint)
    app.register_blueprint(visits.blueprint)
    app.register_blueprint(feedback.blueprint)
    app.register_blueprint(inspections.blueprint)
    app.register_blueprint(referrals.blueprint)
    app.register_blueprint(plans.blueprint)
    app.register_blueprint(budgets.blueprint)
    app.register_blueprint(scorecards.blueprint)
    app.register_blueprint(cycles.blueprint)
    app.register_blueprint(community.blueprint)
    app.register_blueprint(help_requests.blueprint)
    app.register_blueprint(pairings.blueprint)
    app.register_blueprint(activities.blueprint)
    app.register_blueprint(teams.blueprint)
    app.register_blueprint(courses.blueprint)
    app.register_blueprint(volunteering.blueprint)
    app.register_blueprint(activity_figures.blueprint)
    app.register_blueprint(imports.blueprint)
    app.register_blueprint(statistics.blueprint)
    app.register_blueprint(inbound.blueprint)
    app.register_blueprint(payments.blueprint)
    app.register_blueprint(rosters.blueprint)
    app.register_blueprint(overpayments.blueprint)
    app.register_blueprint(statements.blueprint)
    app.register_blueprint(approvals.blueprint)
    app.register_blueprint(staff.blueprint)
    app.register_blueprint(district.blueprint)
    app.register_blueprint(visit_rules.blueprint)
    app.register_blueprint(service_contacts.blueprint)
    app.register_blueprint(programmes.blueprint)
    app.register_blueprint(audit.blueprint)
    errors.register(app)
    app.context_processor(home.layout_context)
    app.after_request(_security_headers)
    return app


def _translate_templates_once_a_request(app: Flask) -> None:
    """The templates' `_()` and `ngettext()` with the request's translations looked up once:
    Flask-Babel looks them up again for every string (its context, the locale, the catalogue's
    key), which took a quarter of the workbench's CPU on a head's page of a hundred cards."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # jinja2.ext.i18n's
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )


def _translations() -> Translations | NullTranslations:
    found = g.get("translations")
    if found is None:
        found = g.translations = get_translations()
    return found


def _language() -> str:
    chosen = session.get("language")
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def _security_headers(response: Response) -> Response:
    return secure_page(response, "'self'")
