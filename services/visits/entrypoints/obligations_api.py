"""Visit obligations over HTTP: report a must-visit, list due and overdue work, meet, cancel or
reassign an obligation; and the caseloads of communities and visitors."""

import uuid
from typing import Any

from services.visits.domain.obligations import Obligation
from services.visits.domain.triggers import reported
from services.visits.entrypoints.api import (
    HEADS,
    READERS,
    WORKERS,
    elder_for,
    me,
    page,
    paged,
    scoped,
    visible,
)
from services.visits.entrypoints.api import visits_app as app
from services.visits.entrypoints.schemas import (
    AssignmentSchema,
    CaseloadArgs,
    CellAssignedSchema,
    CellAssignmentSchema,
    CellCaseloadArgs,
    CellLoadSchema,
    CommunityLoadSchema,
    CompletionSchema,
    IncidentReportSchema,
    ObligationListArgs,
    ObligationSchema,
    ReasonSchema,
    VisitorLoadSchema,
)
from services.visits.service_layer import grid, obligations, queries
from services.visits.service_layer.elders import elders_with_contacts
from shared.documents import plain
from shared.personal import redacted
from shared.web.auth import requires
from shared.web.blueprint import Blueprint
from shared.web.pagination import page_schema

blueprint = Blueprint(
    "obligations",
    __name__,
    url_prefix="/obligations",
    description="Visit obligations: the eight must-visits, routine, pairing and festival visits",
)
caseloads = Blueprint(
    "caseload",
    __name__,
    url_prefix="/caseload",
    description="Open work per community, visitor, and cell of the grid",
)


def view(obligation: Obligation) -> dict[str, Any]:
    return {
        **plain(obligation),
        "overdue": obligation.overdue or obligation.is_overdue(app().clock.now()),
        "on_time": obligation.on_time,
    }


