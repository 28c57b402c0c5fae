"""Allowance officer: the month's roster of elders aged 90 and over (九十岁以上名册): everyone
90+ (a page at a time: a city has thousands), those who turned 90 in the month, those who died
or left the district in it, and the counts by community; for the whole district or one
community, and the workbook downloaded through the workbench."""

import re
from datetime import datetime

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.apis import Read, download, passed_on, read_all, settings
from portal.auth import forbidden, requires
from portal.communities import communities_listed, community_asked, may_see
from portal.cycles import READERS
from portal.elders import community_names, every_community_name
from portal.forms import FormState
from portal.paging import PAGE_SIZE, Pages, requested_page

blueprint = Blueprint("rosters", __name__, url_prefix="/rosters")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
LISTS = (
    ("aged_90_plus", _l("Aged 90 and over")),
    ("turned_90", _l("Turned 90 this month")),
    ("died", _l("Died this month")),
    ("moved_out", _l("Moved out of the district this month")),
)


@blueprint.get("/90-plus")
@requires(*READERS)
def choose() -> ResponseReturnValue:
    """The month chosen in the form, or this month; the community chosen beside it."""
    month = request.args.get("month", "").strip()
    if not MONTH.match(month):
        month = datetime.now(settings().zone).strftime("%Y-%m")
    community = request.args.get("community", "").strip() or None
    return redirect(url_for("rosters.ninety_plus", month=month, community=community))


@blueprint.get("/90-plus/<month>")
@requires(*READERS)
def ninety_plus(month: str) -> ResponseReturnValue:
    if not MONTH.match(month):
        abort(404)
    community = community_asked()
    if community and not may_see(community):
        return forbidden()
    asked = {"page": requested_page(request.args), "page_size": PAGE_SIZE}
    roster, district = read_all(
        [
            Read("allowances", f"/rosters/90-plus/{month}", asked | narrowed(community)),
            Read("intake", "/district"),
        ]
    )
    return render_template(
        "rosters/ninety_plus.html",
        roster=roster,
        lists=LISTS,
        pages=Pages(asked["page"], roster["counts"]["aged_90_plus"]),
        names=every_community_name(district),
        community=community,
        communities={c: n for c, n in community_names(district).items() if may_see(c)},
        whole_district=communities_listed() is None,
        form=FormState(MultiDict([("month", month)]), ("month",)),
    )


@blueprint.get("/90-plus/<month>/workbook")
@requires(*READERS)
def workbook(month: str) -> ResponseReturnValue:
    if not MONTH.match(month):
        abort(404)
    community = community_asked()
    if community and not may_see(community):
        return forbidden()
    asked = {"format": "xlsx"} | narrowed(community)
    return passed_on(download("allowances", f"/rosters/90-plus/{month}", asked))


def narrowed(community: str) -> dict[str, str]:
    return {"community": community} if community else {}
