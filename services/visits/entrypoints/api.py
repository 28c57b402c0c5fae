"""Visits' HTTP doors: thin views over its stores and use cases."""

from dataclasses import asdict
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from services.visits.bootstrap import Visits
from services.visits.entrypoints.schemas import ElderListArgs, ElderSchema
from shared.errors import NotFound
from shared.web.auth import requires
from shared.web.pagination import page_of, page_schema

blueprint = Blueprint(
    "elders", __name__, url_prefix="/elders", description="Visits' view of the elders it serves"
)
READERS = ("visitor", "community_head")


def _visits() -> Visits:
    return current_app.extensions["visits"]


@blueprint.route("")
class Elders(MethodView):
    @requires(*READERS)
    @blueprint.arguments(ElderListArgs, location="query")
    @blueprint.response(200, page_schema(ElderSchema))
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List elders known to visits, optionally of one community"""
        page, size = args["page"], args["page_size"]
        query = {"community": args["community"]} if "community" in args else {}
        elders, total = _visits().elders.list(query, (page - 1) * size, size)
        return page_of([asdict(e) for e in elders], total, page, size)


@blueprint.route("/<elder_id>")
class ElderById(MethodView):
    @requires(*READERS)
    @blueprint.response(200, ElderSchema)
    @blueprint.alt_response(404, description="Not (yet) known to visits")
    def get(self, elder_id: str) -> dict[str, Any]:
        """One elder by id"""
        elder = _visits().elders.get(elder_id)
        if elder is None:
            raise NotFound(f"No elder with id {elder_id!r} is known to visits (yet).")
        return asdict(elder)
