"""Monthly cycles: open (freeze the roll), review, approve, export, mark paid; the roll's lines
and the payment file."""

from typing import Any

from flask import Response

from services.allowances.domain.cycle import AllowanceCycle
from services.allowances.domain.roll import RollLine
from services.allowances.entrypoints import schemas
from services.allowances.entrypoints.api import (
    APPROVER,
    OFFICER,
    READERS,
    allowances,
    district_only,
)
from services.allowances.service_layer import cycles, queries
from services.allowances.service_layer.opening import open_cycle
from shared.clock import local_today
from shared.documents import plain
from shared.web.access_log import logs_access
from shared.web.auth import community_scope, principal, requires, scoped
from shared.web.blueprint import Blueprint
from shared.web.files import also_as_file
from shared.web.pagination import page, page_schema, paged
from shared.web.problems import documented

blueprint = Blueprint(
    "cycles",
    __name__,
    url_prefix="/cycles",
    description="Monthly cycles per programme: open -> reviewed -> approved -> exported -> paid",
)
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def cycle_view(cycle: AllowanceCycle) -> dict[str, Any]:
    today = local_today(allowances().clock, allowances().settings.zone)
    totals = cycle.totals
    return {
        **plain(cycle),
        "overdue": cycle.overdue(today),
        "totals": {**plain(totals), "reconciles": totals.reconciles} if totals else None,
    }


def line_view(line: RollLine) -> dict[str, Any]:
    return {**plain(line), "line_id": line.line_id, "amount_fen": line.amount_fen}


@blueprint.route("", methods=["POST"])
@requires(OFFICER)
@blueprint.arguments(schemas.OpenCycleSchema)
@blueprint.response(201, schemas.CycleSchema)
@documented(blueprint, 404, 409, 422)
def post_cycle(body: dict[str, Any]) -> dict[str, Any]:
    """Open a programme's cycle for a month: compute and freeze its roll

    Every elder known to allowances gets a line: paid, with items naming the rule of each
    amount (including back pay and recoveries), or excluded with the reason. A cycle cannot
    be opened for a future month, nor for a month before the programme's latest cycle. If an
    opening was interrupted, the same request finishes it.
    """
    return cycle_view(open_cycle(allowances(), body["programme"], body["month"], principal().user))


@blueprint.route("")
@requires(*READERS)
@blueprint.arguments(schemas.CycleListArgs, location="query")
@blueprint.response(200, page_schema(schemas.CycleSchema))
def list_cycles(args: dict[str, Any]) -> dict[str, Any]:
    """Cycles, the latest month first"""
    query = queries.cycles_query(args)
    found, total = allowances().cycles.find(query, [("month", -1), ("_id", 1)], *paged(args))
    return page(args, [cycle_view(c) for c in found], total)


@blueprint.route("/<cycle_id>")
@requires(*READERS)
@blueprint.response(200, schemas.CycleSchema)
@documented(blueprint, 404)
def get_cycle(cycle_id: str) -> dict[str, Any]:
    """One cycle: its state, who did what when, its totals and whether they reconcile"""
    return cycle_view(allowances().cycles.require(cycle_id))


@blueprint.route("/<cycle_id>/review", methods=["POST"])
@requires(OFFICER)
@blueprint.arguments(schemas.ReviewSchema)
@blueprint.response(200, schemas.CycleSchema)
@documented(blueprint, 404, 409)
def review(body: dict[str, Any], cycle_id: str) -> dict[str, Any]:
    """Review the frozen roll and submit the report for approval (flagged late after the
    due day)"""
    return cycle_view(cycles.review_cycle(allowances(), cycle_id, principal().user, body["note"]))


@blueprint.route("/<cycle_id>/approve", methods=["POST"])
@requires(APPROVER)
@blueprint.response(200, schemas.CycleSchema)
@documented(blueprint, 404, 409, 422)
def approve(cycle_id: str) -> dict[str, Any]:
    """Approve a reviewed cycle; its preparer cannot, whatever their roles"""
    return cycle_view(cycles.approve_cycle(allowances(), cycle_id, principal().user))


