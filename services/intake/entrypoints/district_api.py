"""The district's configuration: communities, elder-card categories, service contacts."""

from typing import Any

from services.intake.entrypoints import schemas
from services.intake.entrypoints.api import intake
from services.intake.service_layer import district
from shared.documents import plain
from shared.service_contacts import in_force
from shared.web.auth import requires
from shared.web.blueprint import Blueprint
from shared.web.problems import documented

blueprint = Blueprint(
    "district",
    __name__,
    url_prefix="/district",
    description="The district's communities, card categories and service contacts",
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
@blueprint.alt_response(409, description="Another change came at the same moment: send again")
@blueprint.alt_response(422, description="Invalid or repeated community codes")
def put_communities(body: dict[str, Any]) -> dict[str, Any]:
    """Replace the list of communities and villages"""
    return plain(district.configure_communities(intake(), body["communities"]))


@blueprint.route("/card-categories", methods=["PUT"])
@requires()  # the district administrator only
@blueprint.arguments(schemas.CardCategoriesSchema)
@blueprint.response(200, schemas.DistrictSchema)
@blueprint.alt_response(409, description="Another change came at the same moment: send again")
@blueprint.alt_response(422, description="Invalid or repeated category codes")
def put_card_categories(body: dict[str, Any]) -> dict[str, Any]:
    """Replace the elder-card categories (e.g. 60+, 70+)"""
    return plain(district.configure_card_categories(intake(), body["card_categories"]))


@blueprint.route("/service-contacts")
@requires("intake_clerk", "community_head", "visitor", "allowance_officer", "operator")
@blueprint.response(200, schemas.ServiceContactsSchema)
def get_service_contacts() -> dict[str, Any]:
    """The service hotline and service guide printed at the foot of every form; version 0:
    never set, the deployment's defaults (ELDERCARE_HOTLINE, ELDERCARE_SERVICE_GUIDE)"""
    return plain(in_force(intake()))


@blueprint.route("/service-contacts", methods=["PUT"])
@requires()  # the district administrator only
@blueprint.arguments(schemas.ServiceContactsSchema)
@blueprint.response(200, schemas.ServiceContactsSchema)
@documented(blueprint, 409, 422)
def put_service_contacts(body: dict[str, Any]) -> dict[str, Any]:
    """Set the service hotline (服务热线) and the title of the service guide handbook
    (服务指南手册) that every service prints at the foot of its forms, the priority service
    card's back included; an empty value prints none. Announced to visits and allowances"""
    contacts = district.set_service_contacts(
        intake(), body["version"], body["hotline"], body["service_guide"]
    )
    return plain(contacts)


@blueprint.route("/history")
@requires()  # the district administrator only
@blueprint.response(200, schemas.HistorySchema(many=True))
def history() -> list[dict[str, Any]]:
    """Every change to the district's configuration, newest first: when, by whom, what"""
    return intake().district.history()