def with_elders(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each obligation with its elder as the elder list shows them (phone masked), so that a
    worklist is one call; an elder visits no longer knows is left out."""
    elders = elders_with_contacts(app(), [item["elder_id"] for item in items])
    shown = {e["elder_id"]: e for e in redacted(elders)}
    return [{**item, "elder": shown.get(item["elder_id"])} for item in items]


def obligation(obligation_id: str) -> Obligation:
    return visible(app().obligations.require(obligation_id))


@blueprint.route("")
@requires(*READERS)
@blueprint.arguments(ObligationListArgs, location="query")
@blueprint.response(200, page_schema(ObligationSchema))
def list_obligations(args: dict[str, Any]) -> dict[str, Any]:
    """Due and overdue work: filter by community, assignee, elder, status, kind, ...

    Sorted by due time, soonest first."""
    found, total = queries.obligations(app(), scoped(args), *paged(args))
    items = [view(o) for o in found]
    if args["with_elder"]:
        items = with_elders(items)
    return page(args, items, total)


@blueprint.route("", methods=["POST"])
@requires(*WORKERS)
@blueprint.arguments(IncidentReportSchema)
@blueprint.response(201, ObligationSchema)
@blueprint.alt_response(404, description="Unknown elder")
@blueprint.alt_response(409, description="This incident was already reported")
@blueprint.alt_response(422, description="Unknown trigger, a date in the future, ...")
def report_incident(body: dict[str, Any]) -> dict[str, Any]:
    """Report one of the eight must-visits; opens an obligation due by the trigger's deadline"""
    visits = app()
    elder_for(body["elder_id"])
    incident = reported(
        body.get("incident_id") or str(uuid.uuid4()),
        body["elder_id"],
        body["trigger"],
        body.get("occurred_at") or visits.clock.now(),
        me(),
        body["reference"],
        body["note"],
    )
    return view(obligations.report_incident(visits, incident))


@blueprint.route("/<obligation_id>")
@requires(*READERS)
@blueprint.response(200, ObligationSchema)
@blueprint.alt_response(404, description="No such obligation")
def obligation_by_id(obligation_id: str) -> dict[str, Any]:
    """One obligation"""
    return view(obligation(obligation_id))


@blueprint.route("/<obligation_id>/complete", methods=["POST"])
@requires(*WORKERS)
@blueprint.arguments(CompletionSchema)
@blueprint.response(200, ObligationSchema)
@blueprint.alt_response(404, description="No such obligation or visit")
@blueprint.alt_response(409, description="Already met or cancelled")
@blueprint.alt_response(422, description="No visit record, or one that cannot meet it")
def complete_obligation(body: dict[str, Any], obligation_id: str) -> dict[str, Any]:
    """Meet an obligation with a recorded visit (see also `meets` of POST /visits)"""
    obligation(obligation_id)
    return view(obligations.complete(app(), obligation_id, body["visit_id"]))


@blueprint.route("/<obligation_id>/cancel", methods=["POST"])
@requires(*HEADS)
@blueprint.arguments(ReasonSchema)
@blueprint.response(200, ObligationSchema)
@blueprint.alt_response(409, description="No longer open")
def cancel_obligation(body: dict[str, Any], obligation_id: str) -> dict[str, Any]:
    """Cancel an open obligation, saying why (e.g. reported twice under different ids)"""
    obligation(obligation_id)
    return view(obligations.cancel(app(), obligation_id, body["reason"]))


@blueprint.route("/<obligation_id>/assign", methods=["POST"])
@requires(*HEADS)
@blueprint.arguments(AssignmentSchema)
@blueprint.response(200, ObligationSchema)
@blueprint.alt_response(409, description="No longer open")
def reassign_obligation(body: dict[str, Any], obligation_id: str) -> dict[str, Any]:
    """Give an open obligation to another visitor"""
    obligation(obligation_id)
    return view(obligations.reassign(app(), obligation_id, body["assignee"]))


def _loads(key: str, args: dict[str, Any]) -> list[dict[str, Any]]:
    loads = queries.caseloads(app(), key, scoped(args).get("community"))
    return [{**plain(load), key: load.key} for load in loads]


@caseloads.route("/communities")
@requires(*READERS)
@caseloads.arguments(CaseloadArgs, location="query")
@caseloads.response(200, CommunityLoadSchema(many=True))
def community_caseloads(args: dict[str, Any]) -> list[dict[str, Any]]:
    """Open, overdue and due-today obligations per community, most overdue first"""
    return _loads("community", args)


@caseloads.route("/cells")
@requires(*READERS)
@caseloads.arguments(CellCaseloadArgs, location="query")
@caseloads.response(200, CellLoadSchema(many=True))
def cell_caseloads(args: dict[str, Any]) -> list[dict[str, Any]]:
    """Open, overdue and due-today obligations per resident group, building and courtyard

    A group's are those of its buildings and courtyards; the row with no cell counts the work
    of elders whose household is placed in none. Most overdue first.
    """
    scoped(args)
    rows = grid.cell_caseloads(app(), args["community"])
    return [{**(plain(row.cell) if row.cell else {}), **plain(row.load)} for row in rows]


@caseloads.route("/cells/<cell_id>/assign", methods=["POST"])
@requires(*HEADS)
@caseloads.arguments(CellAssignmentSchema)
@caseloads.response(200, CellAssignedSchema)
@caseloads.alt_response(404, description="No such cell")
@caseloads.alt_response(422, description="No assignee, and the cell has no responsible worker")
def assign_cell(body: dict[str, Any], cell_id: str) -> dict[str, Any]:
    """Give the open work of a building's (or a group's) elders to one worker

    By default its responsible worker; each obligation moved keeps its history and event.
    """
    cell = visible(grid.cell_of(app(), cell_id))
    moved = grid.assign_cell(app(), cell, body["assignee"], body["unassigned_only"])
    return {"cell_id": cell_id, "assignee": body["assignee"] or cell.worker, "moved": moved}


@caseloads.route("/visitors")
@requires(*READERS)
@caseloads.arguments(CaseloadArgs, location="query")
@caseloads.response(200, VisitorLoadSchema(many=True))
def visitor_caseloads(args: dict[str, Any]) -> list[dict[str, Any]]:
    """Each visitor's open, overdue and due-today obligations (optionally of one community)"""
    return _loads("assignee", args)
