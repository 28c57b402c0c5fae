"""Intake's HTTP doors for the priority service card (老年人优先服务卡): issue, reissue,
cancel, and the card to print."""

from typing import Any

from services.intake.entrypoints import schemas
from services.intake.entrypoints.api import CLERK, intake, scoped_elder, view
from services.intake.service_layer import priority_cards
from shared.errors import RuleViolation
from shared.printing import printed
from shared.service_contacts import in_force
from shared.web.auth import actor, requires
from shared.web.blueprint import Blueprint
from shared.web.files import PDF, also_as_file, attachment
from shared.web.problems import documented

blueprint = Blueprint(
    "priority_cards",
    __name__,
    url_prefix="/elders",
    description="The priority service card (老年人优先服务卡), one of the community's five ones",
)
PRINTERS = (CLERK, "community_head", "visitor")  # who hand the card over in the community
SEXES = {"female": "女", "male": "男"}


@blueprint.route("/<elder_id>/priority-card", methods=["POST"])
@requires(CLERK)
@blueprint.arguments(schemas.Versioned)
@blueprint.response(200, schemas.ElderSchema)
@documented(blueprint, 404, 409, 422)
def issue(body: dict[str, Any], elder_id: str) -> dict[str, Any]:
    """Issue a priority service card (老年人优先服务卡) to an elder in the register

    The card is numbered `<district>-P-<sequence>`; an elder holds one at a time (409 if one
    is held: reissue it instead). `GET /elders/{id}/priority-card` prints it.
    """
    scoped_elder(elder_id)
    return view(priority_cards.issue(intake(), elder_id, body["version"], actor()))


@blueprint.route("/<elder_id>/priority-card/reissue", methods=["POST"])
@requires(CLERK)
@blueprint.arguments(schemas.ReissueSchema)
@blueprint.response(200, schemas.ElderSchema)
@documented(blueprint, 404, 409, 422)
def reissue(body: dict[str, Any], elder_id: str) -> dict[str, Any]:
    """Cancel the priority service card held (e.g. lost) and issue one with a new number"""
    scoped_elder(elder_id)
    return view(
        priority_cards.reissue(intake(), elder_id, body["version"], actor(), body["reason"])
    )


@blueprint.route("/<elder_id>/priority-card/cancellation", methods=["POST"])
@requires(CLERK)
@blueprint.arguments(schemas.PriorityCardCancellationSchema)
@blueprint.response(200, schemas.ElderSchema)
@documented(blueprint, 404, 409, 422)
def cancel(body: dict[str, Any], elder_id: str) -> dict[str, Any]:
    """Cancel the priority service card held (handed back); a death cancels it by itself"""
    scoped_elder(elder_id)
    return view(priority_cards.cancel(intake(), elder_id, body["version"], actor(), body["reason"]))


@blueprint.route("/<elder_id>/priority-card")
@requires(*PRINTERS)
@blueprint.response(200, description="The card to print, front and back (PDF)")
@also_as_file(blueprint, PDF)
@documented(blueprint, 404, 422)
def card_to_print(elder_id: str) -> Any:
    """The priority service card to print: the card's size, the elder's name, community and
    card number on its face, the district's service hotline and service guide on its back"""
    elder = scoped_elder(elder_id)
    if elder.priority_card is None or elder.status != "active":
        raise RuleViolation("the elder holds no priority service card; issue one first")
    community = intake().district.get().community(elder.community)
    content = printed(
        "services.intake",
        "cards/priority_card.html",
        in_force(intake()),
        elder=elder,
        card=elder.priority_card,
        sex=SEXES.get(elder.sex, elder.sex),
        community=community.name,
    )
    return attachment(content, "pdf", f"priority-card-{elder.priority_card.number}")
