"""Households (户): a community's households by type, and one household with its elders and
other residents, its type and why; the clerk sets the type by hand with a reason or gives it
back to the rules, records who else lives there, enrols the household in home care (居家养老户)
or ends it, and gives an elder a household of their own where the grouping put them wrongly."""

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, call
from portal.auth import forbidden, kept_form, requires, roles
from portal.communities import community_asked, may_see
from portal.elders import CLERK, READERS, communities
from portal.forms import FormState
from portal.paging import PAGE_SIZE, Pages, requested_page
from portal.words import (
    grid_kinds,
    household_departures,
    household_type_sources,
    household_types,
    marital_statuses,
    relations,
)

blueprint = Blueprint("households", __name__, url_prefix="/households")
PLACERS = (CLERK, "community_head")  # who place a household in a building of the grid
TYPE_FIELDS = ("household_type", "reason")
RESIDENT_FIELDS = ("name", "relation", "birth_year")
CARE_FIELDS = ("since", "on")
PLACE_FIELDS = ("cell_id",)
LABELS = {
    "household_type": _l("the household's type"),
    "reason": _l("why the rules' type does not hold"),
    "name": _l("the resident's name"),
    "relation": _l("the relation"),
    "birth_year": _l("the year of birth"),
    "since": _l("the day home care begins"),
    "on": _l("the day home care ends"),
    "cell_id": _l("the building or courtyard"),
}
CHOICES = frozenset({"household_type", "relation", "cell_id"})


def forms(values: MultiDict[str, str] | None = None) -> dict[str, FormState]:
    kept = values or kept_form() or MultiDict()
    return {
        "type": FormState(kept, TYPE_FIELDS, labels=LABELS, choices=CHOICES),
        "resident": FormState(kept, RESIDENT_FIELDS, labels=LABELS, choices=CHOICES),
        "care": FormState(kept, CARE_FIELDS, labels=LABELS),
        "place": FormState(kept, PLACE_FIELDS, labels=LABELS, choices=CHOICES),
    }


def household_page(
    household_id: str, states: dict[str, FormState], status: int = 200
) -> ResponseReturnValue:
    household = call("intake", "GET", f"/households/{household_id}")
    if not may_see(household["community"]):
        return forbidden()
    if not states["place"].get("cell_id"):
        states["place"].values["cell_id"] = household.get("cell_id") or ""
    return (
        render_template(
            "households/show.html",
            household=household,
            forms=states,
            may_change=CLERK in roles() and household["status"] == "active",
            may_place=bool(roles() & {*PLACERS, "district_admin"})
            and household["status"] == "active",
            homes=homes_of(household["community"]),
            communities=communities(),
            household_types=household_types(),
            settable=settable_types(),
            sources=household_type_sources(),
            relations=relations(),
            marital_statuses=marital_statuses(),
            departures=household_departures(),
        ),
        status,
    )


def homes_of(community: str) -> dict[str, str]:
    """The community's buildings and courtyards a household may be placed in, id -> name."""
    found = call("intake", "GET", "/grid", params={"community": community, "page_size": 100})
    kinds = grid_kinds()
    return {
        c["cell_id"]: f"{c['name']}（{kinds.get(c['kind'], c['kind'])}）"
        for c in found["items"]
        if c["kind"] != "group"
    }


def settable_types() -> dict[str, str]:
    """The types staff may set by hand: every one but "unknown"."""
    return {k: v for k, v in household_types().items() if k != "unknown"}


@blueprint.get("")
@requires(*READERS)
def index() -> ResponseReturnValue:
    """A community's households, by type, a page at a time."""
    community = community_asked()
    if community and not may_see(community):
        return forbidden()
    kind = request.args.get("household_type", "")
    home_care = request.args.get("home_care", "") == "true"
    params: dict[str, Any] = {"page": requested_page(request.args), "page_size": PAGE_SIZE}
    params.update({k: v for k, v in (("community", community), ("household_type", kind)) if v})
    if home_care:
        params["home_care"] = "true"
    found = call("intake", "GET", "/households", params=params)
    return render_template(
        "households/index.html",
        households=found["items"],
        pages=Pages(params["page"], found["total"]),
        community=community,
        kind=kind,
        home_care=home_care,
        communities=communities(),
        household_types=household_types(),
        sources=household_type_sources(),
    )


@blueprint.get("/<household_id>")
@requires(*READERS)
def show(household_id: str) -> ResponseReturnValue:
    return household_page(household_id, forms())


