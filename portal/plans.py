"""The community's yearly service plan on the workbench: the head sets the targets, each with
the person responsible, and sees the progress the records show, a bar for each; the district
administrator sees every community's plan and the district's roll-up."""

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from portal.activities import chosen_community
from portal.apis import ApiProblem, Read, call, read_all
from portal.auth import forbidden, requires, roles
from portal.communities import HEAD, may_see
from portal.elders import communities
from portal.forms import FormState, year_asked
from services.visits.domain.plans import MEASURES

blueprint = Blueprint("plans", __name__, url_prefix="/plans")


def plan_form(
    progress: list[dict[str, Any]], values: MultiDict[str, str] | None = None
) -> FormState:
    """One target and one person responsible for each measure; a measure left empty is not
    planned."""
    if values is None:
        values = MultiDict()
        for p in progress:
            values[f"target-{p['measure']}"] = f"{p['target']:g}"
            values[f"responsible-{p['measure']}"] = p["responsible"]
    fields = tuple(f"{kind}-{m}" for m in MEASURES for kind in ("target", "responsible"))
    return FormState(values, fields)


def plan_page(
    community: str, year: int, form: FormState | None, status: int = 200
) -> ResponseReturnValue:
    found, district = read_all(
        [Read("visits", f"/plans/{community}/{year}"), Read("visits", f"/plans/district/{year}")],
        problems_kept=True,
    )
    plan = None if isinstance(found, ApiProblem) else found
    progress = plan["progress"] if plan else []
    page = render_template(
        "plans/index.html",
        community=community,
        communities=communities(),
        year=year,
        plan=plan,
        district=None if isinstance(district, ApiProblem) else district,
        measures=MEASURES,
        form=form or plan_form(progress),
        setting=bool(roles() & {HEAD, "district_admin"}),
    )
    return page, status


@blueprint.get("")
@requires(HEAD, "visitor")
def index() -> ResponseReturnValue:
    community = chosen_community()
    if community and not may_see(community):
        return forbidden()
    year = year_asked()
    return plan_page(community, year, None)


@blueprint.post("")
@requires(HEAD)
def save() -> ResponseReturnValue:
    community = request.form.get("community", "")
    year = year_asked()
    if not may_see(community):
        return forbidden()
    form = plan_form([], request.form)
    targets = []
    for measure in MEASURES:
        typed, who = form[f"target-{measure}"], form[f"responsible-{measure}"]
        if not typed and not who:
            continue
        try:
            value = float(typed)
        except ValueError:
            form.add_error(f"target-{measure}", _("Enter the target as a number."))
            continue
        if not who:
            form.add_error(f"responsible-{measure}", _("Name the person responsible."))
        targets.append({"measure": measure, "target": value, "responsible": who})
    if form.has_errors:
        return plan_page(community, year, form, 422)
    body = {"targets": targets, "version": request.form.get("version", 0, type=int)}
    try:
        call("visits", "PUT", f"/plans/{community}/{year}", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return plan_page(community, year, form, problem.status)
    flash(_("The plan is saved."), "success")
    return redirect(url_for("plans.index", community=community, year=year))
