"""Allowance officer and approver: overpayments after deaths and moves (多发追回), receivables
resolved with four eyes: an officer proposes one recovered (receipt and day received) or waived
(reason), and an approver other than the proposer approves or rejects the proposal."""

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, call
from portal.auth import kept_form, requires, roles
from portal.cycles import APPROVER, OFFICER, READERS
from portal.forms import FormState
from portal.paging import PAGE_SIZE, Pages, requested_page

blueprint = Blueprint("overpayments", __name__, url_prefix="/overpayments")
STATUSES = {
    "open": _l("Open: to recover"),
    "proposed": _l("Resolution proposed"),
    "recovered": _l("Recovered"),
    "waived": _l("Waived"),
    "cancelled": _l("Cancelled (its cause was revoked)"),
    "recovering": _l("Being recovered"),
}
CAUSES = {"deceased": _l("Death"), "moved_out": _l("Moved out of the district")}
OUTCOMES = {"recovered": _l("Recovered: the money was collected"), "waived": _l("Waived")}
PROPOSAL_FIELDS = ("outcome", "receipt", "received_on", "reason")
PROPOSAL_LABELS = {
    "outcome": _l("the outcome"),
    "receipt": _l("the receipt number"),
    "received_on": _l("the day the money came in"),
    "reason": _l("the reason"),
}
DECISION_FIELDS = ("note",)


@blueprint.get("")
@requires(*READERS)
def index() -> ResponseReturnValue:
    form = FormState(request.args, ("status",), choices=frozenset({"status"}))
    params: dict[str, Any] = {"page": requested_page(request.args), "page_size": PAGE_SIZE}
    if form["status"] in STATUSES:
        params["status"] = form["status"]
    found = call("allowances", "GET", "/overpayments", params=params)
    return render_template(
        "overpayments/list.html",
        overpayments=found["items"],
        pages=Pages.of(found),
        form=form,
        statuses=STATUSES,
        causes=CAUSES,
    )


def page(overpayment_id: str, form: FormState, status: int = 200) -> ResponseReturnValue:
    overpayment = call("allowances", "GET", f"/overpayments/{overpayment_id}")
    held = roles() | ({OFFICER, APPROVER} if "district_admin" in roles() else set())
    own = overpayment.get("proposed_by") == session.get("user")
    proposed = overpayment["status"] == "proposed"
    return (
        render_template(
            "overpayments/show.html",
            overpayment=overpayment,
            form=form,
            may_propose=OFFICER in held and overpayment["status"] == "open",
            may_decide=APPROVER in held and proposed and not own,
            cannot_decide_own=APPROVER in held and proposed and own,
            statuses=STATUSES,
            causes=CAUSES,
            outcomes=OUTCOMES,
        ),
        status,
    )


@blueprint.get("/<overpayment_id>")
@requires(*READERS)
def show(overpayment_id: str) -> ResponseReturnValue:
    values = kept_form() or MultiDict([("outcome", "recovered")])
    return page(overpayment_id, FormState(values, PROPOSAL_FIELDS + DECISION_FIELDS))


def proposal(form: FormState) -> dict[str, Any]:
    """The body of a proposal: what the outcome chosen needs, as typed."""
    if form["outcome"] == "recovered":
        return {
            "outcome": "recovered",
            "receipt": form["receipt"],
            "received_on": form["received_on"],
        }
    return {"outcome": form["outcome"], "reason": form["reason"]}


@blueprint.post("/<overpayment_id>/resolution")
@requires(OFFICER)
def propose(overpayment_id: str) -> ResponseReturnValue:
    form = FormState(
        request.form, PROPOSAL_FIELDS, labels=PROPOSAL_LABELS, choices=frozenset({"outcome"})
    )
    path = f"/overpayments/{overpayment_id}/resolution"
    return _send(overpayment_id, form, path, proposal(form), _("The resolution is proposed."))


@blueprint.post("/<overpayment_id>/decision")
@requires(APPROVER)
def decide(overpayment_id: str) -> ResponseReturnValue:
    form = FormState(request.form, DECISION_FIELDS, labels={"note": _l("your reason")})
    approve = request.form.get("decision") == "approve"
    path = f"/overpayments/{overpayment_id}/resolution/{'approve' if approve else 'reject'}"
    done = _("The resolution is approved.") if approve else _("The proposal is rejected.")
    return _send(overpayment_id, form, path, {"note": form["note"] or None}, done)


def _send(
    overpayment_id: str, form: FormState, path: str, body: dict[str, Any], done: str
) -> ResponseReturnValue:
    try:
        call("allowances", "POST", path, json={k: v for k, v in body.items() if v != ""})
    except ApiProblem as problem:
        form.add_problem(problem)
        return page(overpayment_id, form, 422)
    flash(done, "success")
    return redirect(url_for("overpayments.show", overpayment_id=overpayment_id))
