"""Courses and lectures on the workbench: the community's list and, for its head, a course or
lecture planned (organiser, kind, category, dates, places, venue); a course's page with its
sessions, a session held (then who came is ticked), and its enrolments, the head enrolling
elders found by name and letting them go with the reason."""

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
from portal.messages import in_language
from portal.visits import WORKERS
from portal.words import activity_types, course_kinds, course_organisers

blueprint = Blueprint("courses", __name__, url_prefix="/activities/courses")
FIELDS = ("organiser", "kind", "category", "name", "starts_on", "ends_on", "capacity", "venue_id")
LABELS = {
    "organiser": _l("who runs it"),
    "kind": _l("course or lecture"),
    "category": _l("what it teaches"),
    "name": _l("the name"),
    "starts_on": _l("the first day"),
    "ends_on": _l("the last day"),
    "capacity": _l("the places"),
    "elder_id": _l("the elder"),
}
CHOICES = frozenset({"organiser", "kind", "category", "venue_id", "elder_id"})
ENROL_FIELDS = ("name", "elder_id")
ENROL_HINT = _l("An elder of the community not enrolled yet")


def course_form(values: MultiDict[str, str] | None = None) -> FormState:
    kept = values or kept_form() or MultiDict([("kind", "course"), ("organiser", "community")])
    return FormState(kept, FIELDS, labels=LABELS, choices=CHOICES)


def heads() -> bool:
    return bool(roles() & {HEAD, "district_admin"})


def courses_page(community: str, form: FormState, status: int = 200) -> ResponseReturnValue:
    listed = {"community": community, "page_size": 100}
    found, venues = read_all(
        [
            Read("visits", "/courses", listed),
            Read("visits", "/venues", {**listed, "status": "open"}),
        ]
    )
    return (
        render_template(
            "activities/courses.html",
            community=community,
            communities=communities(),
            courses=found["items"],
            venues={v["venue_id"]: v["name"] for v in venues["items"]},
            form=form,
            planning=heads(),
            organisers=course_organisers(),
            kinds=course_kinds(),
            categories=activity_types(),
        ),
        status,
    )


@blueprint.get("")
@requires(*WORKERS)
def index() -> ResponseReturnValue:
    community = chosen_community()
    if community and not may_see(community):
        return forbidden()
    return courses_page(community, course_form())


@blueprint.post("")
@requires(HEAD)
def plan() -> ResponseReturnValue:
    community = request.form.get("community", "")
    if not may_see(community):
        return forbidden()
    form = course_form(request.form)
    if not form.require("organiser", "kind", "category", "name", "starts_on", "ends_on"):
        return courses_page(community, form, 422)
    body: dict[str, Any] = {"community": community, **{f: form[f] or None for f in FIELDS}}
    body["capacity"] = _places(form)
    if form.has_errors:
        return courses_page(community, form, 422)
    try:
        planned = call("visits", "POST", "/courses", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return courses_page(community, form, problem.status)
    flash(_("%(name)s is planned.", name=planned["name"]), "success")
    return redirect(url_for("courses.course", course_id=planned["course_id"]))


def _places(form: FormState) -> int | None:
    if not form["capacity"]:
        return None
    try:
        return int(form["capacity"])
    except ValueError:
        form.add_error("capacity", _("Enter %(what)s as a whole number.", what=LABELS["capacity"]))
        return None


def course_page(course_id: str, form: FormState, status: int = 200) -> ResponseReturnValue:
    found = call("visits", "GET", f"/courses/{course_id}")
    if not may_see(found["community"]):
        return forbidden()
    enrolling = heads() and found["kind"] == "course" and found["status"] != "ended"
    joining: dict[str, str] = {}
    more = 0
    if enrolling:
        current = {e["person"] for e in found["enrolments"] if not e["ended_on"]}
        joining, more = elders_to_add(found["community"], form, current)
    found_now = {"form": form, "joining": joining, "more": more, "joining_hint": ENROL_HINT}
    if request.headers.get("HX-Request"):
        return render_template("activities/_joining.html", **found_now)
    sessions = call(
        "visits", "GET", "/occasions", params={"course_id": course_id, "page_size": 100}
    )
    held_on = FormState(MultiDict({"held_on": today().isoformat()}), ("held_on",))
    page = render_template(
        "activities/course.html",
        course=found,
        sessions=sessions["items"],
        categories=activity_types(),
        organisers=course_organisers(),
        session_form=held_on,
        enrolling=enrolling,
        **found_now,
    )
    return page, status, {"Vary": "HX-Request"}


@blueprint.get("/<course_id>")
@requires(*WORKERS)
def course(course_id: str) -> ResponseReturnValue:
    """The course, its sessions and enrolments; `name` finds elders of the community to
    enrol."""
    form = FormState(request.args, ENROL_FIELDS, labels=LABELS, choices=CHOICES)
    return course_page(course_id, form)


@blueprint.post("/<course_id>/sessions")
@requires(*WORKERS)
def hold_session(course_id: str) -> ResponseReturnValue:
    try:
        held = call(
            "visits",
            "POST",
            f"/courses/{course_id}/sessions",
            json={"held_on": request.form.get("held_on", "")},
        )
    except ApiProblem as problem:
        flash(in_language(problem.detail), "warning")
        return redirect(url_for("courses.course", course_id=course_id))
    return redirect(url_for("activities.occasion", occasion_id=held["occasion_id"]))


@blueprint.post("/<course_id>/enrolments")
@requires(HEAD)
def enrol(course_id: str) -> ResponseReturnValue:
    form = FormState(request.form, ENROL_FIELDS, labels=LABELS, choices=CHOICES)
    if not form.require("elder_id"):
        return course_page(course_id, form, 422)
    try:
        call(
            "visits",
            "POST",
            f"/courses/{course_id}/enrolments",
            json={"elder_id": form["elder_id"]},
        )
    except ApiProblem as problem:
        form.add_problem(problem)
        return course_page(course_id, form, problem.status)
    flash(_("The elder is enrolled."), "success")
    return redirect(url_for("courses.course", course_id=course_id))


@blueprint.post("/<course_id>/enrolments/<person>/end")
@requires(HEAD)
def drop(course_id: str, person: str) -> ResponseReturnValue:
    reason = request.form.get("reason", "").strip() or _("left the course")
    path = f"/courses/{course_id}/enrolments/{person}/end"
    departure(path, {"reason": reason}, _("The enrolment has ended."))
    return redirect(url_for("courses.course", course_id=course_id))
