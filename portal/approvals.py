"""Approver: the cycles waiting for approval (reviewed, not yet approved), each with who
prepared it. Never one's own: beside a cycle the approver prepared or reviewed, the page says
so instead of offering the button (allowances refuses it anyway)."""

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, Read, call, read_all
from portal.auth import requires
from portal.cycles import APPROVER, CAMPAIGNS, PROGRAMMES, own_part, programme_names
from portal.forms import FormState

blueprint = Blueprint("approvals", __name__, url_prefix="/approvals")
WAITING = "reviewed"


def waiting(cycles: list[dict[str, Any]], user: str) -> list[dict[str, Any]]:
    """The cycles to approve, oldest month first, each saying whether `user` prepared or
    reviewed it (`own`)."""
    found = [c for c in cycles if c.get("state") == WAITING and not c.get("approved_by")]
    ordered = sorted(found, key=lambda c: (c.get("month") or "", c["cycle_id"]))
    return [{**c, "own": own_part(c, user)} for c in ordered]


def queue(form: FormState, status: int = 200) -> ResponseReturnValue:
    cycles, campaigns = read_all(
        [Read("allowances", "/cycles", {"state": WAITING, "page_size": 100}), CAMPAIGNS]
    )
    return (
        render_template(
            "approvals/queue.html",
            cycles=waiting(cycles.get("items", []), session.get("user", "")),
            programmes=programme_names(campaigns),
            form=form,
        ),
        status,
    )


@blueprint.get("")
@requires(APPROVER)
def index() -> ResponseReturnValue:
    return queue(FormState(MultiDict(), ()))


@blueprint.post("/<cycle_id>")
@requires(APPROVER)
def approve(cycle_id: str) -> ResponseReturnValue:
    form = FormState(request.form, ())
    try:
        cycle = call("allowances", "POST", f"/cycles/{cycle_id}/approve", json={})
    except ApiProblem as problem:
        form.add_problem(problem)
        return queue(form, 422)
    name = f"{PROGRAMMES.get(cycle['programme'], cycle['programme'])} {cycle.get('month') or ''}"
    flash(_("%(cycle)s is approved.", cycle=name), "success")
    return redirect(url_for("approvals.index"))
