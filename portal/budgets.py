"""The yearly elder-work budget on the workbench (老龄工作经费): the head sets the community's
spending lines in yuan and names the partner units (共建单位) with what they give, records
what is spent, and sees planned, spent and left per line; the administrator keeps the
district's own budget and reads every community's beside it."""

import uuid
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.activities import chosen_community
from portal.apis import ApiProblem, Read, call, read_all
from portal.auth import forbidden, requires, roles
from portal.communities import HEAD, may_see
from portal.elders import communities
from portal.forms import FormState, year_asked
from portal.money import fen
from services.visits.domain.budgets import DISTRICT_BUDGET
from shared.vocabulary import BUDGET_LINES, PARTNER_GIFTS

blueprint = Blueprint("budgets", __name__, url_prefix="/budgets")
ADMIN = "district_admin"
GIFT_WORDS = {label: gift for gift, label in PARTNER_GIFTS.items()}  # 资金 -> money
IN_YUAN = _l("Enter the amount in yuan, for example 3000 or 120.50.")
SPENDING_FIELDS = ("line", "amount", "spent_on", "what")
SPENDING_LABELS = {
    "line": _l("the line"),
    "amount": _l("the amount"),
    "spent_on": _l("the day"),
    "what": _l("what it was spent on"),
}


def owner_asked() -> str:
    asked = request.values.get("community", "")
    return asked if asked == DISTRICT_BUDGET else chosen_community()


def may_keep(owner: str) -> bool:
    """The district's budget is the administrator's; a community's, its head's too."""
    if owner == DISTRICT_BUDGET:
        return ADMIN in roles()
    return bool(roles() & {HEAD, ADMIN}) and may_see(owner)


def budget_form(
    budget: dict[str, Any] | None, values: MultiDict[str, str] | None = None
) -> FormState:
    """An amount in yuan per line (empty: not budgeted), and the partners one to a line."""
    if values is None:
        values = MultiDict()
        for line in budget["lines"] if budget else []:
            values[f"line-{line['line']}"] = f"{line['planned_fen'] / 100:.2f}"
        values["partners"] = "\n".join(partner_line(p) for p in (budget or {}).get("partners", []))
    return FormState(values, (*(f"line-{k}" for k in BUDGET_LINES), "partners"))


def partner_line(partner: dict[str, Any]) -> str:
    if partner["gives"] == "money":
        return f"{partner['name']} {PARTNER_GIFTS['money']} {partner['amount_fen'] / 100:.2f}"
    return f"{partner['name']} {PARTNER_GIFTS['venue']} {partner['venue']}"


def partners_of(text: str, form: FormState) -> list[dict[str, Any]]:
    """Partner units as typed, one to a line: `name 资金 amount` or `name 场地 venue`."""
    found = []
    for n, typed in enumerate((t.strip() for t in text.splitlines()), start=1):
        if not typed:
            continue
        name, gift, rest = [*typed.split(maxsplit=2), "", ""][:3]
        gives = GIFT_WORDS.get(gift)
        if gives is None or not rest:
            form.add_error(
                "partners",
                _(
                    "Line %(n)d: write the unit, then 资金 and the yuan, or 场地 and the venue.",
                    n=n,
                ),
            )
            continue
        if gives == "money":
            amount = fen(rest)
            if amount is None:
                form.add_error("partners", _("Line %(n)d: the amount is not in yuan.", n=n))
                continue
            found.append({"name": name, "gives": gives, "amount_fen": amount})
        else:
            found.append({"name": name, "gives": gives, "venue": rest})
    return found


def budget_page(
    owner: str,
    year: int,
    form: FormState | None = None,
    spending: FormState | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    # the district's own budget is answered with every community's beside it
    (found,) = read_all([Read("visits", f"/budgets/{owner}/{year}")], problems_kept=True)
    summary = None
    if owner == DISTRICT_BUDGET and not isinstance(found, ApiProblem):
        summary, found = found, found["district"]
    budget = None if isinstance(found, ApiProblem) else found
    names = communities()
    page = render_template(
        "budgets/index.html",
        owner=owner,
        community=owner,
        communities=names,
        year=year,
        budget=budget,
        summary=summary,
        lines=BUDGET_LINES,
        line_options={
            line["line"]: BUDGET_LINES[line["line"]] for line in (budget or {}).get("lines", [])
        },
        form=form or budget_form(budget),
        spending=spending or FormState(fields=SPENDING_FIELDS, labels=SPENDING_LABELS),
        spending_id=uuid.uuid4().hex,
        keeping=may_keep(owner),
        administering=ADMIN in roles(),
        district=DISTRICT_BUDGET,
    )
    return page, status


@blueprint.get("")
@requires(HEAD, "visitor")
def index() -> ResponseReturnValue:
    owner = owner_asked()
    if owner == DISTRICT_BUDGET and ADMIN not in roles():
        return forbidden()
    if owner != DISTRICT_BUDGET and not may_see(owner):
        return forbidden()
    return budget_page(owner, year_asked())


@blueprint.post("")
@requires(HEAD)
def save() -> ResponseReturnValue:
    owner, year = request.form.get("community", ""), year_asked()
    if not may_keep(owner):
        return forbidden()
    form = budget_form(None, request.form)
    lines = []
    for line in BUDGET_LINES:
        typed = form[f"line-{line}"]
        if not typed:
            continue
        amount = fen(typed)
        if amount is None:
            form.add_error(f"line-{line}", str(IN_YUAN))
            continue
        lines.append({"line": line, "planned_fen": amount})
    partners = partners_of(form["partners"], form)
    if form.has_errors:
        return budget_page(owner, year, form, status=422)
    body = {
        "lines": lines,
        "partners": partners,
        "version": request.form.get("version", 0, type=int),
    }
    try:
        call("visits", "PUT", f"/budgets/{owner}/{year}", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return budget_page(owner, year, form, status=problem.status)
    flash(_("The budget is saved."), "success")
    return redirect(url_for("budgets.index", community=owner, year=year))


@blueprint.post("/spending")
@requires(HEAD)
def spend() -> ResponseReturnValue:
    owner, year = request.form.get("community", ""), year_asked()
    if not may_keep(owner):
        return forbidden()
    form = FormState(request.form, SPENDING_FIELDS, {"amount_fen": "amount"}, SPENDING_LABELS)
    form.require(*SPENDING_FIELDS)
    amount = fen(form["amount"]) if form["amount"] else None
    if form["amount"] and amount is None:
        form.add_error("amount", str(IN_YUAN))
    if form.has_errors:
        return budget_page(owner, year, spending=form, status=422)
    body = {
        "spending_id": request.form.get("spending_id") or uuid.uuid4().hex,
        "line": form["line"],
        "amount_fen": amount,
        "spent_on": form["spent_on"],
        "what": form["what"],
    }
    try:
        call("visits", "POST", f"/budgets/{owner}/{year}/spending", json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return budget_page(owner, year, spending=form, status=problem.status)
    flash(_("The spending is recorded."), "success")
    return redirect(url_for("budgets.index", community=owner, year=year))
