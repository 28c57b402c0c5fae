"""The pages of the changes to an elder's record (portal.elder_changes): GET shows the form
for the elder as they are now, POST sends it to intake with the version the user saw; intake's
errors stand beside their fields with what was typed kept, and success goes back to the
elder's page."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, Read, call, read_all, today
from portal.auth import forbidden, kept_form, requires, roles
from portal.elder_changes import ADMIN, BY_NAME, CLERK, Change, details_values, pending_correction
from portal.elders import card_categories_of, community_names, identity_of
from portal.forms import FormState
from portal.words import assessment_scales, household_types, sexes, statuses
from shared.ages import age_on

blueprint = Blueprint("elder_actions", __name__, url_prefix="/elders")
STALE = 409
ReadForChange = tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]


def change_named(name: str) -> Change:
    change = BY_NAME.get(name)
    if change is None:
        abort(404)
    return change


def may_make(change: Change) -> bool:
    return change.role in roles() or ADMIN in roles()


def action_page(
    change: Change, read: ReadForChange, form: FormState, status: int
) -> ResponseReturnValue:
    elder, district, other = read
    identity, _problem = identity_of(form["national_id"])
    pending = pending_correction(elder)
    return (
        render_template(
            change.page,
            change=change,
            elder=elder,
            other=other,
            form=form,
            offered=change.when(elder) and (other is not None or not change.compared),
            communities=community_names(district),
            card_categories=card_categories_of(district),
            sexes=sexes(),
            household_types=household_types(),
            statuses=statuses(),
            scales=assessment_scales(),
            identity=identity,
            age=age_on(identity.birth_date, today()) if identity else None,
            pending=pending,
            own=bool(pending and pending.get("proposed_by") == session.get("user")),
        ),
        status,
    )


def read_for_change(elder_id: str, change: Change, form: FormState) -> ReadForChange:
    """The elder, the district and, for a change that compares records, the other record if
    intake lists it as possibly the same person (else None)."""
    other_id = form[change.compared] if change.compared else ""
    reads = [Read("intake", f"/elders/{elder_id}"), Read("intake", "/district")]
    elder, district, *others = read_all(
        reads + ([Read("intake", f"/elders/{other_id}")] if other_id else []), problems_kept=True
    )
    for answer in (elder, district):
        if isinstance(answer, ApiProblem):
            raise answer
    other = others[0] if others and not isinstance(others[0], ApiProblem) else None
    return elder, district, other if other_id in (elder.get("possible_duplicates") or ()) else None


@blueprint.get("/<elder_id>/<name>")
@requires(CLERK, ADMIN)
def show(elder_id: str, name: str) -> ResponseReturnValue:
    change = change_named(name)
    if not may_make(change):
        return forbidden()
    kept = kept_form()
    values = kept or MultiDict(asked_for(change))
    read = read_for_change(elder_id, change, change.form(values))
    elder = read[0]
    if kept is None:
        values.update(first_values(change, elder))
    values["version"] = str(elder["version"])
    return action_page(change, read, change.form(values), 200)


def asked_for(change: Change) -> list[tuple[str, str]]:
    """The form's fields that the address fills in (the record compared, from its link)."""
    return [(name, request.args[name]) for name in change.fields if name in request.args]


def first_values(change: Change, elder: dict[str, Any]) -> list[tuple[str, str]]:
    if change.name == "details":
        return details_values(elder)
    if change.name in ("card-reissue", "priority-card-reissue"):
        return [("reason", _("lost"))]
    if change.name == "assessment":
        return [("assessed_on", today().isoformat())]
    return []


@blueprint.post("/<elder_id>/<name>")
@requires(CLERK, ADMIN)
def send(elder_id: str, name: str) -> ResponseReturnValue:
    change = change_named(name)
    if not may_make(change):
        return forbidden()
    form = change.form(request.form)
    read = read_for_change(elder_id, change, form)
    elder = read[0]
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
    return action_page(change, read, form, 422)
