"""Use cases of festival campaigns: plan one, launch it (one obligation per elder of its
target group; launching again adds only elders who joined the group since), and follow it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from services.visits.domain import campaigns as rules
from services.visits.domain.campaigns import DOOR_CHECK, Campaign
from services.visits.domain.grid import ACTIVE, Cell, homes_of, responsible_worker
from services.visits.service_layer.container import Visits
from services.visits.service_layer.obligations import assignee_for, open_obligation
from shared.clock import local_today


@dataclass(frozen=True)
class Launch:
    campaign: Campaign
    created: int  # obligations opened by this launch
    existing: int  # elders of the group who already had theirs


def plan(visits: Visits, campaign_id: str, by: str, **facts: Any) -> Campaign:
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
    # a door-to-door check goes building by building: each to the building's worker
    grid = Grid.of(visits, query) if campaign.purpose == DOOR_CHECK else Grid()
    created = existing = 0
    for elder in visits.elders.each(query):
        if not campaign.target.matches(elder, today):
            continue
        assignee = grid.worker_of(elder.elder_id) or assignee_for(visits, config, elder)
        obligation = rules.campaign_visit(campaign, elder, visits.settings.zone, assignee, now)
        if open_obligation(visits, obligation, elder):
            created += 1
        else:
            existing += 1
    if campaign.launched_at is None:
        launched = replace(campaign, launched_at=now, version=campaign.version + 1)
        if visits.campaigns.save(campaign, launched, change="campaign.launched"):
            campaign = launched
    return Launch(campaign, created, existing)


@dataclass
class Grid:
    """The buildings and courtyards of the elders, and their responsible workers."""

    cells: dict[str, Cell] = field(default_factory=dict)
    homes: dict[str, str | None] = field(default_factory=dict)  # elder id -> cell id

    @classmethod
    def of(cls, visits: Visits, query: dict[str, Any]) -> Grid:
        where = {
            "status": ACTIVE,
            **({"community": query["community"]} if "community" in query else {}),
        }
        cells = {c.cell_id: c for c in visits.cells.each(where)}
        return cls(cells, homes_of(visits.homes.each(where)))

    def cell_of(self, elder_id: str) -> Cell | None:
        return self.cells.get(self.homes.get(elder_id) or "")

    def worker_of(self, elder_id: str) -> str | None:
        return responsible_worker(self.cell_of(elder_id), self.cells)


@dataclass
class Tally:
    """A campaign's visits in one community or cell: how many, met, open, cancelled."""

    targeted: int = 0
    met: int = 0
    open: int = 0
    cancelled: int = 0

    def count(self, status: str) -> None:
        self.targeted += 1
        setattr(self, status, getattr(self, status) + 1)


def progress(visits: Visits, campaign_id: str) -> dict[str, Any]:
    """How far the campaign is: in all, by community, and by building or courtyard (a door
    check goes building by building; "" for the homes placed in none)."""
    campaign = visits.campaigns.require(campaign_id)
    source = {"source": f"campaign:{campaign_id}"}
    overdue = visits.reports.overdue(source, visits.clock.now())
    grid = Grid.of(visits, {})
    whole = Tally()
    communities: dict[str, Tally] = {}
    cells: dict[str, Tally] = {}
    for obligation in visits.obligations.each(source):
        whole.count(obligation.status)
        communities.setdefault(obligation.community, Tally()).count(obligation.status)
        cell = grid.cell_of(obligation.elder_id)
        cells.setdefault(cell.cell_id if cell else "", Tally()).count(obligation.status)
    return {
        "campaign": campaign,
        **asdict(whole),
        "overdue": overdue,
        "communities": [{"community": c, **asdict(t)} for c, t in sorted(communities.items())],
        "cells": [
            {
                "cell_id": cell_id or None,
                "name": grid.cells[cell_id].name if cell_id in grid.cells else None,
                **asdict(t),
            }
            for cell_id, t in sorted(cells.items())
        ],
    }
