"""Community head and district administrator: campaigns of visits to every elder of a target
group (visits' /campaigns) — a festival's visits with a gift (节日走访慰问), or a round of
door-to-door checks of each elder's facts (入户走访，核对信息) — planned, launched, and followed
in all, by community and by building."""

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, call
from portal.auth import kept_form, requires
from portal.communities import HEAD, my_communities
from portal.elders import communities
from portal.forms import FormState
from portal.messages import in_language

blueprint = Blueprint("campaigns", __name__, url_prefix="/campaigns")
PURPOSES = {
    "door_check": _l("Door-to-door check of each elder's facts (入户走访，核对信息)"),
    "festival": _l("Festival visits with a gift (节日走访慰问)"),
}
FIELDS = ("purpose", "name", "festival", "gift", "due_on", "communities", "target")
LABELS = {
    "purpose": _l("what the campaign is for"),
    "name": _l("the name"),
    "festival": _l("the festival"),
    "gift": _l("the gift"),
    "due_on": _l("the day the visits are due by"),
}
TARGETS = {
    "key_targets": _l("Key service targets only"),
    "low_income": _l("Low-income elders only"),
}


def campaign_form(values: MultiDict[str, str] | None = None) -> FormState:
    kept = values or kept_form() or MultiDict([("purpose", "door_check")])
    return FormState(kept, FIELDS, {"target": "communities"}, LABELS, frozenset({"purpose"}))


def index_page(form: FormState, status: int = 200) -> ResponseReturnValue:
    listed = call("visits", "GET", "/campaigns", params={"page_size": 50})
    mine = my_communities()
    return (
        render_template(
            "campaigns/index.html",
            campaigns=listed["items"],
            form=form,
            purposes=PURPOSES,
            targets=TARGETS,
            communities={c: n for c, n in communities().items() if not mine or c in mine},
        ),
        status,
    )


@blueprint.get("")
@requires(HEAD)
def index() -> ResponseReturnValue:
    return index_page(campaign_form())


@blueprint.post("")
@requires(HEAD)
def plan() -> ResponseReturnValue:
    form = campaign_form(request.form)
    if not form.require("purpose", "name", "due_on"):
        return index_page(form, 422)
    target: dict[str, Any] = {"communities": form.getlist("communities")}
    target.update({flag: True for flag in TARGETS if form.checked("target", flag)})
    body = {
        "purpose": form["purpose"],
        "name": form["name"],
        "festival": form["festival"],
        "gift": form["gift"],
        "due_on": form["due_on"],
        "target": target,
    }
    try:
        planned = call("visits", "POST", "/campaigns", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return index_page(form, problem.status)
    return redirect(url_for("campaigns.show", campaign_id=planned["campaign_id"]))


@blueprint.get("/<campaign_id>")
@requires(HEAD)
def show(campaign_id: str) -> ResponseReturnValue:
    progress = call("visits", "GET", f"/campaigns/{campaign_id}")
    return render_template(
        "campaigns/show.html",
        progress=progress,
        campaign=progress["campaign"],
        purposes=PURPOSES,
        names=communities(),
    )


@blueprint.post("/<campaign_id>/launch")
@requires(HEAD)
def launch(campaign_id: str) -> ResponseReturnValue:
    """Open its visits; again, for the elders who joined its group since."""
    try:
        launched = call("visits", "POST", f"/campaigns/{campaign_id}/launch")
    except ApiProblem as problem:
        flash(in_language(problem.detail), "warning")
    else:
        created = launched["created"]
        flash(
            ngettext("%(num)d visit is opened.", "%(num)d visits are opened.", created), "success"
        )
    return redirect(url_for("campaigns.show", campaign_id=campaign_id))
