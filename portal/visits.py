"""Visitor (community worker), on a phone: my worklist, and recording a visit that meets the
obligations chosen.

The worklist is worked out when the page is read: visits' open obligations assigned to the
user and due before the end of this week (in the district's time zone), split into overdue,
due today and due later this week.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, Read, call, read_all, settings
from portal.auth import forbidden, kept_form, requires
from portal.communities import may_see, my_communities
from portal.forms import FormState
from portal.words import checked_facts, fact_choices, obligation_kind, trigger, visit_kinds
from shared.vocabulary import CHECKED_FACTS

blueprint = Blueprint("visits", __name__)
WORKERS = ("visitor", "community_head")
FACT_FIELDS = tuple(f"fact_{fact}" for fact in CHECKED_FACTS)  # a door check's corrections
VISIT_FIELDS = ("meets", "kind", "visited_at", "facts", *FACT_FIELDS, "findings", "follow_up")
# what meeting an obligation refuses; what a door check's corrections are refused for
VISIT_ALIASES = {"visit_id": "meets", "gift": "meets", "door_check": "facts"}
DOOR_CHECK = "door_check"
VISIT_LABELS = {"kind": _l("how the visit was made"), "visited_at": _l("when the visit was made")}
PAGE_SIZE = 100
RATED_WITHIN = timedelta(days=3)  # the visits the worklist offers to rate


@dataclass
class Worklist:
    overdue: list[dict[str, Any]] = field(default_factory=list)
    today: list[dict[str, Any]] = field(default_factory=list)
    this_week: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0  # the open obligations due by the end of the week, shown or not

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.today or self.this_week)

    @property
    def shown(self) -> int:
        return len(self.overdue) + len(self.today) + len(self.this_week)

    @property
    def cut_short(self) -> bool:
        """More work is due this week than one page holds: the soonest due are shown."""
        return self.total > self.shown


def boundaries(now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The end of today and of this week (Monday to Sunday): midnights in the district."""
    local = now.astimezone(zone)
    tomorrow = datetime.combine(local.date() + timedelta(days=1), time(), tzinfo=local.tzinfo)
    end_of_week = tomorrow + timedelta(days=6 - local.weekday())
    return tomorrow, end_of_week


def elder_names(elder_ids: set[str]) -> dict[str, dict[str, Any]]:
    """Each elder's name and address, a call for each hundred (a call for each elder was the
    worklist's cost); one visits no longer knows is shown by its id."""
    ordered = sorted(elder_ids)
    batches = [ordered[n : n + PAGE_SIZE] for n in range(0, len(ordered), PAGE_SIZE)]
    pages = read_all(
        [Read("visits", "/elders", {"elder_id": ids, "page_size": PAGE_SIZE}) for ids in batches]
    )
    return {elder["elder_id"]: elder for page in pages for elder in page.get("items", [])}


def shown(obligation: dict[str, Any], elders: dict[str, dict[str, Any]]) -> dict[str, Any]:
    due = datetime.fromisoformat(obligation["due_at"]).astimezone(settings().zone)
    return {
        **obligation,
        "elder": elders.get(obligation["elder_id"], {}),
        "due_local": due,
        "what": trigger(obligation.get("trigger")) or obligation_kind(obligation["kind"]),
    }


@blueprint.get("/worklist")
@requires(*WORKERS)
def worklist() -> ResponseReturnValue:
    """The worker's work, their buildings and their visits still to rate, read at once (each
    read waited on the one before it, and the page on all three in turn)."""
    now = datetime.now(settings().zone)
    _end_of_today, end_of_week = boundaries(now, settings().zone)
    params = {
        "assignee": session["user"],
        "status": "open",
        "due_by": end_of_week.isoformat(),
        "page_size": PAGE_SIZE,
        "with_elder": "true",
    }
    grid = grid_reads(my_communities())
    cells: dict[str, str] = {}
    cell_id = request.args.get("cell_id", "")
    if cell_id and grid:  # only one of the worker's own buildings narrows it: read them first
        cells = buildings(read_all(grid)[0])
        if cell_id in cells:
            params["cell_id"] = cell_id
        grid = []
    found, made, rated, *grid_found = read_all(
        [Read("visits", "/obligations", params), *rating_reads(), *grid]
    )
    if grid_found:
        cells = buildings(grid_found[0])
    return render_template(
        "visits/worklist.html",
        work=worklist_of(found, now),
        now=now,
        cells=cells,
        cell_id=params.get("cell_id"),
        to_rate=unrated_visits(made, rated),
    )


def rating_reads() -> list[Read]:
    """The signed-in worker's last visits, and the ratings given of their visits."""
    me = session["user"]
    return [
        Read("visits", "/visits", {"visitor": me, "page_size": 20}),
        Read("visits", "/feedback", {"worker": me, "page_size": 100}),
    ]


def unrated_visits(made: dict[str, Any], rated: dict[str, Any]) -> list[dict[str, Any]]:
    """Of the worker's visits (`made`), those of the last days that nobody has rated yet
    (`rated`: the ratings given), each with its elder's name."""
    done = {f["reference"] for f in rated["items"]}
    since = datetime.now(settings().zone) - RATED_WITHIN
    waiting = [
        v
        for v in made["items"]
        if v["visit_id"] not in done and datetime.fromisoformat(v["visited_at"]) >= since
    ]
    elders = elder_names({v["elder_id"] for v in waiting})
    zone = settings().zone
    return [
        {
            **v,
            "name": elders.get(v["elder_id"], {}).get("name", v["elder_id"]),
            "when": datetime.fromisoformat(v["visited_at"]).astimezone(zone),
        }
        for v in waiting
    ]


