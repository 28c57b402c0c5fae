"""Intake clerk: register an elder.

The ID number is checked as it is typed by the product's own rule (intake's `national_id`
module, not a copy of it), which also gives the birth date, sex and age; the register itself is
intake's `POST /elders`, whose errors appear beside their fields.
"""

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal import timeline
from portal.apis import ApiProblem, Read, call, read_all, settings
from portal.auth import forbidden, kept_form, requires
from portal.communities import held_to_communities, may_see, my_communities
from portal.forms import FormState
from portal.messages import in_language
from portal.timeline import Entry
from portal.words import household_types, sexes
from portal.words import service as service_label
from services.intake.domain.national_id import InvalidNationalId, NationalId, parse_national_id
from shared.ages import age_on

blueprint = Blueprint("elders", __name__, url_prefix="/elders")
CLERK = "intake_clerk"
READERS = (CLERK, "visitor", "community_head", "allowance_officer")

FIELDS = (
    "national_id",
    "name",
    "birth_date",
    "sex",
    "community",
    "address",
    "phone",
    "household_type",
    "low_income",
    "disabled",
    "home_care",
    "emergency_name",
    "emergency_phone",
    "emergency_relation",
)
ALIASES = {
    "emergency_contact.name": "emergency_name",
    "emergency_contact.phone": "emergency_phone",
    "emergency_contact.relation": "emergency_relation",
    "emergency_contact": "emergency_name",
    **{f"circumstances.{n}": n for n in ("household_type", "low_income", "disabled", "home_care")},
}
FLAGS = ("low_income", "disabled", "home_care")
CHOICES = frozenset({"sex", "community", "household_type"})
LABELS = {
    "national_id": _l("the ID number"),
    "name": _l("the name"),
    "sex": _l("the sex"),
    "birth_date": _l("the birth date"),
    "community": _l("the community"),
    "address": _l("the address"),
    "phone": _l("the phone number"),
    "household_type": _l("the household type"),
    "emergency_name": _l("the contact's name"),
    "emergency_phone": _l("the contact's phone"),
}


def today() -> date:
    return datetime.now(settings().zone).date()


def identity_of(raw: str) -> tuple[NationalId | None, str | None]:
    """The decoded ID number, or why it is not one (in the interface language)."""
    if not raw.strip():
        return None, None
    try:
        return parse_national_id(raw), None
    except InvalidNationalId as error:
        return None, in_language(str(error))


def communities() -> dict[str, str]:
    """The district's communities, code -> name, for the clerk to choose from."""
    return community_names(call("intake", "GET", "/district"))


def community_names(district: dict[str, Any]) -> dict[str, str]:
    return {c["code"]: c.get("name") or c["code"] for c in district.get("communities", [])}


def page(form: FormState, status: int = 200) -> ResponseReturnValue:
    identity, _problem = identity_of(form["national_id"])
    age = age_on(identity.birth_date, today()) if identity else None
    return (
        render_template(
            "elders/register.html",
            form=form,
            communities=communities(),
            identity=identity,
            age=age,
            sexes=sexes(),
            household_types=household_types(),
        ),
        status,
    )


@blueprint.get("/new")
@requires(CLERK)
def register() -> ResponseReturnValue:
    return page(FormState(kept_form() or MultiDict(), FIELDS, ALIASES, LABELS, CHOICES))


@blueprint.post("/new")
@requires(CLERK)
def register_send() -> ResponseReturnValue:
    form = FormState(request.form, FIELDS, ALIASES, LABELS, CHOICES)
    identity, _problem = identity_of(form["national_id"])
    if identity:  # without JavaScript, what the number says fills what was left empty
        if not form["birth_date"]:
            form.values["birth_date"] = identity.birth_date.isoformat()
        if not form["sex"]:
            form.values["sex"] = identity.sex
    try:
        elder = call("intake", "POST", "/elders", json=registration(form))
    except ApiProblem as problem:
        if problem.status == 409 and "national_id" not in problem.fields:
            problem.fields["national_id"] = [problem.detail]
        form.add_problem(problem)
        return page(form, 422)
    flash(_("%(name)s is registered.", name=elder["name"]), "success")
    return redirect(url_for("elders.show", elder_id=elder["elder_id"]))


