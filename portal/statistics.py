"""Intake clerk (and community heads, allowance officers): the district's statistics as intake
counts them (`GET /statistics`), each table drawn as bars per community and given as figures
too; the workbook is intake's own, fetched with the user's token."""

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, Read, download, passed_on, read_all
from portal.auth import requires
from portal.bound_reports import FORMATS, bound_report
from portal.charts import Chart, Row, chart
from portal.elders import CLERK, every_community_name
from portal.forms import FormState
from portal.words import fact_choices, household_types, key_target_reasons
from services.intake.domain.age_bands import BAND_NAMES

blueprint = Blueprint("statistics", __name__, url_prefix="/statistics")
READERS = (CLERK, "community_head", "allowance_officer")
DISTRICT = "district"
DISTRICT_READ = Read("intake", "/district")


def register_chart(
    key: str, title: str, columns: list[tuple[str, str]], rows: list[Row], charted: list[str]
) -> Chart:
    """Bars of the `charted` columns for each community; a table of several bars totals the
    elders of each community."""
    total = ("elders", _("Elders")) if len(charted) > 1 else ("", "")
    return chart(key, title, columns, rows, charted, total=total)


def key_targets(tally: dict[str, Any]) -> dict[str, int]:
    """The key targets, and how many for each reason (an elder may have several)."""
    reasons = dict.fromkeys(key_target_reasons(), 0) | tally["key_target_reasons"]
    return {"key_targets": tally["key_targets"], **reasons}


def facts(tally: dict[str, Any]) -> dict[str, int]:
    """Those recorded as party members and veterans, and the retired cadres by kind."""
    counted = tally["facts"]
    return {
        "party_member": counted["party_member"]["yes"],
        "veteran": counted["veteran"]["yes"],
        **{k: v for k, v in counted["cadre_retirement"].items() if k != "unknown"},
    }


def home_care(households: dict[str, dict[str, int]]) -> dict[str, int]:
    """The home-care households of every type, with their elders and everyone living there."""
    counts = households.get("home_care", {})
    return {
        "households": counts.get("households", 0),
        "members": counts.get("elders", 0),
        "persons": counts.get("persons", 0),
    }


def charts(figures: dict[str, Any], names: dict[str, str]) -> list[Chart]:
    tallies = [
        (t["community"], names.get(t["community"], t["community"]), t)
        for t in figures["communities"]
    ]
    tallies.append((DISTRICT, _("District total"), figures["district"]))

    def rows(figures_of: Callable[[dict[str, Any]], dict[str, int]]) -> list[Row]:
        return [(key, label, {**figures_of(t), "elders": t["elders"]}) for key, label, t in tallies]

    bands = list(BAND_NAMES)  # in the order of age (a JSON object's order is not kept)
    choices = fact_choices()
    settlements = choices["settlement"]
    households = household_types()
    kinds = list(households)
    return [
        register_chart(
            "age-bands",
            _("Age bands"),
            [(band, _("%(band)s years", band=band)) for band in bands],
            rows(lambda t: t["age_bands"]),
            bands,
        ),
        register_chart(
            "household-types",
            _("Elders by household type"),
            list(households.items()),
            rows(lambda t: t["household_types"]),
            kinds,
        ),
        register_chart(
            "households",
            _("Households (户) by type"),
            list(households.items()),
            rows(lambda t: {k: v["households"] for k, v in t["households"].items()}),
            kinds,
        ),
        register_chart(
            "home-care",
            _("Home-care households (居家养老户)"),
            [
                ("households", _("Households (户)")),
                ("members", _("Elders of the register")),
                ("persons", _("Persons living there (人)")),
            ],
            rows(lambda t: home_care(t["households"])),
            ["households"],
        ),
        register_chart(
            "settlement",
            _("Where the elders live"),
            [*settlements.items(), ("unknown", _("Not recorded"))],
            rows(lambda t: t["facts"]["settlement"]),
            [*settlements, "unknown"],
        ),
        register_chart(
            "facts",
            _("Party members, veterans and retired cadres"),
            [
                ("party_member", _("Party members")),
                ("veteran", _("Veterans")),
                *choices["cadre_retirement"].items(),
            ],
            rows(facts),
            ["party_member", "veteran"],
        ),
        register_chart(
            "key-targets",
            _("Key service targets"),
            [("key_targets", _("Key service targets")), *key_target_reasons().items()],
            rows(key_targets),
            ["key_targets"],
        ),
    ]


def as_of_asked() -> dict[str, str]:
    """The day (or moment) past the figures are asked for, if any."""
    day = request.args.get("as_of", "").strip()
    return {"as_of": day} if day else {}


@blueprint.get("")
@requires(*READERS)
def index() -> ResponseReturnValue:
    """Today's figures, or those of a day past (by the communities of then)."""
    asked = as_of_asked()
    form = FormState(MultiDict(asked), ("as_of",), labels={"as_of": _l("the day")})
    status = 200
    try:
        figures, district = read_all([Read("intake", "/statistics", asked), DISTRICT_READ])
    except ApiProblem as problem:
        form.add_problem(problem)
        figures, district = read_all([Read("intake", "/statistics"), DISTRICT_READ])
        asked, status = {}, problem.status
    page = render_template(
        "statistics/index.html",
        as_of=figures["as_of"],
        asked=asked,
        form=form,
        charts=charts(figures, every_community_name(district)),
        year=int(figures["as_of"][:4]),
    )
    return page, status


@blueprint.get("/statistics.xlsx")
@requires(*READERS)
def workbook() -> ResponseReturnValue:
    answer = download("intake", "/statistics", {"format": "xlsx", **as_of_asked()})
    disposition = answer.headers.get("Content-Disposition", "attachment; filename=statistics.xlsx")
    return Response(
        answer.content,
        mimetype=answer.headers.get("Content-Type"),
        headers={"Content-Disposition": disposition},
    )


# The figures of the year's work summary (年度工作总结), each part from the service that owns it
YEAR_PARTS = {"register": "intake", "visits": "visits", "allowances": "allowances"}


@blueprint.get("/year/<int:year>")
@requires(*READERS)
def year_summary(year: int) -> ResponseReturnValue:
    """The figures for the year's work summary (年度工作总结) whole, the district's or one
    community's (`community`; a community's head gets theirs): the register's, visits' and
    allowances' parts bound in one form to print (PDF) or one workbook, a sheet each."""
    file_format = request.args.get("format", "pdf")
    if file_format not in FORMATS:
        abort(404)
    community = request.args.get("community", "")
    params = {"community": community} if community else {}
    parts = [Read(service, f"/reports/year/{year}", params) for service in YEAR_PARTS.values()]
    name = "-".join(filter(None, ("year", str(year), community)))  # made safe as it is sent
    return bound_report(parts, file_format, name)


@blueprint.get("/year/<int:year>/<part>")
@requires(*READERS)
def year_part(year: int, part: str) -> ResponseReturnValue:
    """One service's figures for the year's work summary, the district's or one community's
    (`community`), to print (PDF) or as a workbook."""
    file_format = request.args.get("format", "pdf")
    if part not in YEAR_PARTS or file_format not in FORMATS:
        abort(404)
    community = request.args.get("community", "")
    params = {"format": file_format, **({"community": community} if community else {})}
    return passed_on(download(YEAR_PARTS[part], f"/reports/year/{year}", params))
