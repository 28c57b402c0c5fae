"""Read-side use cases: search the register, list key targets, compute statistics."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from services.intake.domain.age_bands import birth_date_range, latest_birth_date
from services.intake.domain.elder import Elder
from services.intake.domain.statistics import district_statistics
from shared.clock import local_today

if TYPE_CHECKING:
    from services.intake.bootstrap import Intake

UPGRADE_DUE = "upgrade_due"
STATISTICS_FIELDS = ["community", "birth_date", "circumstances", "key_target_reasons", "card"]


def search_query(intake: Intake, filters: dict[str, Any]) -> dict[str, Any]:
    """A store query from the list filters; unknown filters are the schema's job to refuse."""
    query: dict[str, Any] = {}
    for name in ("community", "status"):
        if name in filters:
            query[name] = filters[name]
    if "household_type" in filters:
        query["circumstances.household_type"] = filters["household_type"]
    for flag in ("low_income", "disabled", "home_care"):
        if flag in filters:
            query[f"circumstances.{flag}"] = filters[flag]
    if "age_band" in filters:
        lower, upper = birth_date_range(
            filters["age_band"], local_today(intake.clock, intake.settings.zone)
        )
        born: dict[str, str] = {"$lte": upper.isoformat()}
        if lower:
            born["$gt"] = lower.isoformat()
        query["birth_date"] = born
    if "key_target" in filters:
        query["key_target_reasons.0"] = {"$exists": filters["key_target"]}
    if "key_target_reason" in filters:
        query["key_target_reasons"] = filters["key_target_reason"]
    if filters.get("card") == UPGRADE_DUE:
        query.update(card_upgrade_query(intake))
        query.setdefault("status", "active")
    elif "card" in filters:
        card = filters["card"]
        query.update(
            {"card": {"$ne": None}}
            if card == "any"
            else {"card": None}
            if card == "none"
            else {"card.category": card}
        )
    if "name" in filters:
        query["name"] = filters["name"]
    if "identity_correction" in filters:
        query["identity_corrections.status"] = filters["identity_correction"]
    return query


def card_upgrade_query(intake: Intake) -> dict[str, Any]:
    """Holders of a card whose age now allows a higher category."""
    today = local_today(intake.clock, intake.settings.zone)
    due = [
        {"card.category": held, "birth_date": {"$lte": latest_birth_date(today, age).isoformat()}}
        for held, age in intake.district.get().card_upgrade_ages().items()
    ]
    return {"$or": due} if due else {"card.category": {"$in": []}}


def search(
    intake: Intake, filters: dict[str, Any], skip: int, limit: int
) -> tuple[list[Elder], int]:
    return intake.elders.search(search_query(intake, filters), skip, limit)


def statistics(intake: Intake, community: str | None = None) -> dict[str, Any]:
    query: dict[str, Any] = {"status": "active"}
    if community:
        intake.district.get().community(community)
        query["community"] = community
    today = local_today(intake.clock, intake.settings.zone)
    return district_statistics(intake.elders.scan(query, STATISTICS_FIELDS), today)