@blueprint.post("/national-id")
@requires(CLERK)
def check_national_id() -> ResponseReturnValue:
    """The inline check (htmx): what the number says, or why it is wrong; the birth date and
    sex fields come back filled in from it."""
    form = FormState(request.form, FIELDS, ALIASES)
    identity, problem = identity_of(form["national_id"])
    if identity:
        form.values["birth_date"] = identity.birth_date.isoformat()
        form.values["sex"] = identity.sex
    elif problem:
        form.add_error("national_id", problem)
    return render_template(
        "elders/_national_id.html",
        form=form,
        identity=identity,
        age=age_on(identity.birth_date, today()) if identity else None,
        sexes=sexes(),
        oob=identity is not None,
    )


@blueprint.get("")
@requires(*READERS)
def search() -> ResponseReturnValue:
    """Find an elder by name, in a community or the whole district (intake's GET /elders)."""
    form = FormState(request.args, ("name", "community"))
    choices = communities()
    if held_to_communities():  # a head searches their own communities only
        choices = {code: name for code, name in choices.items() if code in my_communities()}
        if form["community"] and form["community"] not in choices:
            return forbidden()
    found = None
    if form["name"] or form["community"]:
        within = [form["community"]] if form["community"] else None
        if within is None and held_to_communities():
            within = list(choices)
        found = find_elders(form["name"], within)
    return render_template(
        "elders/search.html", form=form, found=found, communities=choices, sexes=sexes()
    )


def find_elders(name: str, within: list[str] | None) -> dict[str, Any]:
    """Intake's elders by name, in the communities given (all, for None), merged."""
    named = {"name": name} if name else {}
    scopes = [{"community": c} for c in within] if within is not None else [{}]
    pages = read_all([Read("intake", "/elders", {**named, **s, "page_size": 50}) for s in scopes])
    return {
        "items": [e for page in pages for e in page.get("items", [])],
        "total": sum(page.get("total", 0) for page in pages),
    }


@blueprint.get("/<elder_id>")
@requires(*READERS)
def show(elder_id: str) -> ResponseReturnValue:
    """The elder, and their timeline across the services, as far as the role may read it."""
    elder = call("intake", "GET", f"/elders/{elder_id}")
    if not may_see(elder["community"]):
        return forbidden()
    parts: list[list[Entry]] = []
    hidden: list[str] = []
    sources: list[tuple[str, str, str, dict[str, Any], Callable[[Any], list[Entry]]]] = [
        ("intake", "intake", f"/elders/{elder_id}/history", {}, timeline.from_history),
        (
            "visits",
            "visits",
            "/obligations",
            {"elder_id": elder_id, "page_size": 100},
            lambda page: timeline.from_obligations(page["items"]),
        ),
        (
            "visits",
            "visits",
            "/visits",
            {"elder_id": elder_id, "page_size": 100},
            lambda page: timeline.from_visits(page["items"]),
        ),
        (
            "allowances",
            "allowances",
            f"/elders/{elder_id}/statement",
            {},
            timeline.from_statement,
        ),
    ]
    for name, service, path, params, read in sources:
        try:
            parts.append(read(call(service, "GET", path, params=params)))
        except ApiProblem as problem:
            if problem.status not in (403, 404):
                raise
            if service_label(name) not in hidden:
                hidden.append(service_label(name))
    return render_template(
        "elders/show.html",
        elder=elder,
        sexes=sexes(),
        entries=[replace(e, at=e.at.astimezone(settings().zone)) for e in timeline.merged(*parts)],
        hidden=hidden,
    )


def registration(form: FormState) -> dict[str, Any]:
    """The body of intake's POST /elders from what was typed; empty optional fields are left
    out, required ones are sent as typed so that intake names what is missing."""
    body: dict[str, Any] = {
        name: form[name] for name in ("national_id", "name", "sex", "birth_date", "community")
    }
    body["address"] = form["address"]
    if form["phone"]:
        body["phone"] = form["phone"]
    if form["emergency_name"] or form["emergency_phone"]:
        contact = {"name": form["emergency_name"], "phone": form["emergency_phone"]}
        if form["emergency_relation"]:
            contact["relation"] = form["emergency_relation"]
        body["emergency_contact"] = contact
    circumstances: dict[str, Any] = {flag: form.checked(flag) for flag in FLAGS}
    if form["household_type"]:
        circumstances["household_type"] = form["household_type"]
    body["circumstances"] = circumstances
    return {k: v for k, v in body.items() if v != ""}