def grid_reads(communities: tuple[str, ...]) -> list[Read]:
    """The groups, buildings and courtyards of the worker's one community, to narrow the
    worklist to one (none for a worker of several communities, or of none)."""
    if len(communities) != 1:
        return []
    return [Read("intake", "/grid", {"community": communities[0], "page_size": 100})]


def buildings(grid: dict[str, Any]) -> dict[str, str]:
    return {cell["cell_id"]: cell["name"] for cell in grid["items"]}


def worklist_of(found: dict[str, Any], now: datetime) -> Worklist:
    """A page of open obligations due before the end of the week (the soonest due, with the
    total), split into overdue, due today and due later this week, each with its elder (as
    read with them, `with_elder`, or else asked for)."""
    obligations: list[dict[str, Any]] = found.get("items", [])
    end_of_today, _end_of_week = boundaries(now, settings().zone)
    elders = {o["elder_id"]: o["elder"] for o in obligations if o.get("elder")}
    missing = {o["elder_id"] for o in obligations if "elder" not in o}
    elders.update(elder_names(missing))
    work = Worklist(total=max(int(found.get("total") or 0), len(obligations)))
    for obligation in obligations:
        item = shown(obligation, elders)
        if item["due_local"] < now:
            work.overdue.append(item)
        elif item["due_local"] <= end_of_today:  # due by the end of today: at midnight
            work.today.append(item)
        else:
            work.this_week.append(item)
    return work


def open_obligations(elder_id: str) -> list[dict[str, Any]]:
    found = call(
        "visits",
        "GET",
        "/obligations",
        params={"elder_id": elder_id, "status": "open", "page_size": PAGE_SIZE},
    )
    return list(found.get("items", []))


def visit_page(elder_id: str, form: FormState, status: int = 200) -> ResponseReturnValue:
    elder = call("visits", "GET", f"/elders/{elder_id}")
    if not may_see(elder["community"]):
        return forbidden()
    obligations = [shown(o, {}) for o in open_obligations(elder_id)]
    return (
        render_template(
            "visits/record.html",
            elder=elder,
            obligations=obligations,
            form=form,
            kinds=visit_kinds(),
            door_check=any(o["kind"] == DOOR_CHECK for o in obligations),
            facts=checked_facts(),
            choices=fact_choices(),
        ),
        status,
    )


@blueprint.get("/elders/<elder_id>/visits/new")
@requires(*WORKERS)
def record(elder_id: str) -> ResponseReturnValue:
    values = kept_form()
    if values is None:
        now = datetime.now(settings().zone).strftime("%Y-%m-%dT%H:%M")
        values = MultiDict(
            [("kind", "home"), ("visited_at", now), ("visit_id", str(uuid.uuid4()))]
            + [("meets", o) for o in request.args.getlist("meets")]
        )
    return visit_page(
        elder_id, FormState(values, VISIT_FIELDS, VISIT_ALIASES, VISIT_LABELS, frozenset({"kind"}))
    )


@blueprint.post("/elders/<elder_id>/visits/new")
@requires(*WORKERS)
def record_send(elder_id: str) -> ResponseReturnValue:
    form = FormState(request.form, VISIT_FIELDS, VISIT_ALIASES, VISIT_LABELS, frozenset({"kind"}))
    body: dict[str, Any] = {
        "visit_id": form["visit_id"] or str(uuid.uuid4()),
        "elder_id": elder_id,
        "kind": form["kind"],
        "findings": form["findings"],
        "meets": form.getlist("meets"),
    }
    if form["follow_up"]:
        body["follow_up"] = form["follow_up"]
    if checks_at_the_door(elder_id, body["meets"]):
        body["door_check"] = {"corrections": corrections(form)}
    visited_at = local_time(form["visited_at"])
    if visited_at is None:
        form.add_error("visited_at", _("Enter the date and time of the visit."))
        return visit_page(elder_id, form, 422)
    body["visited_at"] = visited_at.isoformat()
    try:
        visit = call("visits", "POST", "/visits", json=body)
    except ApiProblem as problem:
        if problem.status == 404 and not problem.fields:
            abort(404)
        form.add_problem(problem)
        return visit_page(elder_id, form, 422)
    met = len(visit.get("meets", []))
    flash(
        ngettext(
            "The visit is recorded; it meets %(num)d obligation.",
            "The visit is recorded; it meets %(num)d obligations.",
            met,
        ),
        "success",
    )
    return redirect(url_for("visits.worklist"))


def checks_at_the_door(elder_id: str, meets: list[str]) -> bool:
    """Whether the visit meets an obligation of a door-to-door check."""
    met = set(meets)
    return any(
        o["obligation_id"] in met and o["kind"] == DOOR_CHECK for o in open_obligations(elder_id)
    )


def corrections(form: FormState) -> list[dict[str, str]]:
    """The facts found wrong at the door, as they are: those filled in (blank: right)."""
    return [
        {"fact": fact, "value": form[f"fact_{fact}"]}
        for fact in CHECKED_FACTS
        if form[f"fact_{fact}"]
    ]


def local_time(text: str) -> datetime | None:
    """A datetime-local input's value, in the district's time zone."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=settings().zone)
