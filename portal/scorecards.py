"""The yearly evaluation (年度考核) on the workbench: the district's communities compared, a bar
each stacked by the points of each measure; a community's card with its workers', each figure
a link to the records behind it, so that "why is this 83?" has an answer; the administrator
sets the weights, and freezes the year's cards once it is over."""

from dataclasses import replace
from datetime import datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, Read, call, changed, read_all, settings, today
from portal.auth import forbidden, requires, roles
from portal.charts import Chart, chart
from portal.communities import HEAD, may_see
from portal.elders import communities, community_names
from portal.forms import FormState, whole_number, year_asked
from services.visits.domain.scorecard import MEASURES

blueprint = Blueprint("scorecards", __name__, url_prefix="/scorecards")
READERS = (HEAD, "intake_clerk", "allowance_officer")  # and the administrator
AVERAGE = "average"
COUNTING_SECONDS = 300.0  # counting a district's year again reads every record of it


def comparison(cards: dict[str, Any], names: dict[str, str]) -> Chart:
    """A bar a community, its segments the points of each measure; the last row the average."""
    rows = []
    for card in cards["communities"]:
        figures: dict[str, float] = {s["measure"]: s["points"] or 0 for s in card["scores"]}
        figures["total"] = card["total"] or 0
        if card["frozen_total"] is not None:
            figures["frozen_total"] = card["frozen_total"]
        rows.append((card["subject"], names.get(card["subject"], card["subject"]), figures))
    columns = [(m, spec.label) for m, spec in MEASURES.items()]
    if cards["frozen_at"]:
        columns.append(("frozen_total", _("As frozen")))
    average = {
        column: round(sum(r[2].get(column, 0) for r in rows) / len(rows), 1) if rows else 0
        for column in [*MEASURES, "total", "frozen_total"]
    }
    found = chart(
        "scorecards",
        _("Scores of %(year)s", year=cards["year"]),
        columns,
        [*rows, (AVERAGE, _("Average"), average)],
        list(MEASURES),
        total=("total", _("Score")),
    )
    links = {key: url_for(".community", community=key, year=cards["year"]) for key, *_r in rows}
    return replace(found, links=links)


def weights_form(weights: dict[str, int], values: MultiDict[str, str] | None = None) -> FormState:
    fields = tuple(f"weight-{m}" for m in MEASURES)
    typed = values or MultiDict({f"weight-{m}": str(w) for m, w in weights.items()})
    labels = {f"weight-{m}": spec.label for m, spec in MEASURES.items()}
    aliases = {f"weights.{m}.value": f"weight-{m}" for m in MEASURES}
    return FormState(typed, fields, aliases, labels)


def district_page(
    year: int, form: FormState | None = None, status: int = 200
) -> ResponseReturnValue:
    path = f"/scorecards/district/{year}"
    if request.args.get("fresh"):  # counted again now: seconds for a district's year
        call("visits", "GET", path, params={"fresh": "true"}, timeout=COUNTING_SECONDS)
    cards, district = read_all([Read("visits", path), Read("intake", "/district")])
    page = render_template(
        "scorecards/index.html",
        year=year,
        cards=cards,
        chart=comparison(cards, community_names(district)),
        measures=MEASURES,
        form=form or weights_form(cards["weights"]),
        administering="district_admin" in roles(),
        year_over=today().year > year,
        counted_at=datetime.fromisoformat(cards["counted_at"]).astimezone(settings().zone),
    )
    return page, status


@blueprint.get("")
@requires(*READERS)
def index() -> ResponseReturnValue:
    return district_page(year_asked())


@blueprint.post("/weights")
@requires()
def weigh() -> ResponseReturnValue:
    year = year_asked()
    form = weights_form({}, request.form)
    weights = {m: whole_number(form[f"weight-{m}"]) for m in MEASURES}
    try:
        call("visits", "PUT", "/scorecards/weights", json={"weights": weights})
    except ApiProblem as problem:
        form.add_problem(problem)
        return district_page(year, form, problem.status)
    flash(_("The weights are set; the cards are weighed with them."), "success")
    return redirect(url_for(".index", year=year))


@blueprint.post("/freeze")
@requires()
def freeze() -> ResponseReturnValue:
    year = year_asked()
    done = _("The cards of %(year)s are frozen as the year's result.", year=year)
    changed(f"/scorecards/district/{year}/freeze", None, done, timeout=COUNTING_SECONDS)
    return redirect(url_for(".index", year=year))


@blueprint.get("/<community>")
@requires(HEAD, "visitor", "intake_clerk", "allowance_officer")
def community(community: str) -> ResponseReturnValue:
    if not may_see(community):
        return forbidden()
    year = year_asked()
    cards, plan, district = read_all(
        [
            Read("visits", f"/scorecards/{community}/{year}"),
            Read("visits", f"/plans/{community}/{year}"),
            Read("intake", "/district"),
        ],
        problems_kept=True,
    )
    if isinstance(cards, ApiProblem):
        raise cards
    return render_template(
        "scorecards/community.html",
        community=community,
        name=community_names({} if isinstance(district, ApiProblem) else district).get(
            community, community
        ),
        year=year,
        card=cards["communities"][0],
        workers=cards["workers"],
        cards=cards,
        plan=None if isinstance(plan, ApiProblem) else plan,
        measures=MEASURES,
    )


@blueprint.get("/<community>/<measure>")
@requires(HEAD, "visitor", "intake_clerk", "allowance_officer")
def measure(community: str, measure: str) -> ResponseReturnValue:
    if not may_see(community):
        return forbidden()
    year = year_asked()
    worker = request.args.get("worker") or None
    params = {"worker": worker} if worker else None
    found = call("visits", "GET", f"/scorecards/{community}/{year}/{measure}", params=params)
    return render_template(
        "scorecards/measure.html",
        community=community,
        name=communities().get(community, community),
        year=year,
        found=found,
        spec=MEASURES[measure],
        missed=[line for line in found["lines"] if not line["counted"]],
        counted=[line for line in found["lines"] if line["counted"]],
    )
