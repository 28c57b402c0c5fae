"""What those served say, on the workbench: the worker, on a phone, records the elder's or
the family's rating of a visit in a few taps (the worklist lists the visits of the last days
not yet rated); and the community head's complaints, received, answered and closed."""

import uuid
from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, call, settings
from portal.auth import forbidden, requires
from portal.communities import may_see
from portal.forms import FormState
from portal.visits import WORKERS
from portal.words import feedback_givers, ratings

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
