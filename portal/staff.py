"""District administrator: staff accounts (intake's /users): every account with its roles and
community, a new account, and an account's roles, community or standing changed; a disabled
account can no longer sign in."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, Read, call, read_all
from portal.auth import kept_form, requires
from portal.forms import FormState
from portal.menus import ROLE_NAMES

blueprint = Blueprint("staff", __name__, url_prefix="/administration/users")
NEW_FIELDS = ("username", "password", "roles", "community", "mobile")
CHANGE_FIELDS = ("roles", "community", "mobile", "active")
LABELS = {
    "username": _l("the username"),
    "password": _l("a password"),
    "roles": _l("at least one role"),
    "community": _l("the community"),
    "mobile": _l("the mobile number"),
}
CHOICES = frozenset({"roles", "community"})
ALIASES = {f"roles.{n}": "roles" for n in range(len(ROLE_NAMES))}


def account(form: FormState) -> dict[str, Any]:
    """The body of intake's POST /users from what was typed; an empty community binds to none."""
    return {
        "username": form["username"],
        "password": form.get("password"),
        "roles": form.getlist("roles"),
        "community": form["community"] or None,
        "mobile": form["mobile"] or None,
    }


def change(form: FormState) -> dict[str, Any]:
    """The body of intake's PATCH /users/<username>: the roles, community, mobile number and
    standing shown."""
    return {
        "roles": form.getlist("roles"),
        "community": form["community"] or None,
        "mobile": form["mobile"] or None,
        "active": form.checked("active"),
    }


def communities_and_users() -> tuple[dict[str, str], list[dict[str, Any]]]:
    district, users = read_all([Read("intake", "/district"), Read("intake", "/users")])
    communities = {c["code"]: c.get("name") or c["code"] for c in district["communities"]}
    return communities, users


def index_page(form: FormState, status: int = 200) -> ResponseReturnValue:
    communities, users = communities_and_users()
    return (
        render_template(
            "staff/index.html",
            users=users,
            communities=communities,
            role_names=ROLE_NAMES,
            form=form,
        ),
        status,
    )


@blueprint.get("")
@requires()
def index() -> ResponseReturnValue:
    return index_page(FormState(kept_form() or MultiDict(), NEW_FIELDS))


@blueprint.post("")
@requires()
def create() -> ResponseReturnValue:
    form = FormState(request.form, NEW_FIELDS, ALIASES, LABELS, CHOICES)
    try:
        made = call("intake", "POST", "/users", json=account(form))
    except ApiProblem as problem:
        if problem.status == 409 and "username" not in problem.fields:
            problem.fields["username"] = [problem.detail]
        form.add_problem(problem)
        return index_page(form, 422)
    flash(_("The account %(user)s is created.", user=made["username"]), "success")
    return redirect(url_for("staff.index"))


def edit_page(username: str, form: FormState | None, status: int = 200) -> ResponseReturnValue:
    communities, users = communities_and_users()
    user = next((u for u in users if u["username"] == username), None)
    if user is None:
        abort(404)
    if form is None:
        values = [("roles", r) for r in user["roles"]] + [
            ("community", user["community"] or ""),
            ("mobile", user.get("mobile") or ""),
        ]
        active = [("active", "on")] if user["active"] else []
        form = FormState(MultiDict(values + active), CHANGE_FIELDS)
    return (
        render_template(
            "staff/edit.html",
            user=user,
            communities=communities,
            role_names=ROLE_NAMES,
            form=form,
        ),
        status,
    )


@blueprint.get("/<username>")
@requires()
def edit(username: str) -> ResponseReturnValue:
    kept = kept_form()
    return edit_page(username, FormState(kept, CHANGE_FIELDS) if kept else None)


@blueprint.post("/<username>")
@requires()
def save(username: str) -> ResponseReturnValue:
    form = FormState(request.form, CHANGE_FIELDS, ALIASES, LABELS, CHOICES)
    try:
        call("intake", "PATCH", f"/users/{username}", json=change(form))
    except ApiProblem as problem:
        form.add_problem(problem)
        return edit_page(username, form, 422)
    flash(_("The account %(user)s is changed.", user=username), "success")
    return redirect(url_for("staff.index"))
