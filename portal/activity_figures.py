"""Learning, activities and teams in figures, for a period (the year so far unless asked), as
visits counts them (`GET /reports/activities`): person-times, teams, volunteer hours, venues
and posts per community drawn as bars, and the kinds of activity of the whole scope; the
workbook is visits' own, fetched with the user's token."""

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, Read, download, passed_on, read_all, today
from portal.auth import forbidden, requires
from portal.charts import Chart, Row, chart
from portal.communities import communities_listed, may_see
from portal.elders import CLERK, community_names, every_community_name
from portal.forms import FormState
from portal.words import (
    activity_types,
    community_posts,
    team_kinds,
    venue_kinds,
    volunteer_services,
)

blueprint = Blueprint("activity_figures", __name__, url_prefix="/activities/figures")
READERS = ("visitor", "community_head", CLERK, "allowance_officer")
REPORT = "/reports/activities"
FIELDS = ("first", "last", "community")
LABELS = {"first": _l("the period's first day"), "last": _l("the period's last day")}
TOTAL = "district"
Figures = dict[str, Any]


def asked(form: FormState) -> dict[str, str]:
    """The period and community asked for; the period is this year's so far when not said."""
    day = today()
    period = {
        "first": form["first"] or date(day.year, 1, 1).isoformat(),
        "last": form["last"] or day.isoformat(),
    }
    return period | ({"community": form["community"]} if form["community"] else {})


def community_rows(
    found: Figures, names: dict[str, str], figures_of: Callable[[Figures], dict[str, float]]
) -> list[Row]:
    rows: list[Row] = [
        (c["community"], names.get(c["community"], c["community"]), figures_of(c))
        for c in found["communities"]
    ]
    return [*rows, (TOTAL, _("Total"), figures_of(found["district"]))]


def person_times(figures: Figures) -> dict[str, float]:
    return {
        "activities": figures["activities"]["total"]["person_times"],
        "sessions": figures["courses"]["total"]["person_times"],
        "person_times": figures["person_times"],
        "people": figures["people_taking_part"],
    }


def teams(figures: Figures) -> dict[str, float]:
    counted = figures["teams"]
    by_kind = {kind: row["teams"] for kind, row in counted["by_kind"].items()}
    return {**by_kind, "teams": counted["total"]["teams"], "members": counted["total"]["members"]}


def hours(figures: Figures) -> dict[str, float]:
    served = figures["volunteer_service"]
    by_service = {name: round(row["hours"], 1) for name, row in served["by_service"].items()}
    total = served["total"]
    return {**by_service, "hours": round(total["hours"], 1), "people": total["people"]}


def venues(figures: Figures) -> dict[str, float]:
    kept = figures["venues"]
    by_kind = {kind: row["venues"] for kind, row in kept["by_category"].items()}
    total = kept["total"]
    return {
        **by_kind,
        "venues": total["venues"],
        "area_m2": round(total["area_m2"], 1),
        "periodicals": total["periodicals"],
    }


def posts(figures: Figures) -> dict[str, float]:
    held = figures["posts"]
    return {
        **{post: row["held"] for post, row in held["by_category"].items()},
        "held": held["total"]["held"],
    }


def by_activity(figures: Figures) -> list[Row]:
    """The scope's kinds of activity: activities and courses' sessions, with their person-times."""
    labels = activity_types()
    held, taught = figures["activities"], figures["courses"]

    def row_of(held_row: Figures, taught_row: Figures) -> dict[str, float]:
        return {
            "held": held_row.get("held", 0),
            "activity_person_times": held_row.get("person_times", 0),
            "courses": taught_row.get("courses", 0),
            "enrolments": taught_row.get("enrolments", 0),
            "sessions": taught_row.get("sessions", 0),
            "session_person_times": taught_row.get("person_times", 0),
        }

    kinds = [k for k in labels if k in held["by_category"] or k in taught["by_category"]]
    rows: list[Row] = [
        (k, labels[k], row_of(held["by_category"].get(k, {}), taught["by_category"].get(k, {})))
        for k in kinds
    ]
    total = row_of(held["total"], taught["total"])
    total["person_times"] = total["activity_person_times"] + total["session_person_times"]
    for _key, _label, row in rows:
        row["person_times"] = row["activity_person_times"] + row["session_person_times"]
    return [*rows, (TOTAL, _("Total"), total)]


