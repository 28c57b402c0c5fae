"""Community head (社区负责人): the community's page, worked out when it is read — its overdue
work and the work due soon, each worker's caseload, what visits escalated (obligations overdue
past their deadline, help requests nobody answered in time) — and giving an obligation to
another worker of the community.

A head sees their own communities only (portal.communities): another community's page, or its
obligation, is the forbidden page.
"""

from datetime import datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, Read, call, download, passed_on, read_all, settings
from portal.auth import forbidden, kept_form, requires
from portal.bound_reports import FORMATS, bound_home_care_report
from portal.communities import (
    HEAD,
    held_to_communities,
    may_see,
    my_communities,
    staffed,
    staffing_reads,
    worker_of,
)
from portal.elders import communities as district_communities
from portal.elders import community_names
from portal.forms import FormState
from portal.inspections import open_corrections
from portal.messages import in_language
from portal.rosters import MONTH
from portal.visits import PAGE_SIZE, boundaries, elder_names, shown, worklist_of

blueprint = Blueprint("community", __name__, url_prefix="/communities")
ASSIGN_FIELDS = ("assignee",)
ASSIGN_LABELS = {"assignee": _l("the worker")}
WORKER_ROLES = frozenset({"visitor", HEAD})


@blueprint.get("")
@requires(HEAD)
def index() -> ResponseReturnValue:
    """Straight to the head's community; a choice where they have several (or all, for the
    district administrator)."""
    names = district_communities()
    mine = my_communities() if held_to_communities() else tuple(names)
    if len(mine) == 1:
        return redirect(url_for("community.show", code=mine[0]))
    return render_template("community/index.html", communities=mine, names=names)


@blueprint.get("/<code>")
@requires(HEAD)
def show(code: str) -> ResponseReturnValue:
    if not may_see(code):
        return forbidden()
    now = datetime.now(settings().zone)
    _end_of_today, end_of_week = boundaries(now, settings().zone)
    district, due, loads, unanswered, cells, complained, inspected, *configuration = read_all(
        [
            Read("intake", "/district"),
            Read(
                "visits",
                "/obligations",
                {
                    "community": code,
                    "status": "open",
                    "due_by": end_of_week.isoformat(),
                    "page_size": PAGE_SIZE,
                    "with_elder": "true",
                },
            ),
            Read("visits", "/caseload/visitors", {"community": code}),
            Read(
                "visits",
                "/help-requests",
                {"community": code, "overdue": "true", "page_size": PAGE_SIZE},
            ),
            Read("visits", "/caseload/cells", {"community": code}),
            Read("visits", "/complaints", {"community": code, "overdue": "true", "page_size": 100}),
            Read("visits", "/inspections", {"community": code, "open": "true", "page_size": 100}),
            *staffing_reads(),  # who the community's worker is
        ]
    )
    for answer in configuration:
        staffed(answer)
    work = worklist_of(due, now)
    late_corrections = [c for c in open_corrections(inspected["items"]) if c["overdue"]]
    return render_template(
        "community/show.html",
        code=code,
        name=community_names(district).get(code, code),
        now=now,
        work=work,
        escalated=[o for o in work.overdue if o.get("escalated")],
        loads=loads,
        cells=cells,
        unanswered=[help_shown(r) for r in unanswered.get("items", [])],
        complaints=complained["items"],
        corrections=late_corrections,
        worker=worker_of(code),
    )


@blueprint.get("/<code>/key-targets")
@requires(HEAD)
def key_targets(code: str) -> ResponseReturnValue:
    """The community's key-target list (一批重点服务对象), to print (PDF) or as a workbook."""
    file_format = request.args.get("format", "pdf")
    if not may_see(code) or file_format not in FORMATS:
        return forbidden()
    query = {"community": code, "format": file_format}
    return passed_on(download("visits", "/reports/key-targets", query))


@blueprint.get("/<code>/home-care-report")
@requires(HEAD)
def home_care_report(code: str) -> ResponseReturnValue:
    """Visits' part of a month's home-care report (居家养老月报表) for the community: visits
    due, made and overdue, services by type; to print (PDF) or as a workbook."""
    file_format = request.args.get("format", "pdf")
    month = request.args.get("month", "")
    if not may_see(code) or file_format not in FORMATS or not MONTH.match(month):
        return forbidden()
    query = {"community": code, "format": file_format}
    return passed_on(download("visits", f"/reports/home-care/{month}", query))


