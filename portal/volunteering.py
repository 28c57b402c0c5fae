"""Elders serving the community (发挥余热) on the workbench: the hours of volunteer service
recorded by the community's workers, for the community's registered volunteers and the members
of its volunteer teams (an elder who volunteers is one person); and, kept by the head, the posts
elders hold (居委会委员, 居民小组长, 治安巡逻, 民事调解, a school class paired)."""

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.activities import chosen_community, departure, elders_to_add
from portal.apis import ApiProblem, Read, call, read_all, today
from portal.auth import forbidden, kept_form, requires, roles
from portal.communities import HEAD, may_see
from portal.elders import communities
from portal.forms import FormState
from portal.visits import WORKERS
from portal.words import community_posts, volunteer_services
from shared.vocabulary import VOLUNTEER_TEAM_KINDS

blueprint = Blueprint("volunteering", __name__, url_prefix="/activities/service")
SERVICE_FIELDS = ("person", "service", "team_id", "served_on", "hours", "note")
POST_FIELDS = ("name", "elder_id", "post", "since", "detail")
LABELS = {
    "person": _l("who served"),
    "service": _l("the service"),
    "served_on": _l("the day"),
    "hours": _l("the hours"),
    "elder_id": _l("the elder"),
    "post": _l("the post"),
    "since": _l("the day they took it"),
}
CHOICES = frozenset({"person", "service", "team_id", "elder_id", "post"})
RECENT = 50  # the service records listed, latest first
POST_HINT = _l("An elder of the community (one may hold several posts)")


def service_form(values: MultiDict[str, str] | None = None) -> FormState:
    kept = values or kept_form() or MultiDict({"served_on": today().isoformat()})
    return FormState(kept, SERVICE_FIELDS, labels=LABELS, choices=CHOICES)


def post_form(values: MultiDict[str, str] | None = None) -> FormState:
    return FormState(values or MultiDict(), POST_FIELDS, labels=LABELS, choices=CHOICES)


def heads() -> bool:
    return bool(roles() & {HEAD, "district_admin"})


def servers(teams: list[dict[str, Any]], volunteers: list[dict[str, Any]]) -> dict[str, str]:
    """Who may have served, by person: the members of the community's volunteer teams, then
    its registered volunteers (an elder who volunteers under the elder's person)."""
    people = {
        m["person"]: m["name"]
        for team in teams
        if team["kind"] in VOLUNTEER_TEAM_KINDS
        for m in team["members"]
        if not m["left_on"]
    }
    for v in volunteers:
        person = f"elder:{v['elder_id']}" if v.get("elder_id") else f"volunteer:{v['volunteer_id']}"
        people.setdefault(person, v["name"])
    return people


def service_page(
    community: str, served: FormState, held: FormState, status: int = 200
) -> ResponseReturnValue:
    mine = {"community": community, "page_size": 100}
    joining, more = elders_to_add(community, held, set()) if heads() else ({}, 0)
    found_now = {"form": held, "joining": joining, "more": more, "joining_hint": POST_HINT}
    if request.headers.get("HX-Request"):
        return render_template("activities/_joining.html", **found_now)
    hours, posts, teams, volunteers = read_all(
        [
            Read("visits", "/volunteer-service", {**mine, "page_size": RECENT}),
            Read("visits", "/community-posts", {**mine, "status": "held"}),
            Read("visits", "/teams", {**mine, "status": "active"}),
            Read("intake", "/volunteers", mine),
        ]
    )
    volunteer_teams = [t for t in teams["items"] if t["kind"] in VOLUNTEER_TEAM_KINDS]
    return (
        render_template(
            "activities/service.html",
            community=community,
            communities=communities(),
            hours=hours["items"],
            posts=posts["items"],
            people=servers(teams["items"], volunteers["items"]),
            teams={t["team_id"]: t["name"] for t in volunteer_teams},
            services=volunteer_services(),
            post_names=community_posts(),
            service_form=served,
            keeping=heads(),
            **found_now,
        ),
        status,
        {"Vary": "HX-Request"},
    )


@blueprint.get("")
@requires(*WORKERS)
def index() -> ResponseReturnValue:
    """The community's volunteer service and posts; `name` finds elders to give a post to."""
    community = chosen_community()
    if community and not may_see(community):
        return forbidden()
    return service_page(community, service_form(), post_form(MultiDict(request.args)))


@blueprint.post("")
@requires(*WORKERS)
def serve() -> ResponseReturnValue:
    community = request.form.get("community", "")
    if not may_see(community):
        return forbidden()
    form = service_form(request.form)
    if not form.require("person", "service", "served_on", "hours"):
        return service_page(community, form, post_form(), 422)
    kind, _sep, person_id = form["person"].partition(":")
    body = {
        "community": community,
        f"{kind}_id": person_id,
        "service": form["service"],
        "served_on": form["served_on"],
        "hours": _hours(form),
        "team_id": form["team_id"] or None,
        "note": form["note"] or None,
    }
    if form.has_errors:
        return service_page(community, form, post_form(), 422)
    try:
        served = call("visits", "POST", "/volunteer-service", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return service_page(community, form, post_form(), problem.status)
    flash(
        _("%(hours)s hours of %(name)s are recorded.", hours=served["hours"], name=served["name"]),
        "success",
    )
    return redirect(url_for("volunteering.index", community=community))


def _hours(form: FormState) -> float | None:
    try:
        return float(form["hours"])
    except ValueError:
        form.add_error("hours", _("Enter %(what)s as a number.", what=LABELS["hours"]))
        return None


@blueprint.post("/posts")
@requires(HEAD)
def take_post() -> ResponseReturnValue:
    community = request.form.get("community", "")
    if not may_see(community):
        return forbidden()
    form = post_form(request.form)
    if not form.require("elder_id", "post"):
        return service_page(community, service_form(MultiDict()), form, 422)
    body = {
        "community": community,
        "elder_id": form["elder_id"],
        "post": form["post"],
        "since": form["since"] or None,
        "detail": form["detail"] or None,
    }
    try:
        taken = call("visits", "POST", "/community-posts", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return service_page(community, service_form(MultiDict()), form, problem.status)
    flash(_("%(name)s holds the post.", name=taken["name"]), "success")
    return redirect(url_for("volunteering.index", community=community))


@blueprint.post("/posts/<post_id>/end")
@requires(HEAD)
def leave_post(post_id: str) -> ResponseReturnValue:
    community = request.form.get("community", "")
    body = {
        "version": request.form.get("version", 0, type=int),
        "reason": request.form.get("reason", "").strip() or _("left the post"),
    }
    departure(f"/community-posts/{post_id}/end", body, _("The post has ended."))
    return redirect(url_for("volunteering.index", community=community))
