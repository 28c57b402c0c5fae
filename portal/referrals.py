"""Help beyond a visit, on the help request's page: the request referred to a department or a
legal helper and what came of it; relief raised for the elder, gift by gift, in yuan, and
handed over. Each form sends one thing and comes back to the request's page, saying how it
went (a refusal in the user's language)."""

import uuid
from collections.abc import Mapping

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.apis import changed
from portal.auth import requires
from portal.money import fen
from portal.visits import WORKERS

blueprint = Blueprint("referrals", __name__, url_prefix="/help-requests")


def sent(request_id: str, path: str, body: Mapping[str, object], done: str) -> ResponseReturnValue:
    changed(f"/help-requests/{request_id}/{path}", body, done)
    return redirect(url_for("help_requests.show", request_id=request_id))


def said(name: str) -> str:
    return request.form.get(name, "").strip()


@blueprint.post("/<request_id>/referrals")
@requires(*WORKERS)
def refer(request_id: str) -> ResponseReturnValue:
    body = {"kind": said("kind"), "referred_to": said("referred_to"), "reason": said("reason")}
    return sent(request_id, "referrals", body, _("The request is referred."))


@blueprint.post("/<request_id>/referrals/<referral_id>/outcome")
@requires(*WORKERS)
def conclude(request_id: str, referral_id: str) -> ResponseReturnValue:
    path = f"referrals/{referral_id}/outcome"
    return sent(request_id, path, {"outcome": said("outcome")}, _("The outcome is recorded."))


@blueprint.post("/<request_id>/relief")
@requires(*WORKERS)
def open_relief(request_id: str) -> ResponseReturnValue:
    return sent(request_id, "relief", {"purpose": said("purpose")}, _("The relief is opened."))


def amount() -> int | None:
    """The amount typed in yuan, in fen; None (and a warning) when it is not one."""
    found = fen(said("amount"))
    if found is None:
        flash(_("Enter the amount in yuan, for instance 300 or 300.50."), "warning")
    return found


@blueprint.post("/<request_id>/relief/<relief_id>/gifts")
@requires(*WORKERS)
def give(request_id: str, relief_id: str) -> ResponseReturnValue:
    amount_fen = amount()
    if amount_fen is None:
        return redirect(url_for("help_requests.show", request_id=request_id))
    body = {
        "gift_id": said("gift_id") or str(uuid.uuid4()),
        "given_by": said("given_by"),
        "amount_fen": amount_fen,
    }
    return sent(request_id, f"relief/{relief_id}/gifts", body, _("The gift is recorded."))


@blueprint.post("/<request_id>/relief/<relief_id>/handovers")
@requires(*WORKERS)
def hand_over(request_id: str, relief_id: str) -> ResponseReturnValue:
    amount_fen = amount()
    if amount_fen is None:
        return redirect(url_for("help_requests.show", request_id=request_id))
    body = {
        "handover_id": said("handover_id") or str(uuid.uuid4()),
        "received_by": said("received_by"),
        "amount_fen": amount_fen,
    }
    path = f"relief/{relief_id}/handovers"
    return sent(request_id, path, body, _("The handover is recorded."))
