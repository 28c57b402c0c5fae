"""Allowance officer: the rest of a cycle's work: who its roll leaves out and why, the lines its
payment file cannot pay (payment exceptions), and the payment file itself, passed through the
workbench with the user's token so that the services stay out of the browser's reach."""

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from portal.apis import Read, download, passed_on, read_all
from portal.auth import requires
from portal.bound_reports import FORMATS, bound_home_care_report
from portal.cycles import APPROVER, OFFICER, PROGRAMMES, READERS
from portal.forms import FormState
from portal.paging import PAGE_SIZE, Pages, requested_page
from portal.rosters import MONTH

blueprint = Blueprint("payments", __name__, url_prefix="/cycles")
EXCLUSIONS = {  # why a roll leaves an elder out (排除原因)
    "under_age": _l("Under age"),
    "deceased": _l("Deceased"),
    "moved_out": _l("Moved out of the district"),
    "merged": _l("Duplicate record merged"),
    "not_enrolled": _l("Not enrolled for home care"),
    "not_targeted": _l("Not in the campaign's target group"),
    "not_on_roll": _l("Not on the roll when it was frozen"),
}
EXCEPTIONS = {  # why the payment file cannot pay a line
    "no_account": _l("No payee account registered: withheld"),
    "negative_amount": _l("Amount to recover, not to pay"),
}
FILE_FORMATS = ("csv", "xlsx")


@blueprint.get("/<cycle_id>/exclusions")
@requires(*READERS)
def exclusions(cycle_id: str) -> ResponseReturnValue:
    """The elders the roll leaves out, each with the reason, filterable by reason."""
    form = FormState(request.args, ("reason",), choices=frozenset({"reason"}))
    params = {"eligible": "false", "page": requested_page(request.args), "page_size": PAGE_SIZE}
    if form["reason"] in EXCLUSIONS:
        params["reason"] = form["reason"]
    cycle, lines = read_all(
        [
            Read("allowances", f"/cycles/{cycle_id}"),
            Read("allowances", f"/cycles/{cycle_id}/lines", params),
        ]
    )
    return render_template(
        "payments/exclusions.html",
        cycle=cycle,
        lines=lines["items"],
        pages=Pages.of(lines),
        form=form,
        reasons=EXCLUSIONS,
        programmes=PROGRAMMES,
    )


@blueprint.get("/<cycle_id>/payment-exceptions")
@requires(OFFICER, APPROVER)
def exceptions(cycle_id: str) -> ResponseReturnValue:
    """What the payment file cannot pay: as exported, or before export a preview."""
    cycle, order = read_all(
        [
            Read("allowances", f"/cycles/{cycle_id}"),
            Read("allowances", f"/cycles/{cycle_id}/payment-exceptions"),
        ]
    )
    return render_template(
        "payments/exceptions.html",
        cycle=cycle,
        order=order,
        reasons=EXCEPTIONS,
        programmes=PROGRAMMES,
    )


@blueprint.get("/<cycle_id>/payment-file")
@requires(OFFICER, APPROVER)
def payment_file(cycle_id: str) -> ResponseReturnValue:
    """The bank's file of an exported cycle, as allowances answers it (CSV or XLSX)."""
    file_format = request.args.get("format", "csv")
    if file_format not in FILE_FORMATS:
        abort(404)
    return passed_on(
        download("allowances", f"/cycles/{cycle_id}/payment-file", {"format": file_format})
    )


@blueprint.get("/high_age:<month>/report")
@requires(*READERS)
def high_age_report(month: str) -> ResponseReturnValue:
    """The month's high-age allowance report (高龄津贴月报表), as the workbook the office files
    or the form to print (PDF); a community's head gets their community's."""
    file_format = request.args.get("format", "xlsx")
    if file_format not in ("xlsx", "pdf"):
        abort(404)
    path = f"/reports/high-age/{month}"
    return passed_on(download("allowances", path, {"format": file_format}))


@blueprint.get("/home_care_voucher:<month>/report")
@requires(*READERS)
def home_care_report(month: str) -> ResponseReturnValue:
    """The month's home-care report (居家养老月报表) of the district whole, as the office files
    it: the households enrolled and their elders, the vouchers issued, redeemed and expired
    (allowances), then the visits and the services (visits); one workbook, or one form to
    print. A community's head gets their community's."""
    file_format = request.args.get("format", "xlsx")
    if file_format not in FORMATS or not MONTH.match(month):
        abort(404)
    return bound_home_care_report(month, file_format, {})
