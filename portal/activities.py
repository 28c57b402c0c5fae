"""Learning and activities on the workbench, for the community's workers and head: the
occasions of the last and the coming weeks, an activity recorded (a team's, or the
community's, with its head count if open to all); and who came, ticked on a phone from the
course's enrolled, the team's members or the community's elders (found by name)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, Read, call, changed, read_all, today
from portal.auth import forbidden, kept_form, requires
from portal.communities import communities_listed, may_see
from portal.elders import communities
from portal.forms import FormState
from portal.visits import WORKERS
from portal.words import activity_types

blueprint = Blueprint("activities", __name__, url_prefix="/activities")
WEEKS = 4  # the occasions shown: these weeks before today and after
LISTED = 100  # the elders a list offers at once; a search by name finds the others
FIELDS = ("title", "category", "held_on", "team_id", "venue_id", "open_event", "head_count")
LABELS = {
    "title": _l("what the activity is"),
    "category": _l("the kind of activity"),
    "held_on": _l("the day"),
    "head_count": _l("the head count"),
}
CHOICES = frozenset({"category", "team_id", "venue_id"})


def activity_form(values: MultiDict[str, str] | None = None) -> FormState:
    return FormState(values or kept_form() or MultiDict(), FIELDS, labels=LABELS, choices=CHOICES)


def chosen_community() -> str:
    listed = communities_listed()
    return request.values.get("community") or (
        listed[0] if listed else next(iter(communities()), "")
    )


def index_page(community: str, form: FormState, status: int = 200) -> ResponseReturnValue:
    day = today()
    window = {
        "community": community,
        "held_from": (day - timedelta(weeks=WEEKS)).isoformat(),
        "held_to": (day + timedelta(weeks=WEEKS)).isoformat(),
        "page_size": 100,
    }
    occasions, running, teams, venues = read_all(
        [
            Read("visits", "/occasions", window),
            Read("visits", "/courses", {"community": community, "running_on": day.isoformat()}),
            Read(
                "visits", "/teams", {"community": community, "status": "active", "page_size": 100}
            ),
            Read("visits", "/venues", {"community": community, "status": "open", "page_size": 100}),
        ]
    )
    return (
        render_template(
            "activities/index.html",
            community=community,
            communities=communities(),
            occasions=occasions["items"],
            courses=running["items"],
            teams={t["team_id"]: t["name"] for t in teams["items"]},
            venues={v["venue_id"]: v["name"] for v in venues["items"]},
            categories=activity_types(),
            form=form,
            today=today,
        ),
        status,
    )


@blueprint.get("")
@requires(*WORKERS)
def index() -> ResponseReturnValue:
    community = chosen_community()
    if community and not may_see(community):
        return forbidden()
    return index_page(community, activity_form())


@blueprint.post("")
@requires(*WORKERS)
def hold_activity() -> ResponseReturnValue:
    community = request.form.get("community", "")
    if not may_see(community):
        return forbidden()
    form = activity_form(request.form)
    open_event = form.checked("open_event")
    if not form.require("title", "category", "held_on", *(("head_count",) if open_event else ())):
        return index_page(community, form, 422)
    body = {
        "community": community,
        "title": form["title"],
        "category": form["category"],
        "held_on": form["held_on"],
        "team_id": form["team_id"] or None,
        "venue_id": form["venue_id"] or None,
        "head_count": _number(form, "head_count") if open_event else None,
    }
    if form.has_errors:
        return index_page(community, form, 422)
    try:
        held = call("visits", "POST", "/occasions", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return index_page(community, form, problem.status)
    flash(_("%(title)s is recorded.", title=held["title"]), "success")
    return redirect(url_for("activities.occasion", occasion_id=held["occasion_id"]))


def _number(form: FormState, name: str) -> int | None:
    try:
        return int(form[name])
    except ValueError:
        form.add_error(name, _("Enter %(what)s as a whole number.", what=LABELS[name]))
        return None


def community_elders(
    community: str, name: str = "", kept: Iterable[str] = ()
) -> tuple[dict[str, str], int]:
    """The community's active elders whose name holds `name`, by person (the first hundred),
    and how many match; the people `kept` (ticked or chosen already) stay in the list."""
    asked = {"community": community, "status": "active", "page_size": LISTED}
    reads = [Read("visits", "/elders", asked | ({"name": name} if name else {}))]
    ids = [p.split(":", 1)[1] for p in kept if p.startswith("elder:")][:LISTED]
    if ids:
        reads.append(Read("visits", "/elders", {"elder_id": ids, "page_size": len(ids)}))
    found, *still = read_all(reads)
    people = {
        f"elder:{e['elder_id']}": e["name"]
        for answer in (*still, found)
        for e in answer["items"]
        if e["community"] == community
    }
    return people, found["total"]


def departure(path: str, body: dict[str, Any], said: str) -> None:
    """Someone leaves a team, a course or a post (`body` gives the reason): visits is told,
    and what came of it is said on the next page."""
    changed(path, body, said)


def elders_to_add(community: str, form: FormState, current: set[str]) -> tuple[dict[str, str], int]:
    """The elders a team or course may take (by elder id), found by the form's `name`, with
    the one the form chose kept; and how many more a search would find."""
    chosen = [f"elder:{form['elder_id']}"] if form["elder_id"] else []
    elders, matching = community_elders(community, form["name"], chosen)
    joining = {p.split(":", 1)[1]: n for p, n in elders.items() if p not in current}
    return joining, max(matching - LISTED, 0)


@dataclass(frozen=True)
class Offered:
    """The people an occasion offers to tick, by person; how many more elders of the community
    a search by name would find; and whether the community's elders may come at all."""

    people: dict[str, str]
    more: int = 0
    searchable: bool = True


