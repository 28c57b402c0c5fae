"""Pairings (结对帮扶), on a phone: those the user is the partner of, and those of their
communities (a partner with no account has their visits recorded by the community's worker);
one pairing with the partner's phone whole, and ending it, which visits leaves to the head."""

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, Read, call, read_all
from portal.auth import forbidden, kept_form, requires, roles
from portal.communities import HEAD, communities_listed, may_see
from portal.forms import FormState
from portal.visits import PAGE_SIZE, WORKERS, elder_names
from portal.words import partner_kind

blueprint = Blueprint("pairings", __name__, url_prefix="/pairings")
END_FIELDS = ("reason",)
END_LABELS = {"reason": _l("why the pairing ends")}


def shown(pairing: dict[str, Any], elders: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        **pairing,
        "elder": elders.get(pairing["elder_id"], {}),
        "kind_label": partner_kind(pairing["partner_kind"]),
    }


def active(params: dict[str, str]) -> Read:
    return Read("visits", "/pairings", {**params, "status": "active", "page_size": PAGE_SIZE})


@blueprint.get("")
@requires(*WORKERS)
def index() -> ResponseReturnValue:
    me = session["user"]
    mine, *of_communities = read_all(
        [active({"partner_id": me})]
        + [active({"community": c}) for c in communities_listed() or ()]
    )
    others = [p for page in of_communities for p in page.get("items", [])]
    found = mine.get("items", []) + others
    elders = elder_names({p["elder_id"] for p in found})
    return render_template(
        "pairings/index.html",
        mine=[shown(p, elders) for p in mine.get("items", [])],
        others=[shown(p, elders) for p in others if p["partner_id"] != me],
    )


def pairing_page(pairing_id: str, form: FormState, status: int = 200) -> ResponseReturnValue:
    pairing = call("visits", "GET", f"/pairings/{pairing_id}")
    if not may_see(pairing["community"]):
        return forbidden()
    elders = elder_names({pairing["elder_id"]})
    may_end = bool(roles() & {HEAD, "district_admin"}) and pairing["status"] == "active"
    return (
        render_template(
            "pairings/show.html", pairing=shown(pairing, elders), form=form, may_end=may_end
        ),
        status,
    )


@blueprint.get("/<pairing_id>")
@requires(*WORKERS)
def show(pairing_id: str) -> ResponseReturnValue:
    form = FormState(kept_form() or MultiDict(), END_FIELDS, labels=END_LABELS)
    return pairing_page(pairing_id, form)


@blueprint.post("/<pairing_id>/end")
@requires(HEAD)
def end(pairing_id: str) -> ResponseReturnValue:
    form = FormState(request.form, END_FIELDS, labels=END_LABELS)
    if not form.require("reason"):
        return pairing_page(pairing_id, form, 422)
    pairing = call("visits", "GET", f"/pairings/{pairing_id}")
    if not may_see(pairing["community"]):
        return forbidden()
    try:
        call("visits", "POST", f"/pairings/{pairing_id}/end", json={"reason": form["reason"]})
    except ApiProblem as problem:
        form.add_problem(problem)
        return pairing_page(pairing_id, form, 422)
    flash(_("The pairing has ended; its visits stop from next month."), "success")
    return redirect(url_for("pairings.show", pairing_id=pairing_id))
