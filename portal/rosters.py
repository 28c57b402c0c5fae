"""Allowance officer: the month's roster of elders aged 90 and over (九十岁以上名册): everyone
90+, those who turned 90 in the month, those who died or left the district in it; the workbook
downloaded through the workbench."""

import re
from datetime import datetime

from flask import (
    Blueprint,
    abort,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.apis import call, download, passed_on, settings
from portal.auth import requires
from portal.cycles import READERS
from portal.forms import FormState

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
    """The month chosen in the form, or this month."""
    month = request.args.get("month", "").strip()
    if not MONTH.match(month):
        month = datetime.now(settings().zone).strftime("%Y-%m")
    return redirect(url_for("rosters.ninety_plus", month=month))


@blueprint.get("/90-plus/<month>")
@requires(*READERS)
def ninety_plus(month: str) -> ResponseReturnValue:
    if not MONTH.match(month):
        abort(404)
    roster = call("allowances", "GET", f"/rosters/90-plus/{month}")
    return render_template(
        "rosters/ninety_plus.html",
        roster=roster,
        lists=LISTS,
        form=FormState(MultiDict([("month", month)]), ("month",)),
    )


@blueprint.get("/90-plus/<month>/workbook")
@requires(*READERS)
def workbook(month: str) -> ResponseReturnValue:
    if not MONTH.match(month):
        abort(404)
    return passed_on(download("allowances", f"/rosters/90-plus/{month}", {"format": "xlsx"}))
