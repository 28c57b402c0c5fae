"""Use cases of festival campaigns: plan one, launch it (one obligation per elder of its
target group; launching again adds only elders who joined the group since), and follow it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from services.visits.domain import campaigns as rules
from services.visits.domain.campaigns import FestivalCampaign
from services.visits.service_layer.container import Visits
from services.visits.service_layer.obligations import assignee_for, open_obligation
from shared.clock import local_today


@dataclass(frozen=True)
class Launch:
    campaign: FestivalCampaign
    created: int  # obligations opened by this launch
    existing: int  # elders of the group who already had theirs


def plan(visits: Visits, campaign_id: str, by: str, **facts: Any) -> FestivalCampaign:
    campaign = rules.plan(
        campaign_id,
        created_by=by,
        now=visits.clock.now(),
        today=local_today(visits.clock, visits.settings.zone),
        **facts,
    )
    visits.campaigns.add(campaign, change="campaign.planned")
    return campaign


def launch(visits: Visits, campaign_id: str) -> Launch:
    campaign = visits.campaigns.require(campaign_id)
    today, now = local_today(visits.clock, visits.settings.zone), visits.clock.now()
    rules.check_launchable(campaign, today)
    config = visits.config.get()
    query: dict[str, Any] = {"status": "active"}
    if campaign.target.communities:
        query["community"] = {"$in": list(campaign.target.communities)}
    created = existing = 0
    for elder in visits.elders.each(query):
        if not campaign.target.matches(elder, today):
            continue
        assignee = assignee_for(visits, config, elder)
        obligation = rules.festival_visit(campaign, elder, visits.settings.zone, assignee, now)
        if open_obligation(visits, obligation, elder):
            created += 1
        else:
            existing += 1
    if campaign.launched_at is None:
        launched = replace(campaign, launched_at=now, version=campaign.version + 1)
        if visits.campaigns.save(campaign, launched, change="campaign.launched"):
            campaign = launched
    return Launch(campaign, created, existing)


def progress(visits: Visits, campaign_id: str) -> dict[str, Any]:
    campaign = visits.campaigns.require(campaign_id)
    source = {"source": f"campaign:{campaign_id}"}
    counts = visits.reports.count_by_status(source)
    overdue = visits.reports.overdue(source, visits.clock.now())
    return {
        "campaign": campaign,
        "targeted": sum(counts.values()),
        "open": counts.get("open", 0),
        "met": counts.get("met", 0),
        "cancelled": counts.get("cancelled", 0),
        "overdue": overdue,
    }
