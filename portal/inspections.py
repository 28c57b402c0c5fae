"""Supervision (督促检查) on the workbench: the district administrator records an inspection of
a community with the corrections it requires; every open correction is followed up here, the
overdue first, and the community's head says how each was put right."""

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, Read, call, changed, read_all, today
from portal.auth import requires, roles
from portal.communities import HEAD, communities_listed
from portal.elders import community_names
from portal.forms import FormState

blueprint = Blueprint("inspections", __name__, url_prefix="/inspections")
FIELDS = ("community", "inspected_on", "inspectors", "findings", "corrections")
LABELS = {
    "community": _l("the community"),
    "inspected_on": _l("the day of the inspection"),
    "inspectors": _l("who inspected"),
    "findings": _l("what was found"),
    "corrections": _l("the corrections required"),
}
WEEKS_TO_PUT_RIGHT = 2  # a correction written without a date is due in two weeks


def required(text: str, inspected_on: date) -> list[dict[str, str]]:
    """The corrections, one a line, each perhaps ending in its due date (YYYY-MM-DD); without
    one, due two weeks after the inspection."""
    default = date.fromordinal(inspected_on.toordinal() + 7 * WEEKS_TO_PUT_RIGHT).isoformat()
    found = []
    for line in (ln.strip() for ln in text.splitlines()):
        if not line:
            continue
        what, _sep, last = line.rpartition(" ")
        if what and _is_day(last):
            found.append({"what": what.strip(), "due_on": last})
        else:
            found.append({"what": line, "due_on": default})
    return found


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def open_corrections(inspections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each open correction with its inspection, the overdue and soonest due first."""
    rows = [
        {**c, "inspection": i}
        for i in inspections
        for c in i["corrections"]
        if c["status"] == "open"
    ]
    return sorted(rows, key=lambda r: (not r["overdue"], r["due_on"]))


def inspections_page(form: FormState, status: int = 200) -> ResponseReturnValue:
    listed = communities_listed()
    asked: dict[str, Any] = {"open": "true", "page_size": 100}
    if listed:
        asked["community"] = listed[0]
    found, recent, district = read_all(
        [
            Read("visits", "/inspections", asked),
            Read("visits", "/inspections", {**asked, "open": "false", "page_size": 10}),
            Read("intake", "/district"),
        ]
    )
    names = community_names(district)
    page = render_template(
        "inspections/index.html",
        corrections=open_corrections(found["items"]),
        recent=recent["items"],
        names=names,
        form=form,
        recording="district_admin" in roles(),
        putting_right=bool(roles() & {HEAD, "district_admin"}),
    )
    return page, status


@blueprint.get("")
@requires(HEAD)
def index() -> ResponseReturnValue:
    values = MultiDict({"inspected_on": today().isoformat()})
    return inspections_page(FormState(values, FIELDS, labels=LABELS))


@blueprint.post("")
@requires()
def inspect() -> ResponseReturnValue:
    form = FormState(request.form, FIELDS, labels=LABELS, choices=frozenset({"community"}))
    if not form.require("community", "inspectors", "findings"):
        return inspections_page(form, 422)
    day = form["inspected_on"] or today().isoformat()
    if not _is_day(day):
        form.add_error("inspected_on", _("Enter the day as a date."))
        return inspections_page(form, 422)
    body = {
        "community": form["community"],
        "inspected_on": day,
        "inspectors": form["inspectors"],
        "findings": form["findings"],
        "corrections": required(form["corrections"], date.fromisoformat(day)),
    }
    try:
        call("visits", "POST", "/inspections", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return inspections_page(form, problem.status)
    flash(_("The inspection is recorded."), "success")
    return redirect(url_for("inspections.index"))


@blueprint.post("/<inspection_id>/corrections/<int:number>/done")
@requires(HEAD)
def put_right(inspection_id: str, number: int) -> ResponseReturnValue:
    how = request.form.get("how", "").strip()
    if not how:
        flash(_("Say how it was put right."), "warning")
        return redirect(url_for("inspections.index"))
    path = f"/inspections/{inspection_id}/corrections/{number}/done"
    changed(path, {"how": how}, _("The correction is put right."))
    return redirect(url_for("inspections.index"))
