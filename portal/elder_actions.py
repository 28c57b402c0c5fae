"""The pages of the changes to an elder's record (portal.elder_changes): GET shows the form
for the elder as they are now, POST sends it to intake with the version the user saw; intake's
errors stand beside their fields with what was typed kept, and success goes back to the
elder's page."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, Read, call, read_all
from portal.auth import forbidden, kept_form, requires, roles
from portal.elder_changes import ADMIN, BY_NAME, CLERK, Change, details_values, pending_correction
from portal.elders import card_categories_of, community_names, identity_of, today
from portal.forms import FormState
from portal.words import household_types, sexes, statuses
from shared.ages import age_on

blueprint = Blueprint("elder_actions", __name__, url_prefix="/elders")
STALE = 409


def change_named(name: str) -> Change:
    change = BY_NAME.get(name)
    if change is None:
        abort(404)
    return change


def may_make(change: Change) -> bool:
    return change.role in roles() or ADMIN in roles()


def action_page(
    change: Change, elder: dict[str, Any], district: dict[str, Any], form: FormState, status: int
) -> ResponseReturnValue:
    identity, _problem = identity_of(form["national_id"])
    pending = pending_correction(elder)
    return (
        render_template(
            change.page,
            change=change,
            elder=elder,
            form=form,
            offered=change.when(elder),
            communities=community_names(district),
            card_categories=card_categories_of(district),
            sexes=sexes(),
            household_types=household_types(),
            statuses=statuses(),
            identity=identity,
            age=age_on(identity.birth_date, today()) if identity else None,
            pending=pending,
            own=bool(pending and pending.get("proposed_by") == session.get("user")),
        ),
        status,
    )


def read_elder_and_district(elder_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    elder, district = read_all([Read("intake", f"/elders/{elder_id}"), Read("intake", "/district")])
    return elder, district


@blueprint.get("/<elder_id>/<name>")
@requires(CLERK, ADMIN)
def show(elder_id: str, name: str) -> ResponseReturnValue:
    change = change_named(name)
    if not may_make(change):
        return forbidden()
    elder, district = read_elder_and_district(elder_id)
    values = kept_form() or MultiDict(first_values(change, elder))
    values["version"] = str(elder["version"])
    return action_page(change, elder, district, change.form(values), 200)


def first_values(change: Change, elder: dict[str, Any]) -> list[tuple[str, str]]:
    if change.name == "details":
        return details_values(elder)
    if change.name == "card-reissue":
        return [("reason", _("lost"))]
    return []


@blueprint.post("/<elder_id>/<name>")
@requires(CLERK, ADMIN)
def send(elder_id: str, name: str) -> ResponseReturnValue:
    change = change_named(name)
    if not may_make(change):
        return forbidden()
    form = change.form(request.form)
    elder, district = read_elder_and_district(elder_id)
    change.check(form)
    if not form.has_errors:
        try:
            version = int(form["version"]) if form["version"].isdigit() else 0
            body = {**change.body(form, elder), "version": version}
            call("intake", change.method, f"/elders/{elder_id}{change.path}", json=body)
        except ApiProblem as problem:
            if problem.status in (403, 404) and not problem.fields:
                raise
            if problem.status == STALE:
                form.values["version"] = str(elder["version"])
            form.add_problem(problem)
        else:
            flash(str(change.done), "success")
            return redirect(url_for("elders.show", elder_id=elder_id))
    return action_page(change, elder, district, form, 422)
