"""Use cases: the district configures its programmes and festival campaigns."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from services.allowances.domain.programmes import FestivalCampaign, Programmes
from services.allowances.service_layer.container import Allowances
from shared.errors import Conflict


def configure(allowances: Allowances, version: int, **changes: Any) -> Programmes:
    """Change parts of the configuration (e.g. high_age=HighAgeProgramme(...)); a cycle
    already opened keeps the configuration it was opened with."""
    current = allowances.programmes.get()
    if current.version != version:
        raise Conflict(
            f"the configuration is at version {current.version}, not {version}; reload it",
            current_version=current.version,
        )
    changed = replace(current, **changes, version=version + 1)
    allowances.programmes.save(current, changed, "programmes.configured")
    return changed


def add_campaign(allowances: Allowances, campaign: FestivalCampaign) -> FestivalCampaign:
    if not allowances.campaigns.add(campaign):
        raise Conflict(f"a campaign with id {campaign.campaign_id!r} exists already")
    return campaign
