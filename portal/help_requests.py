"""Visitor (community worker), on a phone: the help requests (求助) of my communities — hotline
calls and love umbrellas (爱心伞) — those waiting for someone to respond, the most pressing
first, and those being handled; taking charge of one, and resolving it."""

import uuid
from datetime import datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, Read, call, read_all, settings
from portal.auth import forbidden, kept_form, requires
from portal.communities import communities_listed, may_see
from portal.forms import FormState
from portal.visits import PAGE_SIZE, WORKERS, elder_names
from portal.words import help_channel, referral_kinds, urgency

blueprint = Blueprint("help_requests", __name__, url_prefix="/help-requests")
RESOLVE_FIELDS = ("resolution",)
RESOLVE_LABELS = {"resolution": _l("how it was resolved")}
OPEN_STATES = ("open", "responding")


def shown(help_request: dict[str, Any], elders: dict[str, dict[str, Any]]) -> dict[str, Any]:
    zone = settings().zone
    return {
        **help_request,
        "elder": elders.get(help_request["elder_id"], {}),
        "respond_by_local": datetime.fromisoformat(help_request["respond_by"]).astimezone(zone),
        "channel_label": help_channel(help_request["channel"]),
        "urgency_label": urgency(help_request["urgency"]),
    }


def unresolved_reads(communities: tuple[str, ...] | None) -> list[Read]:
    """Open and responding requests of each community (None: as far as the API lets)."""
    scopes: list[dict[str, str]] = (
        [{}] if communities is None else [{"community": c} for c in communities]
    )
    return [
        Read("visits", "/help-requests", {**scope, "status": status, "page_size": PAGE_SIZE})
        for scope in scopes
        for status in OPEN_STATES
    ]


def split(requests: list[dict[str, Any]], me: str) -> dict[str, list[dict[str, Any]]]:
    """Waiting for a responder (most pressing first), mine, and others' being handled."""
    ordered = sorted(requests, key=lambda r: r["respond_by"])
    return {
        "waiting": [r for r in ordered if r["status"] == "open"],
        "mine": [r for r in ordered if r["status"] == "responding" and r["responder"] == me],
        "others": [r for r in ordered if r["status"] == "responding" and r["responder"] != me],
    }


@blueprint.get("")
@requires(*WORKERS)
def index() -> ResponseReturnValue:
    pages = read_all(unresolved_reads(communities_listed()))
    found = [r for page in pages for r in page.get("items", [])]
    elders = elder_names({r["elder_id"] for r in found})
    groups = split([shown(r, elders) for r in found], session["user"])
    return render_template("help_requests/index.html", groups=groups)


def elder_to_call(elder_id: str) -> dict[str, Any]:
    """The elder with the phone whole, to call them (visits masks phones in its list of
    elders, not on one elder's record); one visits no longer knows is shown by its id."""
    (answer,) = read_all([Read("visits", f"/elders/{elder_id}")], problems_kept=True)
    return {} if isinstance(answer, ApiProblem) else answer


def request_page(request_id: str, form: FormState, status: int = 200) -> ResponseReturnValue:
    help_request = call("visits", "GET", f"/help-requests/{request_id}")
    if not may_see(help_request["community"]):
        return forbidden()
    elders = {help_request["elder_id"]: elder_to_call(help_request["elder_id"])}
    beyond = call("visits", "GET", f"/help-requests/{request_id}/beyond")
    return (
        render_template(
            "help_requests/show.html",
            help_request=shown(help_request, elders),
            form=form,
            beyond=beyond,
            referral_kinds=referral_kinds(),
            new_id=lambda: str(uuid.uuid4()),
        ),
        status,
    )


@blueprint.get("/<request_id>")
@requires(*WORKERS)
def show(request_id: str) -> ResponseReturnValue:
    form = FormState(kept_form() or MultiDict(), RESOLVE_FIELDS, labels=RESOLVE_LABELS)
    return request_page(request_id, form)


@blueprint.post("/<request_id>/respond")
@requires(*WORKERS)
def respond(request_id: str) -> ResponseReturnValue:
    return act(request_id, "respond", {}, _("You are responding to this request."))


@blueprint.post("/<request_id>/resolve")
@requires(*WORKERS)
def resolve(request_id: str) -> ResponseReturnValue:
    form = FormState(request.form, RESOLVE_FIELDS, labels=RESOLVE_LABELS)
    if not form.require("resolution"):
        return request_page(request_id, form, 422)
    body = {"resolution": form["resolution"]}
    return act(request_id, "resolve", body, _("The request is resolved."), form)


def act(
    request_id: str,
    action: str,
    body: dict[str, Any],
    done: str,
    form: FormState | None = None,
) -> ResponseReturnValue:
    form = form or FormState(MultiDict(), RESOLVE_FIELDS, labels=RESOLVE_LABELS)
    help_request = call("visits", "GET", f"/help-requests/{request_id}")
    if not may_see(help_request["community"]):
        return forbidden()
    try:
        call("visits", "POST", f"/help-requests/{request_id}/{action}", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return request_page(request_id, form, 422)
    flash(done, "success")
    return redirect(url_for("help_requests.show", request_id=request_id))
