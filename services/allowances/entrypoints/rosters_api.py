"""The monthly roster of elders aged 90 and over."""

from typing import Any

from flask import Response

from services.allowances.adapters.payment_files import roster_xlsx
from services.allowances.entrypoints import schemas
from services.allowances.entrypoints.api import READERS, allowances
from services.allowances.entrypoints.cycles_api import MIMETYPES
from services.allowances.service_layer.queries import roster
from shared.documents import plain
from shared.months import check_month
from shared.web.access_log import logs_access
from shared.web.auth import requires, scoped
from shared.web.blueprint import Blueprint
from shared.web.files import also_as_file
from shared.web.pagination import paged
from shared.web.problems import documented

blueprint = Blueprint(
    "rosters",
    __name__,
    url_prefix="/rosters",
    description="Monthly rosters: elders aged 90+, those who turned 90, those who died",
)


@blueprint.route("/90-plus/<month>")
@requires(*READERS)
@logs_access("roster")
@blueprint.arguments(schemas.RosterArgs, location="query")
@blueprint.response(200, schemas.RosterSchema)
@also_as_file(blueprint, MIMETYPES["xlsx"])
@documented(blueprint, 403, 422)
def ninety_plus(args: dict[str, Any], month: str) -> Any:
    """Everyone aged 90+ in the month, those who turned 90 in it, and those who died or left
    the district in it; `page_size` for a page of those aged 90+, `format=xlsx` for the
    whole workbook"""
    found = roster(allowances(), check_month(month))
    community = scoped(args).get("community")
    if community:
        found = found.only(community)
    if args["format"] == "xlsx":
        return Response(
            roster_xlsx(found),
            mimetype=MIMETYPES["xlsx"],
            headers={"Content-Disposition": f"attachment; filename=roster-90-{month}.xlsx"},
        )
    lists = found.lists()
    shown = {"month": month, "counts": {name: len(entries) for name, entries in lists.items()}}
    if "page_size" in args:
        skip, limit = paged(args)
        lists["aged_90_plus"] = lists["aged_90_plus"][skip : skip + limit]
        shown |= {"page": args["page"], "page_size": args["page_size"]}
    return {
        **shown,
        "by_community": found.by_community(),
        **{name: [plain(e) for e in entries] for name, entries in lists.items()},
    }
