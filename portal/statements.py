"""Allowance officer (and approver): one elder's statement: every amount on every roll, each
item naming its rule; the standing per programme; overpayments, adjustments and vouchers."""

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from portal.apis import call
from portal.auth import requires
from portal.cycles import PROGRAMMES, READERS
from portal.overpayments import CAUSES, STATUSES
from portal.payments import EXCLUSIONS

blueprint = Blueprint("statements", __name__)
STANDINGS = {
    "granted": _l("Granted"),
    "suspended": _l("Suspended"),
    "ended": _l("Ended"),
}

VOUCHERS = {
    "not_issued": _l("Not issued yet"),
    "issued": _l("Issued"),
    "redeemed": _l("Redeemed"),
    "void": _l("Void"),
    "expired": _l("Expired"),
}


def programme_name(code: str) -> str:
    """A programme's name; a festival campaign is named by its code."""
    return str(PROGRAMMES.get(code, code))


@blueprint.get("/elders/<elder_id>/statement")
@requires(*READERS)
def show(elder_id: str) -> ResponseReturnValue:
    statement = call("allowances", "GET", f"/elders/{elder_id}/statement")
    lines = sorted(statement.get("lines", []), key=lambda line: line["month"], reverse=True)
    return render_template(
        "statements/show.html",
        elder=statement["elder"],
        statement=statement,
        lines=lines,
        paid_fen=sum(line["amount_fen"] for line in lines if line.get("eligible")),
        programme_name=programme_name,
        standings=STANDINGS,
        exclusions=EXCLUSIONS,
        causes=CAUSES,
        statuses=STATUSES,
        vouchers=VOUCHERS,
    )
