"""The grid below the community (网格): a community's resident groups, buildings and courtyards,
each with its leader, responsible worker, what it holds (intake's households, elders, key
targets) and its open and overdue work (visits'); the head opens, changes and retires them,
and the clerk or head places a household in a building on its page."""

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, Read, call, read_all
from portal.auth import forbidden, kept_form, requires, roles
from portal.communities import community_asked, may_see
from portal.elders import CLERK, communities
from portal.forms import FormState
from portal.words import grid_kinds, grid_leaders

blueprint = Blueprint("grid", __name__, url_prefix="/grid")
HEAD = "community_head"
READERS = (CLERK, HEAD, "visitor")
FIELDS = ("kind", "name", "group_id", "address", "leader_name", "leader_phone", "worker")
LABELS = {
    "kind": _l("what the cell is"),
    "name": _l("the name"),
    "group_id": _l("the resident group"),
    "address": _l("the address"),
    "leader_name": _l("the leader's name"),
    "leader_phone": _l("the leader's mobile number"),
    "worker": _l("the responsible worker"),
}
ALIASES = {"leader": "leader_name", "leader.name": "leader_name", "leader.phone": "leader_phone"}


def cell_form(values: MultiDict[str, str] | None = None) -> FormState:
    kept = values or kept_form() or MultiDict()
    return FormState(kept, FIELDS, ALIASES, LABELS, choices=frozenset({"kind", "group_id"}))


def grid_page(community: str, form: FormState, status: int = 200) -> ResponseReturnValue:
    covered, loads = read_all(
        [
            Read("intake", "/grid/coverage", {"community": community}),
            Read("visits", "/caseload/cells", {"community": community}),
        ],
        problems_kept=True,
    )
    if isinstance(covered, ApiProblem):
        raise covered
    # the work is visits': shown to those who may read it (not the intake clerk)
    work = {} if isinstance(loads, ApiProblem) else {row.get("cell_id"): row for row in loads}
    cells = [{**c, "work": work.get(c["cell_id"], {})} for c in covered["cells"]]
    groups = [c for c in cells if c["kind"] == "group"]
    return (
        render_template(
            "grid/index.html",
            community=community,
            communities=communities(),
            groups=groups,
            cells=cells,
            by_group=lambda group_id: [c for c in cells if c.get("group_id") == group_id],
            loose=[c for c in cells if c["kind"] != "group" and not c.get("group_id")],
            unplaced=covered["unplaced"],
            unplaced_work=work.get(None, {}),
            with_work=not isinstance(loads, ApiProblem),
            form=form,
            may_change=bool(roles() & {HEAD, "district_admin"}),
            kinds=grid_kinds(),
            leaders=grid_leaders(),
        ),
        status,
    )


@blueprint.get("")
@requires(*READERS)
def index() -> ResponseReturnValue:
    """A community's grid: its groups with their buildings and courtyards, and what each holds."""
    community = community_asked()
    if not community:
        community = next(iter(communities()), "")
    if community and not may_see(community):
        return forbidden()
    return grid_page(community, cell_form())


