"""Allowances' HTTP doors for elders: thin views over its stores and use cases, and the helpers
every allowances blueprint shares."""

from typing import Any

from flask import current_app

from services.allowances.domain.elder import Elder
from services.allowances.domain.high_age import high_age_eligibility
from services.allowances.domain.stops import Stop
from services.allowances.domain.vouchers import Voucher
from services.allowances.entrypoints.schemas import ElderListArgs, ElderSchema, StatementSchema
from services.allowances.service_layer import queries
from services.allowances.service_layer.container import Allowances
from services.allowances.service_layer.queries import statement
from shared.clock import local_today
from shared.documents import plain
from shared.errors import NotFound
from shared.web.access_log import logs_access
from shared.web.auth import community_scope, forbidden, principal, requires, scoped
from shared.web.blueprint import Blueprint
from shared.web.pagination import page, page_schema, paged
from shared.web.problems import documented

blueprint = Blueprint(
    "elders",
    __name__,
    url_prefix="/elders",
    description="Elders as allowances knows them, with their eligibility and statements",
)
OFFICER = "allowance_officer"
APPROVER = "approver"
READERS = (OFFICER, APPROVER, "community_head")


def allowances() -> Allowances:
    return current_app.extensions["allowances"]


def district_only(what: str) -> None:
    """Refuse (403) a community-bound caller an act on the district's one payment batch: a
    file of one community sent to the bank as well would pay its elders twice."""
    scope = community_scope()
    if scope:
        forbidden(
            f"{what} is the whole district's batch for the bank: a district officer handles "
            f"it. Community {scope}'s payments are the cycle's lines and payment exceptions "
            "for your community."
        )


def known_elder(elder_id: str) -> Elder:
    """The elder, if known and the caller may see them."""
    elder = allowances().elders.get(elder_id)
    if elder is None or not principal().may_see(elder.community):
        raise NotFound(f"No elder with id {elder_id!r} is known to allowances (yet).")
    return elder


def voucher_view(found: tuple[Voucher, int, Stop | None]) -> dict[str, Any]:
    voucher, valid_months, stop = found
    today = local_today(allowances().clock, allowances().settings.zone)
    return {
        **plain(voucher),
        "status": voucher.status(today, valid_months, stop),
        "valid_through": voucher.last_month(valid_months),
    }


def elder_view(elder: Elder) -> dict[str, Any]:
    today = local_today(allowances().clock, allowances().settings.zone)
    eligibility = high_age_eligibility(elder.birth_date, today, alive=elder.status == "active")
    return {
        **plain(elder),
        "high_age_allowance": {
            "eligible": eligibility.eligible,
            "band": eligibility.band.name if eligibility.band else None,
            "age": eligibility.age,
            "as_of": today,
        },
    }


@blueprint.route("")
@requires(*READERS)
@blueprint.arguments(ElderListArgs, location="query")
@blueprint.response(200, page_schema(ElderSchema))
def list_elders(args: dict[str, Any]) -> dict[str, Any]:
    """List elders known to allowances, optionally of one community"""
    args = scoped(args)
    elders, total = allowances().elders.list(queries.elders_query(args), *paged(args))
    return page(args, [elder_view(e) for e in elders], total)


@blueprint.route("/<elder_id>")
@requires(*READERS)
@blueprint.response(200, ElderSchema)
@documented(blueprint, 404)
def elder_by_id(elder_id: str) -> dict[str, Any]:
    """One elder by id, with high-age allowance eligibility today"""
    return elder_view(known_elder(elder_id))


@blueprint.route("/<elder_id>/statement")
@requires(*READERS)
@logs_access("history", "elder_id")
@blueprint.response(200, StatementSchema)
@documented(blueprint, 404)
def get_statement(elder_id: str) -> dict[str, Any]:
    """Every amount on every roll for the elder, each item naming its rule; standing per
    programme; overpayments, adjustments and vouchers"""
    known_elder(elder_id)
    found = statement(allowances(), elder_id)
    return {
        **found,
        "elder": elder_view(found["elder"]),
        "lines": [
            {**plain(line), "line_id": line.line_id, "amount_fen": line.amount_fen}
            for line in found["lines"]
        ],
        "vouchers": [voucher_view(v) for v in found["vouchers"]],
    }
