"""District administrator: the district's communities and villages (intake's
/district/communities, which replaces the whole list), and each community's staffing in visits
(its responsible worker, to whom its visits are assigned, and its head, to whom overdue work is
escalated)."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, Read, call, read_all
from portal.auth import kept_form, requires
from portal.forms import FormState

blueprint = Blueprint("district", __name__, url_prefix="/administration/communities")
KINDS = {"community": _l("Community (社区)"), "village": _l("Village (村)")}
COMMUNITY_FIELDS = ("code", "name", "kind")
STAFF_FIELDS = ("worker", "head")
LABELS = {"code": _l("the code"), "name": _l("the name"), "kind": _l("community or village")}


def district() -> dict[str, Any]:
    """Intake's communities, visits' staffing of them and the staff who may be named."""
    district, config, users = read_all(
        [Read("intake", "/district"), Read("visits", "/config"), Read("intake", "/users")]
    )
    staffing = {s["community"]: s for s in config.get("communities", [])}
    return {"communities": district["communities"], "staffing": staffing, "users": users}


def with_entry(communities: list[dict[str, Any]], entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The list intake is sent: `entry` in place of the community of its code, else added."""
    kept = [
        {k: c[k] for k in COMMUNITY_FIELDS if k in c}
        for c in communities
        if c["code"] != entry["code"]
    ]
    at = next((n for n, c in enumerate(communities) if c["code"] == entry["code"]), len(kept))
    return [*kept[:at], entry, *kept[at:]]


def aliases_for(position: int) -> dict[str, str]:
    """Intake names a field of the list by its place in it: that place is the form's entry."""
    return {f"communities.{position}.{name}": name for name in COMMUNITY_FIELDS}


def staff_of(users: list[dict[str, Any]], role: str, named: str | None) -> dict[str, str]:
    """The active users of `role` who may be named, and whoever is named now."""
    found = {u["username"]: u["username"] for u in users if role in u["roles"] and u["active"]}
    return {**found, named: named} if named else found


def index_page(form: FormState, status: int = 200) -> ResponseReturnValue:
    found = district()
    return (
        render_template("district/index.html", **found, form=form, kinds=KINDS),
        status,
    )


@blueprint.get("")
@requires()
def index() -> ResponseReturnValue:
    values = kept_form() or MultiDict([("kind", "community")])
    return index_page(FormState(values, COMMUNITY_FIELDS))


def save_community(form: FormState, communities: list[dict[str, Any]]) -> None:
    entry = {name: form[name] for name in COMMUNITY_FIELDS}
    listed = with_entry(communities, entry)
    form.aliases.update(aliases_for(listed.index(entry)))
    call("intake", "PUT", "/district/communities", json={"communities": listed})


@blueprint.post("")
@requires()
def add() -> ResponseReturnValue:
    form = FormState(request.form, COMMUNITY_FIELDS, labels=LABELS, choices=frozenset({"kind"}))
    communities = call("intake", "GET", "/district")["communities"]
    if any(c["code"] == form["code"] for c in communities):
        form.add_error("code", _("There is a community with this code already."))
        return index_page(form, 422)
    try:
        save_community(form, communities)
    except ApiProblem as problem:
        form.add_problem(problem)
        return index_page(form, 422)
    flash(_("%(name)s is added to the district.", name=form["name"]), "success")
    return redirect(url_for("district.index"))


def community_page(code: str, form: FormState | None, status: int = 200) -> ResponseReturnValue:
    found = district()
    community = next((c for c in found["communities"] if c["code"] == code), None)
    if community is None:
        abort(404)
    staffing = found["staffing"].get(code, {})
    if form is None:
        values = {**community, "worker": staffing.get("worker"), "head": staffing.get("head")}
        form = FormState(MultiDict({k: v or "" for k, v in values.items()}))
    return (
        render_template(
            "district/community.html",
            community=community,
            form=form,
            kinds=KINDS,
            workers=staff_of(found["users"], "visitor", staffing.get("worker")),
            heads=staff_of(found["users"], "community_head", staffing.get("head")),
        ),
        status,
    )


@blueprint.get("/<code>")
@requires()
def community(code: str) -> ResponseReturnValue:
    kept = kept_form()
    return community_page(code, FormState(kept, COMMUNITY_FIELDS + STAFF_FIELDS) if kept else None)


@blueprint.post("/<code>")
@requires()
def save(code: str) -> ResponseReturnValue:
    """The name and kind in intake, then the staffing in visits."""
    fields = COMMUNITY_FIELDS + STAFF_FIELDS
    form = FormState(request.form, fields, labels=LABELS, choices=frozenset({"kind"}))
    form.values["code"] = code
    try:
        save_community(form, call("intake", "GET", "/district")["communities"])
        staff = {"worker": form["worker"] or None, "head": form["head"] or None}
        call("visits", "PUT", f"/config/communities/{code}", json=staff)
    except ApiProblem as problem:
        form.add_problem(problem)
        return community_page(code, form, 422)
    flash(_("%(name)s is saved.", name=form["name"]), "success")
    return redirect(url_for("district.index"))
