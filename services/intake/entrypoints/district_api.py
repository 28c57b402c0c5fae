"""The district's configuration: communities and elder-card categories."""

from typing import Any

from flask_smorest import Blueprint

from services.intake.entrypoints import schemas
from services.intake.entrypoints.api import intake
from services.intake.service_layer import district
from shared.documents import plain
from shared.web.auth import requires

blueprint = Blueprint(
    "district",
    __name__,
    url_prefix="/district",
    description="The district's communities and card categories",
)


@blueprint.route("")
@requires("intake_clerk", "community_head", "visitor", "allowance_officer", "operator")
@blueprint.response(200, schemas.DistrictSchema)
def get_district() -> dict[str, Any]:
    """The district's configuration"""
    return plain(intake().district.get())


@blueprint.route("/communities", methods=["PUT"])
@requires()  # the district administrator only
@blueprint.arguments(schemas.CommunitiesSchema)
@blueprint.response(200, schemas.DistrictSchema)
@blueprint.alt_response(422, description="Invalid or repeated community codes")
def put_communities(body: dict[str, Any]) -> dict[str, Any]:
    """Replace the list of communities and villages"""
    return plain(district.configure_communities(intake(), body["communities"]))


@blueprint.route("/card-categories", methods=["PUT"])
@requires()  # the district administrator only
@blueprint.arguments(schemas.CardCategoriesSchema)
@blueprint.response(200, schemas.DistrictSchema)
@blueprint.alt_response(422, description="Invalid or repeated category codes")
def put_card_categories(body: dict[str, Any]) -> dict[str, Any]:
    """Replace the elder-card categories (e.g. 60+, 70+)"""
    return plain(district.configure_card_categories(intake(), body["card_categories"]))


@blueprint.route("/history")
@requires()  # the district administrator only
@blueprint.response(200, schemas.HistorySchema(many=True))
def history() -> list[dict[str, Any]]:
    """Every change to the district's configuration, newest first: when, by whom, what"""
    return intake().district.history()
