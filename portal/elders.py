"""The register: an intake clerk registers an elder; staff search the register and open an
elder's page.

The ID number is checked as it is typed by the product's own rule (intake's `national_id`
module, not a copy of it), which also gives the birth date, sex and age; the register itself is
intake's `POST /elders`, whose errors appear beside their fields.
"""

from typing import Any

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, Read, call, download, passed_on, read_all, today
from portal.auth import forbidden, kept_form, requires, roles
from portal.communities import held_to_communities, may_see, my_communities
from portal.elder_changes import offered, pending_correction
from portal.elder_details import ALIASES, CHOICES, FIELDS, LABELS, registration
from portal.elder_record import read_record
from portal.elder_search import (
    FILTERS,
    NOT_CHOSEN,
    PAGE_SIZE,
    card_choices,
    chosen_filters,
    place_in_list,
)
from portal.forms import FormState
from portal.messages import in_language
from portal.paging import Pages, requested_page
from portal.words import (
    activity_types,
    assessment_scales,
    checked_facts,
    community_posts,
    correction_statuses,
    course_organisers,
    household_types,
    key_target_reasons,
    self_care_levels,
    sexes,
    statuses,
    team_kinds,
)
from services.intake.domain.age_bands import BAND_NAMES
from services.intake.domain.national_id import InvalidNationalId, NationalId, parse_national_id
from shared.ages import age_on

blueprint = Blueprint("elders", __name__, url_prefix="/elders")
CLERK = "intake_clerk"
READERS = (CLERK, "visitor", "community_head", "allowance_officer")
CARD_PRINTERS = (CLERK, "visitor", "community_head")  # who hand cards over in the community


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


def every_community_name(district: dict[str, Any]) -> dict[str, str]:
    """Every community's name by its code, those merged into others too (for figures of then)."""
    retired = {r["code"]: r["name"] for r in district.get("retired", [])}
    return retired | community_names(district)


def card_categories_of(district: dict[str, Any]) -> dict[str, str]:
    return {c["code"]: c["name"] for c in district.get("card_categories", [])}


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
    """Search the register with every filter of intake's GET /elders, a page at a time; htmx
    asks for the results alone as the user types."""
    filters = chosen_filters(request.args)
    form = FormState(MultiDict(filters), FILTERS, choices=frozenset(FILTERS) - NOT_CHOSEN)
    chosen = filters.get("community")
    if chosen and not may_see(chosen):
        return forbidden()
    scope = head_scope(chosen)  # None: a head of several communities chooses one
    asked = {
        **filters,
        "page": requested_page(request.args),
        "page_size": PAGE_SIZE,
        **place_in_list(request.args),
        **(scope or {}),
    }
    searched = [Read("intake", "/elders/listed", asked)] if filters and scope is not None else []
    district, *answers = read_all([Read("intake", "/district"), *searched], problems_kept=True)
    found = answers[0] if answers else None
    if isinstance(district, ApiProblem):
        raise district
    communities = community_names(district)
    if held_to_communities():
        communities = {c: n for c, n in communities.items() if c in my_communities()}
        if filters and scope is None:
            form.add_error("community", _("Choose one of your communities."))
    pages = None
    if isinstance(found, ApiProblem):
        form.add_problem(found)
        found = None
    elif found is not None:
        pages = Pages.of(found)
    results_only = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    response = make_response(
        render_template(
            "elders/_results.html" if results_only else "elders/search.html",
            form=form,
            filters=filters,
            found=found,
            pages=pages,
            communities=communities,
            card_choices=card_choices(card_categories_of(district)),
            sexes=sexes(),
            statuses=statuses(),
            household_types=household_types(),
            reasons=key_target_reasons(),
            correction_statuses=correction_statuses(),
            age_bands={band: band for band in BAND_NAMES},
        )
    )
    response.headers["Vary"] = "HX-Request"
    return response


def head_scope(chosen: str | None) -> dict[str, str] | None:
    """What holds a community head's search to their communities: nothing more when one is
    chosen, else their only one; with several, None (they choose, as the pages go by one)."""
    if chosen or not held_to_communities():
        return {}
    mine = my_communities()
    return {"community": mine[0]} if len(mine) == 1 else None


@blueprint.get("/<elder_id>")
@requires(*READERS)
def show(elder_id: str) -> ResponseReturnValue:
    """The elder's record and timeline across the services, read at once, and the changes
    that make sense for the elder's state that the user may make."""
    record = read_record(elder_id)
    if not may_see(record.elder["community"]):
        return forbidden()
    district = record.district
    return render_template(
        "elders/show.html",
        record=record,
        elder=record.elder,
        offered=offered(record.elder, roles()),
        pending=pending_correction(record.elder),
        communities=community_names(district),
        sexes=sexes(),
        statuses=statuses(),
        household_types=household_types(),
        levels=self_care_levels(),
        scales=assessment_scales(),
        checked_facts=checked_facts(),
        reasons=key_target_reasons(),
        correction_statuses=correction_statuses(),
        card_categories=card_categories_of(district),
        team_kinds=team_kinds(),
        organisers=course_organisers(),
        categories=activity_types(),
        posts=community_posts(),
    )


@blueprint.get("/<elder_id>/priority-card.pdf")
@requires(*CARD_PRINTERS)
def priority_card(elder_id: str) -> ResponseReturnValue:
    """The priority service card to print, as intake lays it out (its own community's elders
    only: intake answers 403 for another's)."""
    return passed_on(download("intake", f"/elders/{elder_id}/priority-card", {}))