@blueprint.post("")
@requires(HEAD)
def open_cell() -> ResponseReturnValue:
    community = request.form.get("community", "")
    if not may_see(community):
        return forbidden()
    form = cell_form(request.form)
    if not form.require("kind", "name"):
        return grid_page(community, form, 422)
    body = {"community": community, "kind": form["kind"], **_terms(form)}
    try:
        cell = call("intake", "POST", "/grid", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return grid_page(community, form, problem.status)
    flash(_("%(name)s is open.", name=cell["name"]), "success")
    return redirect(url_for("grid.index", community=community))


@blueprint.get("/<cell_id>")
@requires(*READERS)
def show(cell_id: str) -> ResponseReturnValue:
    cell = call("intake", "GET", f"/grid/{cell_id}")
    values = MultiDict(
        {
            "name": cell["name"],
            "group_id": cell.get("group_id") or "",
            "address": cell.get("address") or "",
            "leader_name": (cell.get("leader") or {}).get("name", ""),
            "leader_phone": (cell.get("leader") or {}).get("phone") or "",
            "worker": cell.get("worker") or "",
        }
    )
    return cell_page(cell, cell_form(values))


def cell_page(cell: dict[str, Any], form: FormState, status: int = 200) -> ResponseReturnValue:
    if not may_see(cell["community"]):
        return forbidden()
    community = cell["community"]
    groups = call(
        "intake", "GET", "/grid", params={"community": community, "kind": "group", "page_size": 100}
    )["items"]
    params = {"cell_id": cell["cell_id"], "page_size": 100}
    if cell["kind"] == "group":
        members = call("intake", "GET", "/grid", params={"group_id": cell["cell_id"]})["items"]
        placed: list[dict[str, Any]] = []
    else:
        members = []
        placed = call("intake", "GET", "/households", params=params)["items"]
    return (
        render_template(
            "grid/show.html",
            cell=cell,
            form=form,
            groups={g["cell_id"]: g["name"] for g in groups if g["cell_id"] != cell["cell_id"]},
            members=members,
            households=placed,
            may_change=bool(roles() & {HEAD, "district_admin"}) and cell["status"] == "active",
            may_place=bool(roles() & {HEAD, CLERK, "district_admin"})
            and cell["status"] == "active",
            communities=communities(),
            kinds=grid_kinds(),
            leaders=grid_leaders(),
        ),
        status,
    )


@blueprint.post("/<cell_id>")
@requires(HEAD)
def change(cell_id: str) -> ResponseReturnValue:
    cell = call("intake", "GET", f"/grid/{cell_id}")
    form = cell_form(request.form)
    if not form.require("name"):
        return cell_page(cell, form, 422)
    body = {"version": _version(), **_terms(form)}
    try:
        call("intake", "PUT", f"/grid/{cell_id}", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return cell_page(cell, form, problem.status)
    flash(_("The changes are saved."), "success")
    return redirect(url_for("grid.show", cell_id=cell_id))


@blueprint.post("/<cell_id>/placement")
@requires(HEAD, CLERK)
def place_at_address(cell_id: str) -> ResponseReturnValue:
    """Place the households living at the building's address in it."""
    cell = call("intake", "GET", f"/grid/{cell_id}")
    try:
        done = call("intake", "POST", f"/grid/{cell_id}/placement")
    except ApiProblem as problem:
        form = cell_form(MultiDict())
        form.add_problem(problem)
        return cell_page(cell, form, problem.status)
    flash(
        ngettext(
            "%(num)d household at %(address)s is placed here.",
            "%(num)d households at %(address)s are placed here.",
            done["placed"],
            address=cell.get("address") or "",
        ),
        "success",
    )
    return redirect(url_for("grid.show", cell_id=cell_id))


@blueprint.post("/<cell_id>/retirement")
@requires(HEAD)
def retire(cell_id: str) -> ResponseReturnValue:
    cell = call("intake", "GET", f"/grid/{cell_id}")
    try:
        call("intake", "POST", f"/grid/{cell_id}/retirement", json={"version": _version()})
    except ApiProblem as problem:
        form = cell_form(MultiDict())
        form.add_problem(problem)
        return cell_page(cell, form, problem.status)
    flash(_("%(name)s is retired.", name=cell["name"]), "success")
    return redirect(url_for("grid.index", community=cell["community"]))


def _terms(form: FormState) -> dict[str, Any]:
    leader = None
    if form["leader_name"] or form["leader_phone"]:
        leader = {"name": form["leader_name"], "phone": form["leader_phone"] or None}
    return {
        "name": form["name"],
        "group_id": form["group_id"] or None,
        "leader": leader,
        "worker": form["worker"] or None,
        "address": form["address"] or None,
    }


def _version() -> int:
    text = request.form.get("version", "")
    return int(text) if text.isdigit() else 0
