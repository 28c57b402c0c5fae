"""District administrator: reorganising the district's communities (撤并, 拆分, 更名). A plan
(merge several communities into one, split one by its buildings or addresses, or rename one)
is previewed first: the elders by the community they leave, the households, buildings and
staff, and the open visits that follow the elders. Then it is applied (intake's worker moves
the records; the page follows its progress) or cancelled."""

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, Read, call, kept_answers, read_all
from portal.auth import kept_form, requires
from portal.district import KINDS as PLACE_KINDS
from portal.district import staff_of
from portal.elders import community_names, every_community_name
from portal.forms import FormState
from portal.messages import in_language

blueprint = Blueprint("reorganisations", __name__, url_prefix="/administration/reorganisations")
KINDS = {
    "merge": _l("Merge communities (撤并)"),
    "split": _l("Split a community (拆分)"),
    "rename": _l("Rename a community (更名)"),
}
FIELDS = ("kind", "sources", "target", "name", "place_kind", "cells", "addresses", "worker", "head")
LABELS = {
    "kind": _l("what to do"),
    "sources": _l("the communities"),
    "target": _l("the code"),
    "name": _l("the name"),
    "cells": _l("the buildings and groups"),
    "addresses": _l("the addresses"),
}
CHOICES = frozenset({"kind", "sources", "place_kind", "worker", "head"})
APPLYING = "applying"
PAGE = 100  # elder ids asked for at once


def plan_form(values: MultiDict[str, str] | None = None) -> FormState:
    kept = values or kept_form() or MultiDict([("kind", "merge"), ("place_kind", "community")])
    return FormState(kept, FIELDS, labels=LABELS, choices=CHOICES)


def index_page(form: FormState, status: int = 200) -> ResponseReturnValue:
    listed, district, users = read_all(
        [
            Read("intake", "/reorganisations", {"page_size": 50}),
            Read("intake", "/district"),
            Read("intake", "/users"),
        ]
    )
    return (
        render_template(
            "reorganisations/index.html",
            reorganisations=listed["items"],
            names=every_community_name(district),
            communities=community_names(district),
            form=form,
            kinds=KINDS,
            place_kinds=PLACE_KINDS,
            workers=staff_of(users, "visitor", None),
            heads=staff_of(users, "community_head", None),
        ),
        status,
    )


@blueprint.get("")
@requires()
def index() -> ResponseReturnValue:
    return index_page(plan_form())


@blueprint.post("")
@requires()
def plan() -> ResponseReturnValue:
    form = plan_form(request.form)
    form.require("kind", "sources", "target")
    cells = cell_ids(form) if not form.has_errors else []
    if form.has_errors:
        return index_page(form, 422)
    body = {
        "kind": form["kind"],
        "sources": form.getlist("sources"),
        "target": form["target"],
        "name": form["name"] or None,
        "place_kind": form["place_kind"] or "community",
        "cells": cells,
        "addresses": lines(form["addresses"]),
        "worker": form["worker"] or None,
        "head": form["head"] or None,
    }
    try:
        planned = call("intake", "POST", "/reorganisations", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return index_page(form, problem.status)
    return redirect(url_for("reorganisations.show", reorganisation_id=planned["reorganisation_id"]))


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def cell_ids(form: FormState) -> list[str]:
    """The buildings and groups of the community split, named one a line, as their ids; a
    name the community has none of is an error beside the field."""
    named = lines(form["cells"])
    if not named or form["kind"] != "split":
        return []
    params = {"community": form.getlist("sources")[0], "page_size": 100}
    cells = call("intake", "GET", "/grid", params=params)["items"]
    by_name = {c["name"]: c["cell_id"] for c in cells}
    unknown = [name for name in named if name not in by_name]
    if unknown:
        message = _(
            "The community has no building or group named %(names)s.", names="、".join(unknown)
        )
        form.add_error("cells", message)
    return [by_name[name] for name in named if name in by_name]


@blueprint.get("/<reorganisation_id>")
@requires()
def show(reorganisation_id: str) -> ResponseReturnValue:
    reorganisation = call("intake", "GET", f"/reorganisations/{reorganisation_id}")
    if reorganisation["status"] != "previewed":
        # the worker changed the district's communities: the answer kept of them is stale
        kept_answers.forget("intake", "/district")
    district = call("intake", "GET", "/district")
    return render_template(
        "reorganisations/show.html",
        r=reorganisation,
        names=every_community_name(district),
        open_work=open_work(reorganisation),
        kinds=KINDS,
        following=reorganisation["status"] == APPLYING,
    )


def open_work(reorganisation: dict[str, Any]) -> dict[str, int] | None:
    """The open visits that follow their elders: by each community merged away; for a split,
    those of the elders it takes (its buildings' and its addresses'). None: a rename moves
    nothing."""
    plan_ = reorganisation["plan"]
    if plan_["kind"] == "merge":
        places = {s: {"community": s} for s in plan_["sources"] if s != plan_["target"]}
    elif plan_["kind"] == "split":
        ids = moving_elders(reorganisation["reorganisation_id"])
        batches = [ids[n : n + PAGE] for n in range(0, len(ids), PAGE)]
        places = {f"elders-{n}": {"elder_id": batch} for n, batch in enumerate(batches)}
    else:
        return None
    answers = read_all(
        [
            Read("visits", "/obligations", {**where, "status": "open", "page_size": 1})
            for where in places.values()
        ],
        problems_kept=True,
    )
    return {
        place: answer["total"]
        for place, answer in zip(places, answers, strict=True)
        if not isinstance(answer, ApiProblem)
    }


def moving_elders(reorganisation_id: str) -> list[str]:
    """The ids of the elders the plan would move now, as intake lists them, every page."""
    path = f"/reorganisations/{reorganisation_id}/elders"
    first = call("intake", "GET", path, params={"page_size": PAGE})
    pages = range(2, (first["total"] + PAGE - 1) // PAGE + 1)
    rest = read_all([Read("intake", path, {"page": n, "page_size": PAGE}) for n in pages])
    return [e["elder_id"] for answer in (first, *rest) for e in answer["items"]]


@blueprint.post("/<reorganisation_id>/<action>")
@requires()
def act(reorganisation_id: str, action: str) -> ResponseReturnValue:
    """Apply the plan, or cancel it, at the version the page showed."""
    paths = {"apply": "application", "cancel": "cancellation"}
    if action not in paths:
        return redirect(url_for("reorganisations.show", reorganisation_id=reorganisation_id))
    body = {"version": int(request.form.get("version", "0") or 0)}
    try:
        call("intake", "POST", f"/reorganisations/{reorganisation_id}/{paths[action]}", json=body)
    except ApiProblem as problem:
        flash(in_language(problem.detail), "warning")
    else:
        done = _("It is being applied.") if action == "apply" else _("The plan is cancelled.")
        flash(done, "success")
    return redirect(url_for("reorganisations.show", reorganisation_id=reorganisation_id))