@blueprint.get("/<code>/home-care-report/whole")
@requires(HEAD)
def whole_home_care_report(code: str) -> ResponseReturnValue:
    """The month's home-care report (居家养老月报表) whole, as the community files it: the
    elders enrolled and the vouchers (from allowances), then the visits and the services (from
    visits), in one form to print (PDF) or one workbook."""
    file_format = request.args.get("format", "pdf")
    month = request.args.get("month", "")
    if not may_see(code) or file_format not in FORMATS or not MONTH.match(month):
        return forbidden()
    return bound_home_care_report(month, file_format, {"community": code})


@blueprint.get("/<code>/public-notice.pdf")
@requires(HEAD)
def public_notice(code: str) -> ResponseReturnValue:
    """The community's public notice (上墙公布) to print and post: its staff and their phones,
    the hotline, the service items and the deadlines, under the community's name."""
    if not may_see(code):
        return forbidden()
    name = community_names(call("intake", "GET", "/district")).get(code, code)
    return passed_on(download("visits", f"/reports/public-notice/{code}", {"name": name}))


@blueprint.post("/<code>/cells/<cell_id>/assign")
@requires(HEAD)
def assign_cell(code: str, cell_id: str) -> ResponseReturnValue:
    """The open work of a building's (or a group's) elders to its responsible worker."""
    if not may_see(code):
        return forbidden()
    try:
        done = call("visits", "POST", f"/caseload/cells/{cell_id}/assign", json={})
    except ApiProblem as problem:
        flash(in_language(problem.detail), "warning")
        return redirect(url_for("community.show", code=code))
    flash(
        ngettext(
            "%(num)d visit is now %(worker)s's to make.",
            "%(num)d visits are now %(worker)s's to make.",
            done["moved"],
            worker=done["assignee"],
        ),
        "success",
    )
    return redirect(url_for("community.show", code=code, _anchor="cells"))


def help_shown(help_request: dict[str, Any]) -> dict[str, Any]:
    respond_by = datetime.fromisoformat(help_request["respond_by"])
    return {**help_request, "respond_by_local": respond_by.astimezone(settings().zone)}


def workers(
    named_worker: str | None, loads: list[dict[str, Any]], staff: list[dict[str, Any]]
) -> list[str]:
    """Who may be given the community's work: its named worker, the visitors and heads bound to
    it, and whoever holds some of its work now."""
    named = [named_worker] + [
        u["username"] for u in staff if WORKER_ROLES & set(u.get("roles", ()))
    ]
    holding = [load["assignee"] for load in loads]
    return sorted({name for name in named + holding if name})


def assign_page(code: str, obligation_id: str, form: FormState, status: int = 200) -> Any:
    obligation, loads, staff = read_all(
        [
            Read("visits", f"/obligations/{obligation_id}"),
            Read("visits", "/caseload/visitors", {"community": code}),
            Read("intake", f"/communities/{code}/staff"),
        ]
    )
    if obligation["community"] != code or not may_see(code):
        return forbidden()
    item = shown(obligation, elder_names({obligation["elder_id"]}))
    return (
        render_template(
            "community/assign.html",
            code=code,
            obligation=item,
            workers={w: w for w in workers(worker_of(code), loads, staff)},
            form=form,
        ),
        status,
    )


@blueprint.get("/<code>/obligations/<obligation_id>/assign")
@requires(HEAD)
def assign(code: str, obligation_id: str) -> ResponseReturnValue:
    if not may_see(code):
        return forbidden()
    form = FormState(kept_form() or MultiDict(), ASSIGN_FIELDS, labels=ASSIGN_LABELS)
    return assign_page(code, obligation_id, form)


@blueprint.post("/<code>/obligations/<obligation_id>/assign")
@requires(HEAD)
def assign_send(code: str, obligation_id: str) -> ResponseReturnValue:
    if not may_see(code):
        return forbidden()
    form = FormState(
        request.form, ASSIGN_FIELDS, labels=ASSIGN_LABELS, choices=frozenset(ASSIGN_FIELDS)
    )
    if not form.require("assignee"):
        return assign_page(code, obligation_id, form, 422)
    obligation = call("visits", "GET", f"/obligations/{obligation_id}")
    if obligation["community"] != code:
        return forbidden()
    try:
        call(
            "visits",
            "POST",
            f"/obligations/{obligation_id}/assign",
            json={"assignee": form["assignee"]},
        )
    except ApiProblem as problem:
        if not problem.fields:
            problem.fields["assignee"] = [problem.detail]
        form.add_problem(problem)
        return assign_page(code, obligation_id, form, 422)
    flash(_("The visit is now %(worker)s's to make.", worker=form["assignee"]), "success")
    return redirect(url_for("community.show", code=code))
