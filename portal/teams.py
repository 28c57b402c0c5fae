"""The community head's teams and venues: culture and sports teams, volunteer service teams
and mutual-aid groups with their members (elders of the community, one person however
named), and the community's activity places with their area, capacity and periodicals."""

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.activities import chosen_community, departure, elders_to_add
from portal.apis import ApiProblem, Read, call, read_all
from portal.auth import forbidden, kept_form, requires
from portal.communities import HEAD, may_see
from portal.elders import communities
from portal.forms import FormState
from portal.words import activity_types, team_kinds, venue_kinds, volunteer_services

blueprint = Blueprint("teams", __name__, url_prefix="/activities")
TEAM_FIELDS = ("kind", "activity", "name", "leader", "founded_on")
VENUE_FIELDS = ("venue_kind", "venue_name", "area_m2", "capacity", "periodicals")
LABELS = {
    "kind": _l("what the team is"),
    "activity": _l("what the team does"),
    "name": _l("the name"),
    "founded_on": _l("the day it was founded"),
    "venue_kind": _l("what the venue is"),
    "venue_name": _l("the venue's name"),
    "area_m2": _l("the area"),
    "capacity": _l("the capacity"),
    "periodicals": _l("the periodicals"),
}
ALIASES = {"kind": "venue_kind", "name": "venue_name"}  # the venue API's names, the form's


def team_form(values: MultiDict[str, str] | None = None) -> FormState:
    kept = values or kept_form() or MultiDict([("kind", "culture_sports")])
    return FormState(kept, TEAM_FIELDS, labels=LABELS, choices=frozenset({"kind", "activity"}))


def venue_form(values: MultiDict[str, str] | None = None) -> FormState:
    kept = values or MultiDict([("venue_kind", "activity_room")])
    return FormState(kept, VENUE_FIELDS, ALIASES, LABELS, frozenset({"venue_kind"}))


def keeping_page(
    community: str, teams: FormState, venues: FormState, status: int = 200
) -> ResponseReturnValue:
    listed = {"community": community, "page_size": 100}
    found, places = read_all([Read("visits", "/teams", listed), Read("visits", "/venues", listed)])
    return (
        render_template(
            "activities/teams.html",
            community=community,
            communities=communities(),
            teams=found["items"],
            venues=places["items"],
            team_form=teams,
            venue_form=venues,
            team_kinds=team_kinds(),
            venue_kinds=venue_kinds(),
            activities={**activity_types(), **volunteer_services()},
        ),
        status,
    )


@blueprint.get("/teams")
@requires(HEAD)
def index() -> ResponseReturnValue:
    community = chosen_community()
    if community and not may_see(community):
        return forbidden()
    return keeping_page(community, team_form(), venue_form())


@blueprint.post("/teams")
@requires(HEAD)
def form_team() -> ResponseReturnValue:
    community = request.form.get("community", "")
    if not may_see(community):
        return forbidden()
    form = team_form(request.form)
    if not form.require("kind", "activity", "name"):
        return keeping_page(community, form, venue_form(), 422)
    body = {"community": community, **{f: form[f] or None for f in TEAM_FIELDS}}
    try:
        team = call("visits", "POST", "/teams", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return keeping_page(community, form, venue_form(), problem.status)
    flash(_("%(name)s is formed.", name=team["name"]), "success")
    return redirect(url_for("teams.team", team_id=team["team_id"]))


@blueprint.post("/venues")
@requires(HEAD)
def open_venue() -> ResponseReturnValue:
    community = request.form.get("community", "")
    if not may_see(community):
        return forbidden()
    form = venue_form(request.form)
    if not form.require("venue_kind", "venue_name"):
        return keeping_page(community, team_form(), form, 422)
    body = {
        "community": community,
        "kind": form["venue_kind"],
        "name": form["venue_name"],
        "area_m2": _number(form, "area_m2", float),
        "capacity": _number(form, "capacity", int),
        "periodicals": _number(form, "periodicals", int) or 0,
    }
    if form.has_errors:
        return keeping_page(community, team_form(), form, 422)
    try:
        venue = call("visits", "POST", "/venues", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return keeping_page(community, team_form(), form, problem.status)
    flash(_("%(name)s is open.", name=venue["name"]), "success")
    return redirect(url_for("teams.index", community=community))


def _number(form: FormState, name: str, kind: type[int] | type[float]) -> Any:
    if not form[name]:
        return None
    try:
        return kind(form[name])
    except ValueError:
        form.add_error(name, _("Enter %(what)s as a number.", what=LABELS[name]))
        return None


def team_page(team_id: str, form: FormState, status: int = 200) -> ResponseReturnValue:
    team = call("visits", "GET", f"/teams/{team_id}")
    if not may_see(team["community"]):
        return forbidden()
    current = {m["person"] for m in team["members"] if not m["left_on"]}
    joining, more = elders_to_add(team["community"], form, current)
    searching = bool(request.headers.get("HX-Request"))
    return (
        render_template(
            "activities/_joining.html" if searching else "activities/team.html",
            team=team,
            joining=joining,
            more=more,
            form=form,
            team_kinds=team_kinds(),
            activities={**activity_types(), **volunteer_services()},
        ),
        status,
        {"Vary": "HX-Request"},
    )


@blueprint.get("/teams/<team_id>")
@requires(HEAD)
def team(team_id: str) -> ResponseReturnValue:
    """The team and its members; `name` finds elders of the community to take in."""
    return team_page(team_id, FormState(request.args, ("name", "elder_id", "reason")))


@blueprint.post("/teams/<team_id>/members")
@requires(HEAD)
def join(team_id: str) -> ResponseReturnValue:
    form = FormState(
        request.form,
        ("name", "elder_id"),
        labels={"elder_id": _l("the elder")},
        choices=frozenset({"elder_id"}),
    )
    if not form.require("elder_id"):
        return team_page(team_id, form, 422)
    try:
        call("visits", "POST", f"/teams/{team_id}/members", json={"elder_id": form["elder_id"]})
    except ApiProblem as problem:
        form.add_problem(problem)
        return team_page(team_id, form, problem.status)
    flash(_("The member is taken in."), "success")
    return redirect(url_for("teams.team", team_id=team_id))


@blueprint.post("/teams/<team_id>/members/<person>/departure")
@requires(HEAD)
def leave(team_id: str, person: str) -> ResponseReturnValue:
    reason = request.form.get("reason", "").strip() or _("left the team")
    path = f"/teams/{team_id}/members/{person}/departure"
    departure(path, {"reason": reason}, _("The member has left the team."))
    return redirect(url_for("teams.team", team_id=team_id))
