"""Intake's HTTP doors for the grid below the community (网格): its resident groups, buildings
and courtyards, their leaders and responsible workers, and what each holds."""

from dataclasses import asdict
from typing import Any

from services.intake.domain.grid import GridCell
from services.intake.entrypoints import grid_schemas as schemas
from services.intake.entrypoints.api import CLERK, READERS, intake
from services.intake.service_layer import grid
from shared.documents import plain
from shared.web.auth import require_community, requires, scoped, visible
from shared.web.blueprint import Blueprint
from shared.web.pagination import page, page_schema, paged
from shared.web.problems import documented

HEAD = "community_head"
blueprint = Blueprint(
    "grid",
    __name__,
    url_prefix="/grid",
    description="The grid below the community (网格): resident groups, buildings, courtyards",
)


def scoped_cell(cell_id: str) -> GridCell:
    cell = intake().grid.require(cell_id)
    visible(cell.community, f"grid cell with id {cell_id!r}")
    return cell


@blueprint.route("")
@requires(*READERS)
@blueprint.arguments(schemas.CellListArgs, location="query")
@blueprint.response(200, page_schema(schemas.CellSchema))
def list_cells(args: dict[str, Any]) -> dict[str, Any]:
    """List the cells by community, kind, resident group or responsible worker"""
    scoped(args)
    query = grid.list_query(args)
    found, total = intake().grid.find(query, [("community", 1), ("name", 1)], *paged(args))
    return page(args, [plain(c) for c in found], total)


@blueprint.route("", methods=["POST"])
@requires(HEAD)
@blueprint.arguments(schemas.NewCellSchema)
@blueprint.response(201, schemas.CellSchema)
@documented(blueprint, 403, 422)
def open_cell(body: dict[str, Any]) -> dict[str, Any]:
    """Open a resident group (居民小组), building (楼栋) or courtyard (院落) of a community"""
    require_community(body["community"])
    return plain(grid.open_cell(intake(), body["community"], body["kind"], body["terms"]))


@blueprint.route("/coverage")
@requires(*READERS)
@blueprint.arguments(schemas.CoverageArgs, location="query")
@blueprint.response(200, schemas.CoverageAnswerSchema)
@documented(blueprint, 403, 422)
def coverage(args: dict[str, Any]) -> dict[str, Any]:
    """What each cell of a community holds: households, elders, key targets, home care

    A resident group's figures are those of its buildings and courtyards; `unplaced` counts
    the households placed in none.
    """
    scoped(args)
    covered = grid.coverage(intake(), args["community"])
    cells = grid.active_cells(intake(), args["community"])
    return {
        "community": args["community"],
        "cells": [{**plain(c), "coverage": asdict(covered[c.cell_id])} for c in cells],
        "unplaced": asdict(covered[grid.UNPLACED]),
    }


@blueprint.route("/<cell_id>")
@requires(*READERS)
@blueprint.response(200, schemas.CellSchema)
@documented(blueprint, 404)
def get_cell(cell_id: str) -> dict[str, Any]:
    """A cell: its kind, group, leader and responsible worker"""
    return plain(scoped_cell(cell_id))


@blueprint.route("/<cell_id>", methods=["PUT"])
@requires(HEAD)
@blueprint.arguments(schemas.CellChangeSchema)
@blueprint.response(200, schemas.CellSchema)
@documented(blueprint, 404, 409, 422)
def change_cell(body: dict[str, Any], cell_id: str) -> dict[str, Any]:
    """Rename a cell, or change its group, leader or responsible worker"""
    scoped_cell(cell_id)
    return plain(grid.change_cell(intake(), cell_id, body["version"], body["terms"]))


@blueprint.route("/<cell_id>/placement", methods=["POST"])
@requires(HEAD, CLERK)
@blueprint.response(200, schemas.PlacedSchema)
@documented(blueprint, 404, 422)
def place_at_address(cell_id: str) -> dict[str, Any]:
    """Place in a building or courtyard the households living at its address

    Every active household of the community placed in none yet, whose normalised address
    begins with the building's (新华路12号 takes 新华路12号3-201, not 新华路120号). Running it
    again places no one twice.
    """
    scoped_cell(cell_id)
    return {"cell_id": cell_id, "placed": grid.place_at_address(intake(), cell_id)}


@blueprint.route("/<cell_id>/retirement", methods=["POST"])
@requires(HEAD)
@blueprint.arguments(schemas.Versioned)
@blueprint.response(200, schemas.CellSchema)
@documented(blueprint, 404, 409, 422)
def retire_cell(body: dict[str, Any], cell_id: str) -> dict[str, Any]:
    """Retire a cell in which nothing is placed any more; its history stays"""
    scoped_cell(cell_id)
    return plain(grid.retire_cell(intake(), cell_id, body["version"]))
