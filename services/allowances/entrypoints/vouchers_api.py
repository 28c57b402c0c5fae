"""Home-care service vouchers: issued by approved voucher cycles, redeemed by providers."""

from typing import Any

from services.allowances.entrypoints import schemas
from services.allowances.entrypoints.api import (
    OFFICER,
    READERS,
    allowances,
    known_elder,
    voucher_view,
)
from services.allowances.service_layer import queries
from services.allowances.service_layer.vouchers import find_voucher, redeem_voucher, voucher_of
from shared.documents import plain
from shared.web.auth import principal, requires, scoped
from shared.web.blueprint import Blueprint
from shared.web.pagination import page, page_schema, paged
from shared.web.problems import documented

blueprint = Blueprint(
    "vouchers",
    __name__,
    url_prefix="/vouchers",
    description="Home-care service vouchers (居家养老代金券); a voucher's id is its roll line",
)


@blueprint.route("")
@requires(*READERS)
@blueprint.arguments(schemas.VoucherListArgs, location="query")
@blueprint.response(200, page_schema(schemas.VoucherSchema))
def list_vouchers(args: dict[str, Any]) -> dict[str, Any]:
    """Vouchers by month, elder or community, with their status"""
    args = scoped(args)
    found, total = allowances().lines.find(queries.vouchers_query(args), *paged(args))
    return page(args, [voucher_view(voucher_of(allowances(), line)) for line in found], total)


@blueprint.route("/<voucher_id>")
@requires(*READERS)
@blueprint.response(200, schemas.VoucherSchema)
@documented(blueprint, 404)
def get_voucher(voucher_id: str) -> dict[str, Any]:
    """One voucher and its status: not_issued, issued, redeemed, void or expired"""
    found = find_voucher(allowances(), voucher_id)
    known_elder(found[0].elder_id)
    return voucher_view(found)


@blueprint.route("/<voucher_id>/redemption", methods=["POST"])
@requires(OFFICER)
@blueprint.arguments(schemas.RedeemSchema)
@blueprint.response(201, schemas.RedemptionSchema)
@documented(blueprint, 404, 409, 422)
def redeem(body: dict[str, Any], voucher_id: str) -> dict[str, Any]:
    """Redeem a voucher for a provider's service to the elder it was issued to, once

    The claim names the day the service was delivered (`served_on`). A voucher already
    redeemed is refused with 409; one issued to another elder, void (the elder died or left
    before its month) or expired with 422, and so is a service day outside the voucher's
    months, in the future, or after the elder's death or move out. A user bound to a
    community redeems only its elders' vouchers (another's is 404).
    """
    known_elder(find_voucher(allowances(), voucher_id)[0].elder_id)
    redemption = redeem_voucher(allowances(), voucher_id, by=principal().user, **body)
    return plain(redemption)
