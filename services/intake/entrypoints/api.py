"""Intake's HTTP doors: thin views over the use cases."""

from dataclasses import asdict
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from services.intake.bootstrap import Intake
from services.intake.domain.elder import Elder, Registration
from services.intake.entrypoints.schemas import ElderListArgs, ElderSchema, RegistrationSchema
from services.intake.service_layer.registration import register_elder
from shared.ages import age_on
from shared.clock import local_today
from shared.errors import NotFound
from shared.web.auth import requires
from shared.web.pagination import page_of, page_schema

blueprint = Blueprint(
    "elders", __name__, url_prefix="/elders", description="The register of elders"
)
READERS = ("intake_clerk", "community_head", "visitor", "allowance_officer")


def _intake() -> Intake:
    return current_app.extensions["intake"]


def _view(elder: Elder) -> dict[str, Any]:
    intake = _intake()
    return {
        **asdict(elder),
        "age": age_on(elder.birth_date, local_today(intake.clock, intake.settings.zone)),
    }


@blueprint.route("")
class Elders(MethodView):
    @requires("intake_clerk")
    @blueprint.arguments(RegistrationSchema)
    @blueprint.response(201, ElderSchema)
    @blueprint.alt_response(409, description="The ID number is already registered")
    @blueprint.alt_response(422, description="Invalid fields, or a rule of the register broken")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Register an elder (aged 60 or over)"""
        return _view(register_elder(_intake(), Registration(**body)))

    @requires(*READERS)
    @blueprint.arguments(ElderListArgs, location="query")
    @blueprint.response(200, page_schema(ElderSchema))
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List elders, optionally of one community"""
        page, size = args["page"], args["page_size"]
        elders, total = _intake().elders.list(args.get("community"), (page - 1) * size, size)
        return page_of([_view(e) for e in elders], total, page, size)


@blueprint.route("/<elder_id>")
class ElderById(MethodView):
    @requires(*READERS)
    @blueprint.response(200, ElderSchema)
    @blueprint.alt_response(404, description="No such elder")
    def get(self, elder_id: str) -> dict[str, Any]:
        """One elder by id"""
        elder = _intake().elders.get(elder_id)
        if elder is None:
            raise NotFound(f"No elder with id {elder_id!r}.")
        return _view(elder)
