"""District administrator: the audit trail: every change one user (or system) made, across the
services that keep one (intake's register and staff accounts, visits' and allowances' records),
newest first, filterable by what was done, a page at a time."""

from datetime import datetime
from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.apis import Read, read_all, settings
from portal.auth import requires
from portal.forms import FormState
from portal.messages import in_language
from portal.paging import PAGE_SIZE, Pages, requested_page
from portal.words import service as service_label

blueprint = Blueprint("audit", __name__, url_prefix="/administration/audit")
SERVICES = ("intake", "visits", "allowances")
FIELDS = ("user", "action", "service")
FETCHED = 100  # lines asked of a service at a time (its largest page)
MOST_PAGES = 10  # read no further back than this many of a service's pages
KINDS = {
    "users": _l("Staff account"),
    "elders": _l("Elder"),
    "cycles": _l("Cycle"),
    "overpayments": _l("Overpayment"),
    "programmes": _l("Programmes"),
    "district": _l("District configuration"),
    "service_contacts": _l("Service hotline and guide"),
}


def trail(user: str, services: tuple[str, ...]) -> tuple[list[dict[str, Any]], bool]:
    """The user's lines in the services, newest first, and whether older ones were left out."""
    params = {"user": user, "page_size": FETCHED}
    first = dict(
        zip(services, read_all([Read(s, "/audit", params) for s in services]), strict=True)
    )
    more = [
        Read(s, "/audit", {**params, "page": n})
        for s in services
        for n in range(2, min(Pages.of(first[s]).count, MOST_PAGES) + 1)
    ]
    pages = [*first.items(), *((r.service, p) for r, p in zip(more, read_all(more), strict=True))]
    lines = [{**line, "service": s} for s, page in pages for line in page["items"]]
    cut = any(Pages.of(first[s]).count > MOST_PAGES for s in services)
    return newest_first(lines), cut


def newest_first(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(lines, key=lambda line: datetime.fromisoformat(line["at"]), reverse=True)


def doing(lines: list[dict[str, Any]], action: str) -> list[dict[str, Any]]:
    """The lines whose change names `action` (any part of it, in any case)."""
    wanted = action.strip().casefold()
    return [line for line in lines if wanted in str(line.get("change", "")).casefold()]


def shown(line: dict[str, Any]) -> dict[str, Any]:
    at = datetime.fromisoformat(line["at"]).astimezone(settings().zone)
    return {
        **line,
        "at_local": at.strftime("%Y-%m-%d %H:%M:%S"),
        "what": in_language(str(line.get("change", ""))),
        "kind_label": KINDS.get(line.get("kind", ""), line.get("kind", "")),
        "service_label": service_label(line["service"]),
    }


@blueprint.get("")
@requires()
def index() -> ResponseReturnValue:
    form = FormState(request.args, FIELDS, choices=frozenset({"service"}))
    lines: list[dict[str, Any]] = []
    cut = False
    if "user" in request.args and not form["user"]:
        form.add_error("user", _("Enter the username whose changes to show."))
    elif form["user"]:
        chosen = (form["service"],) if form["service"] in SERVICES else SERVICES
        found, cut = trail(form["user"], chosen)
        lines = doing(found, form["action"]) if form["action"] else found
    pages = Pages(requested_page(request.args), len(lines), PAGE_SIZE)
    start = (pages.page - 1) * PAGE_SIZE
    return render_template(
        "audit/index.html",
        form=form,
        lines=[shown(line) for line in lines[start : start + PAGE_SIZE]],
        pages=pages,
        cut=cut,
        searched=bool(form["user"]),
        services={s: service_label(s) for s in SERVICES},
    )
