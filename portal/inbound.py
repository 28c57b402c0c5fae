"""Intake clerk: events from other systems whose ID number matched no registered elder
(parked by intake). Each is matched by hand to an elder, and then applied as if it had matched,
or set aside with the reason."""

from datetime import datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, call, settings
from portal.auth import requires, roles
from portal.elders import CLERK, communities
from portal.forms import FormState
from portal.words import inbound_event, sexes

blueprint = Blueprint("inbound", __name__, url_prefix="/inbound-events")
PAGE_SIZE = 100
BY_ID_NUMBER = ""  # the elder_id of "the elder registered with the event's ID number"


def local(moment: str | None) -> str:
    if not moment:
        return ""
    return datetime.fromisoformat(moment).astimezone(settings().zone).strftime("%Y-%m-%d %H:%M")


def shown(receipt: dict[str, Any]) -> dict[str, Any]:
    return {
        **receipt,
        "what": inbound_event(receipt["type"]),
        "occurred": local(receipt.get("occurred_at")),
        "received": local(receipt.get("received_at")),
    }


@blueprint.get("")
@requires(CLERK)
def parked() -> ResponseReturnValue:
    page = max(1, request.args.get("page", 1, type=int))
    found = call(
        "intake",
        "GET",
        "/inbound/receipts",
        params={"status": "parked", "page": page, "page_size": PAGE_SIZE},
    )
    return render_template(
        "inbound/parked.html",
        receipts=[shown(r) for r in found["items"]],
        total=found["total"],
        page=page,
        more=page * PAGE_SIZE < found["total"],
    )


ADMIN = "district_admin"  # may apply an event to an elder with another ID number


def match_form(values: MultiDict[str, str]) -> FormState:
    labels = {"elder_id": _l("the elder"), "override": _l("the reason")}
    return FormState(values, ("elder_id", "override"), labels=labels)


def discard_form(values: MultiDict[str, str]) -> FormState:
    return FormState(values, ("reason",), labels={"reason": _l("the reason")})


def candidates(name: str) -> list[dict[str, Any]] | None:
    """The elders of this name, to choose from; None when no name was searched."""
    if not name:
        return None
    found = call("intake", "GET", "/elders", params={"name": name, "page_size": 50})
    return list(found["items"])


def event_page(
    key: str, matching: FormState, discarding: FormState, status: int = 200
) -> ResponseReturnValue:
    receipt = shown(call("intake", "GET", f"/inbound/receipts/{key}"))
    name = request.values.get("name", "").strip()
    found = candidates(name)
    names = communities() if found else {}
    choices = {BY_ID_NUMBER: _("The elder registered with the event's ID number")}
    for elder in found or []:
        choices[elder["elder_id"]] = " · ".join(
            (
                elder["name"],
                sexes().get(elder["sex"], elder["sex"]),
                _("%(age)s years old", age=elder["age"]),
                names.get(elder["community"], elder["community"]),
                elder["national_id"],
            )
        )
    return (
        render_template(
            "inbound/event.html",
            receipt=receipt,
            form=discarding if discarding.has_errors else matching,
            matching=matching,
            discarding=discarding,
            name=name,
            found=found,
            choices=choices,
            may_override=ADMIN in roles(),
        ),
        status,
    )


@blueprint.get("/<key>")
@requires(CLERK)
def event(key: str) -> ResponseReturnValue:
    return event_page(key, match_form(MultiDict()), discard_form(MultiDict()))


@blueprint.post("/<key>/match")
@requires(CLERK)
def match(key: str) -> ResponseReturnValue:
    form = match_form(request.form)
    try:
        receipt = call(
            "intake",
            "POST",
            f"/inbound/receipts/{key}/match",
            json={"elder_id": form["elder_id"] or None, "override": form["override"] or None},
        )
    except ApiProblem as problem:
        if problem.status in (404, 409, 422) and not problem.fields:
            problem.fields = {"elder_id": [problem.detail]}
        form.add_problem(problem)
        return event_page(key, form, discard_form(MultiDict()), 422)
    elder = call("intake", "GET", f"/elders/{receipt['elder_id']}")
    flash(_("The event is applied to %(name)s.", name=elder["name"]), "success")
    return redirect(url_for("inbound.parked"))


@blueprint.post("/<key>/discard")
@requires(CLERK)
def discard(key: str) -> ResponseReturnValue:
    form = discard_form(request.form)
    if not form["reason"]:
        form.add_error("reason", _("Enter why the event is set aside."))
        return event_page(key, match_form(MultiDict()), form, 422)
    try:
        call("intake", "POST", f"/inbound/receipts/{key}/discard", json={"reason": form["reason"]})
    except ApiProblem as problem:
        if problem.status == 409 and not problem.fields:
            problem.fields = {"reason": [problem.detail]}
        form.add_problem(problem)
        return event_page(key, match_form(MultiDict()), form, 422)
    flash(_("The event is set aside."), "success")
    return redirect(url_for("inbound.parked"))