@blueprint.post("/<household_id>/type")
@requires(CLERK)
def set_type(household_id: str) -> ResponseReturnValue:
    states = forms(request.form)
    form = states["type"]
    if not form.require("household_type", "reason"):
        return household_page(household_id, states, 422)
    body = {
        "version": _version(),
        "household_type": form["household_type"],
        "reason": form["reason"],
    }
    return _sent(household_id, states, form, "PUT", "type", body, _("The type is set by hand."))


@blueprint.post("/<household_id>/type/by-rules")
@requires(CLERK)
def by_rules(household_id: str) -> ResponseReturnValue:
    states = forms(MultiDict())
    done = _("The type is worked out from the members again.")
    return _sent(
        household_id, states, states["type"], "POST", "type/by-rules", {"version": _version()}, done
    )


@blueprint.post("/<household_id>/cell")
@requires(*PLACERS)
def place(household_id: str) -> ResponseReturnValue:
    states = forms(request.form)
    form = states["place"]
    body = {"version": _version(), "cell_id": form["cell_id"] or None}
    done = _("The household is placed.")
    return _sent(household_id, states, form, "PUT", "cell", body, done)


@blueprint.post("/<household_id>/home-care")
@requires(CLERK)
def enrol_home_care(household_id: str) -> ResponseReturnValue:
    states = forms(request.form)
    form = states["care"]
    body = {"version": _version(), "since": form["since"] or None}
    done = _("The household is a home-care household: its elders have the service and vouchers.")
    return _sent(household_id, states, form, "PUT", "home-care", body, done)


@blueprint.post("/<household_id>/home-care/end")
@requires(CLERK)
def end_home_care(household_id: str) -> ResponseReturnValue:
    states = forms(request.form)
    form = states["care"]
    body = {"version": _version(), "on": form["on"] or None}
    done = _("Home care has ended for this household.")
    return _sent(household_id, states, form, "POST", "home-care/end", body, done)


@blueprint.post("/<household_id>/residents")
@requires(CLERK)
def add_resident(household_id: str) -> ResponseReturnValue:
    states = forms(request.form)
    form = states["resident"]
    if not form.require("name", "relation"):
        return household_page(household_id, states, 422)
    year = form["birth_year"]
    if year and not (year.isdigit() and len(year) == 4):
        form.add_error("birth_year", _("Enter the year of birth as four digits, like 1958."))
        return household_page(household_id, states, 422)
    household = call("intake", "GET", f"/households/{household_id}")
    new = {
        "name": form["name"],
        "relation": form["relation"],
        "birth_year": int(year) if year else None,
    }
    body = {"version": _version(), "residents": [*household["residents"], new]}
    done = _("%(name)s is recorded as living here.", name=form["name"])
    return _sent(household_id, states, form, "PUT", "residents", body, done)


@blueprint.post("/<household_id>/residents/<int:index>/removal")
@requires(CLERK)
def remove_resident(household_id: str, index: int) -> ResponseReturnValue:
    states = forms(MultiDict())
    household = call("intake", "GET", f"/households/{household_id}")
    residents = [r for i, r in enumerate(household["residents"]) if i != index]
    body = {"version": _version(), "residents": residents}
    done = _("The resident no longer lives here.")
    return _sent(household_id, states, states["resident"], "PUT", "residents", body, done)


@blueprint.post("/<household_id>/members/<elder_id>/own")
@requires(CLERK)
def own_household(household_id: str, elder_id: str) -> ResponseReturnValue:
    """The elder lives elsewhere: a household of their own, and this one worked out again."""
    try:
        own = call("intake", "POST", "/households", json={"elder_id": elder_id})
    except ApiProblem as problem:
        states = forms(MultiDict())
        states["type"].add_problem(problem)
        return household_page(household_id, states, problem.status)
    flash(_("The elder has a household of their own."), "success")
    return redirect(url_for("households.show", household_id=own["household_id"]))


def _version() -> int:
    text = request.form.get("version", "")
    return int(text) if text.isdigit() else 0


def _sent(
    household_id: str,
    states: dict[str, FormState],
    form: FormState,
    method: str,
    path: str,
    body: dict[str, Any],
    done: str,
) -> ResponseReturnValue:
    try:
        call("intake", method, f"/households/{household_id}/{path}", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return household_page(household_id, states, problem.status)
    flash(done, "success")
    return redirect(url_for("households.show", household_id=household_id))