def charts(found: Figures, names: dict[str, str]) -> list[Chart]:
    kinds, services, places = team_kinds(), volunteer_services(), venue_kinds()
    held = community_posts()
    return [
        chart(
            "person-times",
            _("Person-times (人次)"),
            [
                ("activities", _("At activities")),
                ("sessions", _("At courses' and lectures' sessions")),
                ("people", _("People taking part")),
            ],
            community_rows(found, names, person_times),
            ["activities", "sessions"],
            total=("person_times", _("Person-times")),
        ),
        chart(
            "activity-kinds",
            _("By kind of activity"),
            [
                ("held", _("Activities held")),
                ("activity_person_times", _("Their person-times")),
                ("courses", _("Courses and lectures")),
                ("enrolments", _("Enrolments")),
                ("sessions", _("Sessions held")),
                ("session_person_times", _("Their person-times")),
            ],
            by_activity(found["district"]),
            ["activity_person_times", "session_person_times"],
            total=("person_times", _("Person-times")),
            row_heading=_("Kind of activity"),
        ),
        chart(
            "teams",
            _("Teams by kind"),
            [*kinds.items(), ("members", _("Members"))],
            community_rows(found, names, teams),
            list(kinds),
            total=("teams", _("Teams")),
        ),
        chart(
            "volunteer-hours",
            _("Hours of volunteer service"),
            [*services.items(), ("people", _("Volunteers serving"))],
            community_rows(found, names, hours),
            list(services),
            total=("hours", _("Hours")),
        ),
        chart(
            "venues",
            _("Venues by kind"),
            [*places.items(), ("area_m2", _("Area (m²)")), ("periodicals", _("Periodicals"))],
            community_rows(found, names, venues),
            list(places),
            total=("venues", _("Venues")),
        ),
        chart(
            "posts",
            _("Posts held by elders"),
            list(held.items()),
            community_rows(found, names, posts),
            list(held),
            total=("held", _("Posts")),
        ),
    ]


def figures_form() -> FormState:
    """The period and the community asked for; a community's staff see their first community
    unless they ask for another of theirs."""
    listed = communities_listed()
    values = MultiDict(request.args)
    if listed and not values.get("community"):
        values["community"] = listed[0]
    return FormState(values, FIELDS, labels=LABELS)


@blueprint.get("")
@requires(*READERS)
def index() -> ResponseReturnValue:
    form = figures_form()
    if form["community"] and not may_see(form["community"]):
        return forbidden()
    status, wanted = 200, asked(form)
    try:
        found, district = read_all([Read("visits", REPORT, wanted), Read("intake", "/district")])
    except ApiProblem as problem:  # a period visits refuses: its reason, and the year so far
        form.add_problem(problem)
        status = problem.status
        wanted = asked(FormState(MultiDict({"community": form["community"]}), FIELDS))
        found, district = read_all([Read("visits", REPORT, wanted), Read("intake", "/district")])
    names = every_community_name(district)
    page = render_template(
        "activities/figures.html",
        form=form,
        asked=wanted,
        figures=found["district"],
        charts=charts(found, names),
        community=form["community"],
        communities={c: n for c, n in community_names(district).items() if may_see(c)},
        whole_district=communities_listed() is None,
    )
    return page, status


@blueprint.get("/activities.xlsx")
@requires(*READERS)
def workbook() -> ResponseReturnValue:
    form = figures_form()
    if form["community"] and not may_see(form["community"]):
        return forbidden()
    return passed_on(download("visits", REPORT, {**asked(form), "format": "xlsx"}))
