"""Allowance officer and approver: the monthly cycles (月度发放批次) of allowances' API, from
opening the roll to marking it paid. Who prepared a cycle never approves it: the page says so
to the preparer instead of offering the button, and allowances refuses it anyway."""

from datetime import datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, Read, call, read_all, settings
from portal.auth import kept_form, requires, roles
from portal.forms import FormState

blueprint = Blueprint("cycles", __name__, url_prefix="/cycles")
OFFICER, APPROVER = "allowance_officer", "approver"
READERS = (OFFICER, APPROVER, "community_head")
OPEN_FIELDS = ("programme", "month")
STEPS = (  # 生成、审核、审批、导出、已发放
    ("open", _l("Opened")),
    ("reviewed", _l("Reviewed")),
    ("approved", _l("Approved")),
    ("exported", _l("Exported")),
    ("paid", _l("Paid")),
)
PROGRAMMES = {"high_age": _l("High-age allowance"), "home_care_voucher": _l("Home-care voucher")}
ACTIONS = {  # what each step needs: the role, and the state it starts from
    "review": (OFFICER, "open"),
    "approve": (APPROVER, "reviewed"),
    "export": (OFFICER, "approved"),
    "paid": (OFFICER, "exported"),
}


CAMPAIGNS = Read("allowances", "/campaigns", {"page_size": 20})  # the latest festivals


def programme_names(campaigns: dict[str, Any]) -> dict[str, Any]:
    """The programmes by name: the standing ones and the festival campaigns listed."""
    return {**PROGRAMMES, **{c["programme"]: c["name"] for c in campaigns.get("items", [])}}


def list_page(form: FormState, status: int = 200) -> ResponseReturnValue:
    cycles, campaigns = read_all([Read("allowances", "/cycles", {"page_size": 50}), CAMPAIGNS])
    return (
        render_template(
            "cycles/list.html",
            cycles=cycles.get("items", []),
            form=form,
            programmes=programme_names(campaigns),
            steps=dict(STEPS),
            may_open=OFFICER in roles() or "district_admin" in roles(),
        ),
        status,
    )


@blueprint.get("")
@requires(*READERS)
def index() -> ResponseReturnValue:
    values = kept_form() or MultiDict(
        [("programme", "high_age"), ("month", datetime.now(settings().zone).strftime("%Y-%m"))]
    )
    return list_page(FormState(values, OPEN_FIELDS))


@blueprint.post("")
@requires(OFFICER)
def open_cycle() -> ResponseReturnValue:
    form = FormState(
        request.form,
        OPEN_FIELDS,
        labels={"programme": _l("the programme"), "month": _l("the month")},
    )
    body: dict[str, Any] = {"programme": form["programme"]}
    if form["month"]:
        body["month"] = form["month"]
    try:
        cycle = call("allowances", "POST", "/cycles", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return list_page(form, 422)
    flash(_("The cycle is opened and its roll frozen."), "success")
    return redirect(url_for("cycles.show", cycle_id=cycle["cycle_id"]))


def own_part(cycle: dict[str, Any], user: str) -> str | None:
    """What `user` did to the cycle that keeps them from approving it (four eyes), if any."""
    if cycle.get("opened_by") == user:
        return "prepared"
    if cycle.get("reviewed_by") == user:
        return "reviewed"
    return None


def cycle_page(cycle_id: str, form: FormState, status: int = 200) -> ResponseReturnValue:
    cycle = call("allowances", "GET", f"/cycles/{cycle_id}")
    held = roles() | ({OFFICER, APPROVER} if "district_admin" in roles() else set())
    state = cycle["state"]
    actions = [name for name, (role, start) in ACTIONS.items() if role in held and state == start]
    own = own_part(cycle, session.get("user", ""))
    if "approve" in actions and own:
        actions.remove("approve")
    reached = [s for s, _label in STEPS].index(state) if state in dict(STEPS) else -1
    return (
        render_template(
            "cycles/show.html",
            cycle=cycle,
            steps=STEPS,
            reached=reached,
            actions=actions,
            cannot_approve_own=own if APPROVER in held and state == "reviewed" else None,
            may_pay=bool(held & {OFFICER, APPROVER}),
            programmes=PROGRAMMES,
            form=form,
            today=datetime.now(settings().zone).date().isoformat(),
        ),
        status,
    )


@blueprint.get("/<cycle_id>")
@requires(*READERS)
def show(cycle_id: str) -> ResponseReturnValue:
    return cycle_page(cycle_id, FormState(kept_form() or MultiDict(), ("note", "paid_on")))


@blueprint.post("/<cycle_id>/<action>")
@requires(OFFICER, APPROVER)
def act(cycle_id: str, action: str) -> ResponseReturnValue:
    form = FormState(request.form, ("note", "paid_on"), labels={"paid_on": _l("the day paid")})
    if action not in ACTIONS:
        return cycle_page(cycle_id, form, 404)
    body: dict[str, Any] = {}
    if action == "review":
        body = {"note": form["note"] or None}
    elif action == "paid":
        body = {"paid_on": form["paid_on"]} if form["paid_on"] else {}
    try:
        call("allowances", "POST", f"/cycles/{cycle_id}/{action}", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return cycle_page(cycle_id, form, 422)
    done = {
        "review": _("Reviewed and submitted for approval."),
        "approve": _("Approved."),
        "export": _("The payment file is exported."),
        "paid": _("Marked paid."),
    }
    flash(done[action], "success")
    return redirect(url_for("cycles.show", cycle_id=cycle_id))