def candidates(held: dict[str, Any], name: str, kept: Iterable[str]) -> Offered:
    """Who may have come: a session's enrolled (and no one else, for a course); an activity's
    team members, then the community's elders whose name holds `name`."""
    people: dict[str, str] = {}
    if held.get("course_id"):
        course_ = call("visits", "GET", f"/courses/{held['course_id']}")
        people.update({e["person"]: e["name"] for e in course_["enrolments"] if not e["ended_on"]})
        if course_["kind"] == "course":
            return Offered(people, searchable=False)
    if held.get("team_id"):
        team = call("visits", "GET", f"/teams/{held['team_id']}")
        people.update({m["person"]: m["name"] for m in team["members"] if not m["left_on"]})
    elders, matching = community_elders(held["community"], name, kept)
    others = {p: n for p, n in elders.items() if p not in people}
    return Offered(people | others, max(matching - LISTED, 0))


def occasion_page(occasion_id: str, form: FormState, status: int = 200) -> ResponseReturnValue:
    held = call("visits", "GET", f"/occasions/{occasion_id}")
    if not may_see(held["community"]):
        return forbidden()
    came = {a["person"]: a for a in held["attendance"]}
    offered = Offered({}, searchable=False)
    if held["head_count"] is None:
        offered = candidates(held, form["name"], form.getlist("people"))
    searching = bool(request.headers.get("HX-Request"))
    return (
        render_template(
            "activities/_people.html" if searching else "activities/occasion.html",
            held=held,
            came=came,
            offered=offered,
            categories=activity_types(),
            form=form,
        ),
        status,
        {"Vary": "HX-Request"},
    )


@blueprint.get("/occasions/<occasion_id>")
@requires(*WORKERS)
def occasion(occasion_id: str) -> ResponseReturnValue:
    """The occasion and who came; `name` finds others of the community to tick, and those
    ticked (`people`) stay ticked."""
    return occasion_page(occasion_id, FormState(request.args, ("name", "people")))


@blueprint.post("/occasions/<occasion_id>/attendance")
@requires(*WORKERS)
def tick(occasion_id: str) -> ResponseReturnValue:
    form = FormState(request.form, ("name", "people"), labels={"people": _l("who came")})
    ticked = [p for p in form.getlist("people") if p.startswith(("elder:", "volunteer:"))]
    if not ticked:
        form.add_error("people", _("Tick at least one person who came."))
        return occasion_page(occasion_id, form, 422)
    people = [{f"{p.split(':', 1)[0]}_id": p.split(":", 1)[1]} for p in ticked]
    try:
        done = call(
            "visits", "POST", f"/occasions/{occasion_id}/attendance", json={"people": people}
        )
    except ApiProblem as problem:
        form.add_problem(problem)
        return occasion_page(occasion_id, form, problem.status)
    count = len(done["recorded"])
    flash(
        ngettext("%(num)d person recorded as come.", "%(num)d people recorded as come.", count),
        "success",
    )
    return redirect(url_for("activities.occasion", occasion_id=occasion_id))
