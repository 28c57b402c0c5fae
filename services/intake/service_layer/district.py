"""Use cases: configure the district's communities, card categories and service contacts."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from services.intake.domain.district import (
    CardCategory,
    Community,
    District,
    changed,
    check_communities,
)
from services.intake.service_layer.container import Intake
from shared.errors import Conflict, RuleViolation
from shared.events import announce
from shared.service_contacts import DISTRICT, ServiceContacts, in_force, set_contacts


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
    return _changed(intake, "district.communities_set", communities=tuple(kept))


def configure_card_categories(intake: Intake, categories: list[CardCategory]) -> District:
    codes = [c.code for c in categories]
    if len(set(codes)) != len(codes) or not categories:
        raise RuleViolation("card categories need distinct codes, and at least one")
    return _changed(intake, "district.card_categories_set", card_categories=tuple(categories))


def _changed(intake: Intake, change: str, **fields: Any) -> District:
    """The configuration with these fields replaced: a Conflict if another change came
    between the read and the write, for the administrator to send again."""
    before = intake.district.get()
    after = changed(before, **fields)
    intake.district.save(before, after, change)
    return after


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


def set_service_contacts(
    intake: Intake, version: int, hotline: str, service_guide: str
) -> ServiceContacts:
    """Set the hotline and service guide every form prints, and announce them to the services
    that print (`district.contacts_changed`); `version` is the one the administrator saw (0:
    never set, the deployment's defaults)."""
    before = in_force(intake)
    if before.version != version:
        raise _changed_meanwhile(before.version)
    after = set_contacts(before, hotline, service_guide)
    data = {name: value for name, value in asdict(after).items() if name != "contacts_id"}
    event = announce(intake, "district.contacts_changed", DISTRICT, data)
    change = "service contacts set"
    if before.version == 0:
        stored = intake.service_contacts.add(after, event, change=change)
    else:
        stored = intake.service_contacts.save(before, after, event, change=change)
    if not stored:  # another administrator's change came between the read and the write
        raise _changed_meanwhile(in_force(intake).version)
    return after


def _changed_meanwhile(now: int) -> Conflict:
    return Conflict(
        f"the service contacts changed meanwhile (now version {now}); reload them",
        current_version=now,
    )
