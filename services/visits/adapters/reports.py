"""Read-side questions over visits' collections: caseloads, campaign progress, service counts."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from pymongo.collection import Collection

from services.visits.domain.services_delivered import Count


def open_work(
    obligations: Collection, key: str, query: dict[str, Any]
) -> Iterator[tuple[str | None, datetime]]:
    """(community or assignee, due_at) of every open obligation matching `query`."""
    found = obligations.find({**query, "status": "open"}, {key: 1, "due_at": 1})
    return ((document.get(key), document["due_at"]) for document in found)


def count_by_status(obligations: Collection, query: dict[str, Any]) -> dict[str, int]:
    rows = obligations.aggregate(
        [{"$match": query}, {"$group": {"_id": "$status", "n": {"$sum": 1}}}]
    )
    return {row["_id"]: row["n"] for row in rows}


def service_counts(
    services: Collection, first_month: str, last_month: str, community: str | None
) -> list[Count]:
    """Instances delivered per community, service type and month within the months given."""
    match: dict[str, Any] = {"month": {"$gte": first_month, "$lte": last_month}}
    if community is not None:
        match["community"] = community
    rows = services.aggregate(
        [
            {"$match": match},
            {
                "$group": {
                    "_id": {"community": "$community", "type": "$service_type", "month": "$month"},
                    "instances": {"$sum": "$instances"},
                }
            },
        ]
    )
    return [
        Count(row["_id"]["community"], row["_id"]["type"], row["_id"]["month"], row["instances"])
        for row in rows
    ]
