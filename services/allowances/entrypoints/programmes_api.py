"""The district's programmes and festival campaigns."""

from typing import Any

from services.allowances.domain.programmes import (
    FestivalCampaign,
    HighAgeProgramme,
    Programmes,
    VoucherProgramme,
)
from services.allowances.entrypoints import schemas
from services.allowances.entrypoints.api import OFFICER, READERS, allowances
from services.allowances.service_layer.configuration import add_campaign, configure
from shared.documents import plain
from shared.personal import mask_phone
from shared.reminders import ReminderRules
from shared.web.auth import requires
from shared.web.blueprint import Blueprint
from shared.web.pagination import page, page_schema, paged
from shared.web.problems import documented

blueprint = Blueprint(
    "programmes",
    __name__,
    description="Programmes per district: high-age allowance bands, home-care vouchers, "
    "festival campaigns",
)


def _view(programmes: Programmes) -> dict[str, Any]:
    phones = {name: mask_phone(n) for name, n in programmes.reminders.phones.items()}
    reminders = {**plain(programmes.reminders), "phones": phones}
    return {**plain(programmes), "reminders": reminders, "configured": programmes.version > 0}


def _campaign(campaign: FestivalCampaign) -> dict[str, Any]:
    return {**plain(campaign), "programme": campaign.code}


@blueprint.route("/programmes")
@requires(*READERS)
@blueprint.response(200, schemas.ProgrammesSchema)
def get_programmes() -> dict[str, Any]:
    """The district's programme configuration

    Until the district sets its own (`configured` false), the amounts are the product's
    examples: high-age 100, 300 and 600 yuan a month for 80-89, 90-99 and 100+; a home-care
    voucher of 60 yuan a month.
    """
    return _view(allowances().programmes.get())


@blueprint.route("/programmes/high-age", methods=["PUT"])
@requires()  # the district administrator only
@blueprint.arguments(schemas.HighAgeUpdateSchema)
@blueprint.response(200, schemas.ProgrammesSchema)
@documented(blueprint, 409, 422)
def put_high_age(body: dict[str, Any]) -> dict[str, Any]:
    """Set the high-age allowance (高龄津贴): amount per band in fen, and the month it starts"""
    version = body.pop("version")
    programme = HighAgeProgramme(tuple(body["amounts"]), body["starts"])
    return _view(configure(allowances(), version, high_age=programme))


@blueprint.route("/programmes/home-care-vouchers", methods=["PUT"])
@requires()
@blueprint.arguments(schemas.VoucherUpdateSchema)
@blueprint.response(200, schemas.ProgrammesSchema)
@documented(blueprint, 409, 422)
def put_vouchers(body: dict[str, Any]) -> dict[str, Any]:
    """Set the home-care service voucher (居家养老代金券): amount per month and validity"""
    version = body.pop("version")
    return _view(configure(allowances(), version, home_care_voucher=VoucherProgramme(**body)))


@blueprint.route("/programmes/schedule", methods=["PUT"])
@requires()
@blueprint.arguments(schemas.ScheduleUpdateSchema)
@blueprint.response(200, schemas.ProgrammesSchema)
@documented(blueprint, 409, 422)
def put_schedule(body: dict[str, Any]) -> dict[str, Any]:
    """Set when payment stops after a death or move, and the report's due day"""
    version = body.pop("version")
    return _view(configure(allowances(), version, **body))


@blueprint.route("/programmes/reminders", methods=["PUT"])
@requires()
@blueprint.arguments(schemas.RemindersUpdateSchema)
@blueprint.response(200, schemas.ProgrammesSchema)
@documented(blueprint, 409, 422)
def put_reminders(body: dict[str, Any]) -> dict[str, Any]:
    """Set the reminders of the month's cycles: the quiet hours, the officers told of a cycle
    nobody has opened yet (`to`), and the staff's mobile numbers for SMS (shown masked)"""
    version = body.pop("version")
    body.pop("due_within_hours", None)  # a cycle is reminded of three days ahead
    rules = ReminderRules(**{**body, "to": tuple(body.get("to", ()))})
    return _view(configure(allowances(), version, reminders=rules))


@blueprint.route("/campaigns", methods=["POST"])
@requires(OFFICER)
@blueprint.arguments(schemas.CampaignSchema)
@blueprint.response(201, schemas.CampaignSchema)
@documented(blueprint, 409, 422)
def post_campaign(body: dict[str, Any]) -> dict[str, Any]:
    """Create a festival campaign: a one-off gift to a target group

    Pay it by opening the cycle of programme `festival:<campaign_id>`.
    """
    return _campaign(add_campaign(allowances(), FestivalCampaign(**body)))


@blueprint.route("/campaigns")
@requires(*READERS)
@blueprint.arguments(schemas.CampaignListArgs, location="query")
@blueprint.response(200, page_schema(schemas.CampaignSchema))
def list_campaigns(args: dict[str, Any]) -> dict[str, Any]:
    """Festival campaigns, the latest first"""
    found, total = allowances().campaigns.find({}, [("festival_on", -1)], *paged(args))
    return page(args, [_campaign(c) for c in found], total)


@blueprint.route("/campaigns/<campaign_id>")
@requires(*READERS)
@blueprint.response(200, schemas.CampaignSchema)
@documented(blueprint, 404)
def get_campaign(campaign_id: str) -> dict[str, Any]:
    """One festival campaign"""
    return _campaign(allowances().campaigns.require(campaign_id))
