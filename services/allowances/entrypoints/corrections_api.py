"""Corrections carried by later cycles: adjustments with their reasons, and overpayments."""

from typing import Any

from services.allowances.domain.adjustments import Adjustment
from services.allowances.entrypoints import schemas
from services.allowances.entrypoints.api import APPROVER, OFFICER, READERS, allowances, known_elder
from services.allowances.service_layer import queries
from services.allowances.service_layer.corrections import (
    adjust,
    decide_resolution,
    propose_resolution,
)
from shared.documents import plain
from shared.web.auth import community_scope, forbidden, principal, requires
from shared.web.blueprint import Blueprint
from shared.web.pagination import page, page_schema, paged
from shared.web.problems import documented

blueprint = Blueprint(
    "corrections",
    __name__,
    description="Adjustments and overpayments: corrections made in a later cycle",
)


def adjustment_view(adjustment: Adjustment) -> dict[str, Any]:
    return {**plain(adjustment), "outstanding_fen": adjustment.outstanding_fen}


def _query(args: dict[str, Any]) -> dict[str, Any]:
    """Filters; a user bound to a community lists one elder's corrections at a time."""
    query = queries.corrections_query(args)
    if community_scope():
        if "elder_id" not in query:
            forbidden("Users of one community list one elder's corrections.")
        known_elder(query["elder_id"])
    return query


@blueprint.route("/adjustments", methods=["POST"])
@requires(OFFICER)
@blueprint.arguments(schemas.AdjustmentRequestSchema)
@blueprint.response(201, schemas.AdjustmentSchema)
@documented(blueprint, 404, 422)
def post_adjustment(body: dict[str, Any]) -> dict[str, Any]:
    """Record a correction (positive: pay more; negative: recover) for the programme's next
    cycle, with its reason; a user bound to a community corrects only its elders"""
    known_elder(body["elder_id"])
    return adjustment_view(adjust(allowances(), by=principal().user, **body))


@blueprint.route("/adjustments")
@requires(OFFICER, APPROVER)
@blueprint.arguments(schemas.CorrectionListArgs, location="query")
@blueprint.response(200, page_schema(schemas.AdjustmentSchema))
def list_adjustments(args: dict[str, Any]) -> dict[str, Any]:
    """Adjustments, the latest first"""
    found, total = allowances().adjustments.find(_query(args), [("recorded_at", -1)], *paged(args))
    return page(args, [adjustment_view(a) for a in found], total)


@blueprint.route("/overpayments")
@requires(*READERS)
@blueprint.arguments(schemas.CorrectionListArgs, location="query")
@blueprint.response(200, page_schema(schemas.OverpaymentSchema))
def list_overpayments(args: dict[str, Any]) -> dict[str, Any]:
    """Overpayments after deaths and moves: receivables from the family or estate, and how
    far their resolution is"""
    found, total = allowances().overpayments.find(
        _query(args), [("detected_at", -1), ("_id", 1)], *paged(args)
    )
    return page(args, [plain(o) for o in found], total)


@blueprint.route("/overpayments/<overpayment_id>")
@requires(*READERS)
@blueprint.response(200, schemas.OverpaymentSchema)
@documented(blueprint, 404)
def get_overpayment(overpayment_id: str) -> dict[str, Any]:
    """One overpayment"""
    overpayment = allowances().overpayments.require(overpayment_id)
    known_elder(overpayment.elder_id)
    return plain(overpayment)


@blueprint.route("/overpayments/<overpayment_id>/resolution", methods=["POST"])
@requires(OFFICER)
@blueprint.arguments(schemas.ResolutionSchema)
@blueprint.response(200, schemas.OverpaymentSchema)
@documented(blueprint, 404, 409, 422)
def propose(body: dict[str, Any], overpayment_id: str) -> dict[str, Any]:
    """Propose an open overpayment recovered (receipt, received_on) or waived (reason)

    Nothing is settled until an approver other than the proposer approves it.
    """
    return plain(propose_resolution(allowances(), overpayment_id, by=principal().user, **body))


@blueprint.route("/overpayments/<overpayment_id>/resolution/approve", methods=["POST"])
@requires(APPROVER)
@blueprint.arguments(schemas.DecisionSchema)
@blueprint.response(200, schemas.OverpaymentSchema)
@documented(blueprint, 404, 409, 422)
def approve(body: dict[str, Any], overpayment_id: str) -> dict[str, Any]:
    """Approve the proposed resolution (never the proposer; a waiver needs the approver's
    reason); `allowance.overpayment_resolved`"""
    return plain(
        decide_resolution(allowances(), overpayment_id, True, principal().user, body["note"])
    )


@blueprint.route("/overpayments/<overpayment_id>/resolution/reject", methods=["POST"])
@requires(APPROVER)
@blueprint.arguments(schemas.DecisionSchema)
@blueprint.response(200, schemas.OverpaymentSchema)
@documented(blueprint, 404, 409, 422)
def reject(body: dict[str, Any], overpayment_id: str) -> dict[str, Any]:
    """Reject the proposed resolution with a reason: the overpayment is open again"""
    return plain(
        decide_resolution(allowances(), overpayment_id, False, principal().user, body["note"])
    )
