"""Allowances' HTTP doors: thin views over its stores and use cases."""

from dataclasses import asdict
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from services.allowances.bootstrap import Allowances
from services.allowances.domain.elder import Elder
from services.allowances.domain.high_age import high_age_eligibility
from services.allowances.entrypoints.schemas import ElderListArgs, ElderSchema
from shared.clock import local_today
from shared.errors import NotFound
from shared.web.auth import requires
from shared.web.pagination import page_of, page_schema

blueprint = Blueprint(
    "elders",
    __name__,
    url_prefix="/elders",
    description="Elders as allowances knows them, with their eligibility",
)
READERS = ("allowance_officer", "approver", "community_head")


def _allowances() -> Allowances:
    return current_app.extensions["allowances"]


def _view(elder: Elder) -> dict[str, Any]:
    allowances = _allowances()
    today = local_today(allowances.clock, allowances.settings.zone)
    eligibility = high_age_eligibility(elder.birth_date, today, alive=elder.status == "active")
    return {
        **asdict(elder),
        "high_age_allowance": {
            "eligible": eligibility.eligible,
            "band": eligibility.band.name if eligibility.band else None,
            "age": eligibility.age,
            "as_of": today,
        },
    }


@blueprint.route("")
class Elders(MethodView):
    @requires(*READERS)
    @blueprint.arguments(ElderListArgs, location="query")
    @blueprint.response(200, page_schema(ElderSchema))
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List elders known to allowances, optionally of one community"""
        page, size = args["page"], args["page_size"]
        query = {"community": args["community"]} if "community" in args else {}
        elders, total = _allowances().elders.list(query, (page - 1) * size, size)
        return page_of([_view(e) for e in elders], total, page, size)


@blueprint.route("/<elder_id>")
class ElderById(MethodView):
    @requires(*READERS)
    @blueprint.response(200, ElderSchema)
    @blueprint.alt_response(404, description="Not (yet) known to allowances")
    def get(self, elder_id: str) -> dict[str, Any]:
        """One elder by id, with high-age allowance eligibility"""
        elder = _allowances().elders.get(elder_id)
        if elder is None:
            raise NotFound(f"No elder with id {elder_id!r} is known to allowances (yet).")
        return _view(elder)
