"""Use cases: configure the district's communities and card categories."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from services.intake.domain.district import (
    CardCategory,
    Community,
    District,
    check_communities,
)
from services.intake.service_layer.container import Intake
from shared.errors import RuleViolation


def community_code(intake: Intake, written: str) -> str:
    """The code of the community a clerk names by its code or its name (金东社区, 金东)."""
    return intake.district.get().resolve_community(written).code


def configure_communities(intake: Intake, communities: list[Community]) -> District:
    """Replace the list; a community sent without its former names keeps those it has."""
    check_communities(communities)
    held = {c.code: c.former_names for c in intake.district.get().communities}
    kept = [
        c if c.former_names else replace(c, former_names=held.get(c.code, ())) for c in communities
    ]
    return intake.district.set_communities(kept)


def configure_card_categories(intake: Intake, categories: list[CardCategory]) -> District:
    codes = [c.code for c in categories]
    if len(set(codes)) != len(codes) or not categories:
        raise RuleViolation("card categories need distinct codes, and at least one")
    return intake.district.set_card_categories(categories)


def load_district_file(intake: Intake, path: Path) -> District:
    """Communities from a JSON file ({"communities": [...], "card_categories": [...]}) or a
    CSV file with the columns code, name and kind."""
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows: list[dict[str, Any]] = list(csv.DictReader(handle))
        return configure_communities(intake, [_community(row) for row in rows])
    content = json.loads(path.read_text(encoding="utf-8"))
    district = configure_communities(intake, [_community(c) for c in content["communities"]])
    if "card_categories" in content:
        categories = [
            CardCategory(str(c["code"]), c["name"], int(c["min_age"]))
            for c in content["card_categories"]
        ]
        district = configure_card_categories(intake, categories)
    return district


def _community(row: dict[str, Any]) -> Community:
    return Community(
        str(row["code"]).strip(), row["name"].strip(), (row.get("kind") or "community").strip()
    )