@blueprint.route("/<cycle_id>/export", methods=["POST"])
@requires(OFFICER)
@blueprint.response(200, schemas.CycleSchema)
@documented(blueprint, 403, 404, 409)
def export(cycle_id: str) -> dict[str, Any]:
    """Export an approved cycle's payment file; download it from `payment-file`

    Not for a user bound to a community (403): the file is the district's one batch."""
    district_only("Exporting the payment file")
    return cycle_view(cycles.export_cycle(allowances(), cycle_id, principal().user))


@blueprint.route("/<cycle_id>/paid", methods=["POST"])
@requires(OFFICER)
@blueprint.arguments(schemas.PaidSchema)
@blueprint.response(200, schemas.CycleSchema)
@documented(blueprint, 403, 404, 409, 422)
def paid(body: dict[str, Any], cycle_id: str) -> dict[str, Any]:
    """Mark an exported cycle paid; the overpayments it recovers are then recovered

    Not for a user bound to a community (403): the file paid is the district's one batch."""
    district_only("Marking the payment file paid")
    return cycle_view(
        cycles.mark_cycle_paid(allowances(), cycle_id, principal().user, body["paid_on"])
    )


@blueprint.route("/<cycle_id>/payment-file")
@requires(OFFICER, APPROVER)
@logs_access("payment_file", "cycle_id")
@blueprint.arguments(schemas.FileArgs, location="query")
@blueprint.response(200, content_type=MIMETYPES["csv"])
@also_as_file(blueprint, MIMETYPES["csv"], MIMETYPES["xlsx"])
@documented(blueprint, 403, 404, 409)
def payment_file(args: dict[str, Any], cycle_id: str) -> Response:
    """The payment file of an exported cycle: CSV (`format=csv`), a bank's batch import of
    payments into the registered accounts with its total; or XLSX, with the exceptions and a
    summary. Not for a user bound to a community (403): it is the district's one batch, and
    a part of it sent to the bank as well would pay twice"""
    district_only("The payment file")
    content, filename = cycles.payment_file(allowances(), cycle_id, args["format"])
    return Response(
        content,
        mimetype=MIMETYPES[args["format"]],
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )


@blueprint.route("/<cycle_id>/payment-exceptions")
@requires(OFFICER, APPROVER)
@blueprint.response(200, schemas.PaymentExceptionsSchema)
@documented(blueprint, 404, 409, 422)
def payment_exceptions(cycle_id: str) -> dict[str, Any]:
    """Lines the payment file cannot pay (e.g. no payee account), with their reason: as
    exported, or before export a preview with the accounts registered now. A user bound to
    a community sees their community's part: its payments, amounts and exceptions"""
    order, fixed = cycles.payment_exceptions(allowances(), cycle_id)
    community = community_scope()
    if community:
        order = order.of_community(community)
    return {
        "cycle_id": cycle_id,
        "fixed": fixed,
        "payments": len(order.payments),
        "file_amount_fen": order.total_fen,
        "withheld_fen": order.withheld_fen,
        "exceptions": [plain(e) for e in order.exceptions],
    }


@blueprint.route("/<cycle_id>/lines")
@requires(*READERS)
@blueprint.arguments(schemas.LineListArgs, location="query")
@blueprint.response(200, page_schema(schemas.RollLineSchema))
@documented(blueprint, 404)
def lines(args: dict[str, Any], cycle_id: str) -> dict[str, Any]:
    """The roll: every elder's line, paid or excluded with the reason"""
    allowances().cycles.require(cycle_id)
    args = scoped(args)
    found, total = allowances().lines.find(queries.lines_query(cycle_id, args), *paged(args))
    return page(args, [line_view(line) for line in found], total)
