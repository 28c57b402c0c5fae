"""The start page, the language switch, and what every page's layout needs."""

from typing import Any

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from portal.auth import requires, roles, safe_next, signed_in
from portal.menus import ROLE_NAMES, menu_for, menu_groups

blueprint = Blueprint("home", __name__)


@blueprint.get("/")
@requires()
def index() -> ResponseReturnValue:
    """Straight to the first page of the user's work, if their role has pages."""
    menu = menu_for(roles())
    if menu and "district_admin" not in roles():
        return redirect(url_for(menu[0].endpoint))
    return render_template("home.html", groups=menu_groups(roles()))


@blueprint.post("/language")
def language() -> ResponseReturnValue:
    from portal.app import LANGUAGES

    chosen = request.form.get("language", "")
    if chosen in LANGUAGES:
        session["language"] = chosen
    return redirect(safe_next(request.form.get("next")))


def layout_context() -> dict[str, Any]:
    held = roles() if signed_in() else frozenset()
    return {
        "signed_in": signed_in(),
        "user": session.get("user") if signed_in() else None,
        "menu": menu_for(held),
        "role_names": [ROLE_NAMES[r] for r in sorted(held) if r in ROLE_NAMES],
    }
