"""What those served say, on the workbench: the worker, on a phone, records the elder's or
the family's rating of a visit in a few taps (the worklist lists the visits of the last days
not yet rated); and the community's complaints, received, answered and closed (not by the
worker they are about), beside the year's satisfaction."""

import uuid
from datetime import date, datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.activities import chosen_community
from portal.apis import ApiProblem, Read, call, changed, read_all, settings, today
from portal.auth import forbidden, requires
from portal.communities import may_see
from portal.elders import communities
from portal.forms import FormState
from portal.visits import WORKERS
from portal.words import complaint_channels, feedback_givers, ratings, service_types

blueprint = Blueprint("feedback", __name__)
RATING_FIELDS = ("feedback_id", "rating", "given_by", "remarks")
LABELS = {"rating": _l("how satisfied they are"), "given_by": _l("who gave the rating")}


def rating_page(visit_id: str, form: FormState, status: int = 200) -> ResponseReturnValue:
    visit = call("visits", "GET", f"/visits/{visit_id}")
    if not may_see(visit["community"]):
        return forbidden()
    elder = call("visits", "GET", f"/elders/{visit['elder_id']}")
    visited = datetime.fromisoformat(visit["visited_at"]).astimezone(settings().zone)
    page = render_template(
        "visits/rating.html",
        visit=visit,
        visited=visited,
        elder=elder,
        form=form,
        ratings=ratings(),
        givers=feedback_givers(),
    )
    return page, status


@blueprint.get("/visits/<visit_id>/rating")
@requires(*WORKERS)
def rating(visit_id: str) -> ResponseReturnValue:
    """The rating form; its feedback_id makes a form sent twice one rating."""
    values = MultiDict({"feedback_id": str(uuid.uuid4()), "given_by": "elder"})
    return rating_page(visit_id, FormState(values, RATING_FIELDS, labels=LABELS))


@blueprint.post("/visits/<visit_id>/rating")
@requires(*WORKERS)
def rate(visit_id: str) -> ResponseReturnValue:
    form = FormState(request.form, RATING_FIELDS, labels=LABELS, choices=frozenset(LABELS))
    if not form.require("rating", "given_by"):
        return rating_page(visit_id, form, 422)
    visit = call("visits", "GET", f"/visits/{visit_id}")
    body = {
        "feedback_id": form["feedback_id"] or str(uuid.uuid4()),
        "elder_id": visit["elder_id"],
        "subject": "visit",
        "reference": visit_id,
        "rating": int(form["rating"]) if form["rating"].isdigit() else form["rating"],
        "given_by": form["given_by"],
        "remarks": form["remarks"],
    }
    try:
        call("visits", "POST", "/feedback", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return rating_page(visit_id, form, problem.status)
    flash(_("The rating is recorded. Thank you."), "success")
    return redirect(url_for("visits.worklist"))


COMPLAINT_FIELDS = ("channel", "about", "description", "worker")
COMPLAINT_LABELS = {
    "channel": _l("how it came in"),
    "about": _l("what or whom it is about"),
    "description": _l("the complaint"),
}


def complaint_form(values: MultiDict[str, str] | None = None) -> FormState:
    kept = values or MultiDict({"channel": "hotline"})
    return FormState(
        kept, COMPLAINT_FIELDS, labels=COMPLAINT_LABELS, choices=frozenset({"channel"})
    )


def complaints_page(community: str, form: FormState, status: int = 200) -> ResponseReturnValue:
    day = today()
    year = {"first": date(day.year, 1, 1).isoformat(), "last": day.isoformat()}
    mine = {"community": community} if community else {}
    open_ones, closed, satisfied = read_all(
        [
            Read("visits", "/complaints", {**mine, "status": "open", "page_size": 100}),
            Read("visits", "/complaints", {**mine, "status": "closed", "page_size": 20}),
            Read("visits", "/reports/satisfaction", {**mine, **year}),
        ]
    )
    zone = settings().zone
    page = render_template(
        "complaints/index.html",
        community=community,
        communities=communities(),
        open_ones=[
            {**c, "answer_local": datetime.fromisoformat(c["answer_by"]).astimezone(zone)}
            for c in open_ones["items"]
        ],
        closed=sorted(closed["items"], key=lambda c: c["closed_at"] or "", reverse=True),
        satisfaction=satisfied,
        year=year,
        form=form,
        channels=complaint_channels(),
        services=service_types(),
    )
    return page, status


@blueprint.get("/complaints")
@requires(*WORKERS)
def complaints() -> ResponseReturnValue:
    """The community's complaints (the open ones first, those past their deadline marked) and
    this year's satisfaction."""
    community = chosen_community()
    if community and not may_see(community):
        return forbidden()
    return complaints_page(community, complaint_form())


@blueprint.post("/complaints")
@requires(*WORKERS)
def receive() -> ResponseReturnValue:
    community = request.form.get("community", "")
    if not may_see(community):
        return forbidden()
    form = complaint_form(request.form)
    if not form.require("channel", "about", "description"):
        return complaints_page(community, form, 422)
    body = {"community": community, **{f: form[f] or None for f in COMPLAINT_FIELDS}}
    try:
        call("visits", "POST", "/complaints", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return complaints_page(community, form, problem.status)
    flash(_("The complaint is recorded: it is to be answered within three days."), "success")
    return redirect(url_for("feedback.complaints", community=community))


@blueprint.post("/complaints/<complaint_id>/close")
@requires(*WORKERS)
def close(complaint_id: str) -> ResponseReturnValue:
    community = request.form.get("community", "")
    answer = request.form.get("answer", "").strip()
    if not answer:
        flash(_("Say how the complaint was answered."), "warning")
    else:
        done = _("The complaint is answered and closed.")
        changed(f"/complaints/{complaint_id}/close", {"answer": answer}, done)
    return redirect(url_for("feedback.complaints", community=community))
