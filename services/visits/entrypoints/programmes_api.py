"""Pairings (结对帮扶) and festival campaigns over HTTP."""

import uuid
from dataclasses import replace
from typing import Any

from services.visits.domain.campaigns import Campaign, Target
from services.visits.domain.pairings import Pairing
from services.visits.entrypoints.api import (
    HEADS,
    READERS,
    elder_for,
    me,
    page,
    paged,
    scoped,
    visible,
)
from services.visits.entrypoints.api import visits_app as app
from services.visits.entrypoints.schemas import (
    CampaignInSchema,
    CampaignProgressSchema,
    CampaignSchema,
    LaunchSchema,
    PageArgs,
    PairingInSchema,
    PairingListArgs,
    PairingSchema,
    ReasonSchema,
)
from services.visits.service_layer import campaigns, pairings, queries
from shared.documents import plain
from shared.personal import redacted
from shared.web.auth import community_scope, forbidden, require_community, requires
from shared.web.blueprint import Blueprint
from shared.web.pagination import page_schema

pairings_blueprint = Blueprint(
    "pairings",
    __name__,
    url_prefix="/pairings",
    description="Volunteers and cadres paired with elders, and how often they visit",
)
campaigns_blueprint = Blueprint(
    "campaigns",
    __name__,
    url_prefix="/campaigns",
    description="Campaigns: a visit to every elder of a target group, with a festival's gift "
    "or to check the register's facts at the door",
)


@pairings_blueprint.route("", methods=["POST"])
@requires(*HEADS)
@pairings_blueprint.arguments(PairingInSchema)
@pairings_blueprint.response(201, PairingSchema)
@pairings_blueprint.alt_response(404, description="Unknown elder")
@pairings_blueprint.alt_response(409, description="This partner is already paired with them")
def start_pairing(body: dict[str, Any]) -> Pairing:
    """Pair a volunteer, cadre, property staff, building group leader (楼道长) or neighbour
    with an elder; their visits are generated every month. Volunteers and cadres are named
    by partner_id; a partner with no id is named, with a phone to reach them"""
    elder_for(body["elder_id"])
    return pairings.start(app(), str(uuid.uuid4()), **body)


@pairings_blueprint.route("")
@requires(*READERS)
@pairings_blueprint.arguments(PairingListArgs, location="query")
@pairings_blueprint.response(200, page_schema(PairingSchema))
def list_pairings(args: dict[str, Any]) -> dict[str, Any]:
    """Pairings, by elder, partner, community or status"""
    found, total = queries.pairings(app(), scoped(args), *paged(args))
    return page(args, redacted([plain(p) for p in found]), total)


@pairings_blueprint.route("/<pairing_id>")
@requires(*READERS)
@pairings_blueprint.response(200, PairingSchema)
@pairings_blueprint.alt_response(404, description="No such pairing")
def pairing_by_id(pairing_id: str) -> Pairing:
    """One pairing"""
    return visible(app().pairings.require(pairing_id))


@pairings_blueprint.route("/<pairing_id>/end", methods=["POST"])
@requires(*HEADS)
@pairings_blueprint.arguments(ReasonSchema)
@pairings_blueprint.response(200, PairingSchema)
@pairings_blueprint.alt_response(409, description="Already ended")
def end_pairing(body: dict[str, Any], pairing_id: str) -> Pairing:
    """End a pairing, saying why; its visits stop from the next month"""
    visible(app().pairings.require(pairing_id))
    return pairings.end(app(), pairing_id, body["reason"])


@campaigns_blueprint.route("", methods=["POST"])
@requires(*HEADS)
@campaigns_blueprint.arguments(CampaignInSchema)
@campaigns_blueprint.response(201, CampaignSchema)
@campaigns_blueprint.alt_response(403, description="A community beyond yours")
def plan_campaign(body: dict[str, Any]) -> Campaign:
    """Plan a campaign: what for (a festival's gift, or a door-to-door check of each elder's
    facts), its target group, the day visits are due by.

    A user bound to a community plans for that community alone: naming no community
    targets theirs, naming another is refused"""
    body["target"] = within_your_community(body["target"])
    return campaigns.plan(app(), str(uuid.uuid4()), me(), **body)


@campaigns_blueprint.route("")
@requires(*READERS)
@campaigns_blueprint.arguments(PageArgs, location="query")
@campaigns_blueprint.response(200, page_schema(CampaignSchema))
def list_campaigns(args: dict[str, Any]) -> dict[str, Any]:
    """Campaigns, the latest due first"""
    found, total = app().campaigns.find({}, [("due_on", -1), ("_id", 1)], *paged(args))
    return page(args, found, total)


@campaigns_blueprint.route("/<campaign_id>")
@requires(*READERS)
@campaigns_blueprint.response(200, CampaignProgressSchema)
@campaigns_blueprint.alt_response(404, description="No such campaign")
def campaign_progress(campaign_id: str) -> dict[str, Any]:
    """A campaign and its progress: elders targeted, visited (gift given), open, overdue"""
    return campaigns.progress(app(), campaign_id)


@campaigns_blueprint.route("/<campaign_id>/launch", methods=["POST"])
@requires(*HEADS)
@campaigns_blueprint.response(200, LaunchSchema)
@campaigns_blueprint.alt_response(403, description="It reaches beyond your community")
@campaigns_blueprint.alt_response(422, description="Its due day has passed")
def launch_campaign(campaign_id: str) -> campaigns.Launch:
    """Open a visit obligation for every elder of the target group.

    Launching again adds only elders who joined the group since. A user bound to a
    community launches only a campaign targeting that community alone."""
    require_launchable(app().campaigns.require(campaign_id))
    return campaigns.launch(app(), campaign_id)


def within_your_community(target: Target) -> Target:
    """The target a community-bound caller may plan: their community, and no other."""
    scope = community_scope()
    if scope is None:
        return target
    for community in target.communities:
        require_community(community)
    return replace(target, communities=(scope,))


def require_launchable(campaign: Campaign) -> None:
    """A community-bound caller launches only what reaches their community alone."""
    scope = community_scope()
    if scope is not None and campaign.target.communities != (scope,):
        forbidden(f"This campaign reaches beyond community {scope}: a district user launches it.")
