"""Payee accounts: where each elder's money is paid. The number is shown in full only to those
who register and pay (allowance officers, the district administrator) on one account, and
masked in every list."""

from typing import Any

from services.allowances.domain.payees import PayeeAccount, register_account
from services.allowances.entrypoints import schemas
from services.allowances.entrypoints.api import APPROVER, OFFICER, allowances, known_elder
from services.allowances.service_layer import queries
from shared.documents import plain
from shared.errors import Conflict, NotFound
from shared.web.access_log import note_access
from shared.web.auth import ADMIN, principal, requires
from shared.web.blueprint import Blueprint
from shared.web.pagination import page, page_schema, paged
from shared.web.problems import documented

blueprint = Blueprint(
    "payees",
    __name__,
    description="Payee accounts (收款账户): the bank or social-security card account each "
    "elder is paid into",
)
FULL_NUMBERS = frozenset({OFFICER, ADMIN})


def account_view(account: PayeeAccount, full: bool) -> dict[str, Any]:
    return plain(account if full else account.masked())


@blueprint.route("/elders/<elder_id>/payee-account")
@requires(OFFICER, APPROVER)
@blueprint.response(200, schemas.PayeeAccountSchema)
@documented(blueprint, 404)
def payee_account(elder_id: str) -> dict[str, Any]:
    """The elder's payee account: the number in full to allowance officers, else masked"""
    known_elder(elder_id)
    account = allowances().payees.get(elder_id)
    if account is None:
        raise NotFound(f"No payee account is registered for {elder_id}.")
    full = bool(principal().roles & FULL_NUMBERS)
    if full:
        note_access("payee_account", elder_id)
    return account_view(account, full)


@blueprint.route("/elders/<elder_id>/payee-account", methods=["PUT"])
@requires(OFFICER)
@blueprint.arguments(schemas.PayeeAccountRequestSchema)
@blueprint.response(200, schemas.PayeeAccountSchema)
@documented(blueprint, 404, 409, 422)
def set_payee_account(body: dict[str, Any], elder_id: str) -> dict[str, Any]:
    """Register or change the elder's payee account, with the version you read (0 for a
    first registration); it is used from the next payment file exported"""
    known_elder(elder_id)
    store = allowances().payees
    current = store.get(elder_id)
    account = register_account(
        current,
        elder_id=elder_id,
        by=principal().user,
        at=allowances().clock.now(),
        **body,
    )
    stored = store.add(account) if current is None else store.save(current, account)
    if not stored:
        raise Conflict(f"the payee account of {elder_id} was changed just now; reload it")
    return account_view(account, full=True)


@blueprint.route("/payee-accounts")
@requires(OFFICER, APPROVER)
@blueprint.arguments(schemas.PayeeListArgs, location="query")
@blueprint.response(200, page_schema(schemas.PayeeAccountSchema))
def list_accounts(args: dict[str, Any]) -> dict[str, Any]:
    """Registered payee accounts, numbers masked"""
    query = queries.payees_query(args)
    found, total = allowances().payees.find(query, [("_id", 1)], *paged(args))
    return page(args, [account_view(a, full=False) for a in found], total)
