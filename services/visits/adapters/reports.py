"""Read-side questions over visits' collections that count or group many documents at once:
caseloads, campaign progress, service counts, as aggregations of the store
(`service_layer.container.VisitCounts`; the unit tests' container works them out in memory)."""

from datetime import datetime
from typing import Any

from pymongo.database import Database

from services.visits.domain.services_delivered import Count


class VisitReports:
    def __init__(self, db: Database) -> None:
        self.obligations = db["obligations"]
        self.services = db["services"]

    def overdue(self, query: dict[str, Any], now: datetime) -> int:
        """Open obligations matching `query` whose deadline has passed."""
        late = {**query, "status": "open", "due_at": {"$lt": now}}
        return self.obligations.count_documents(late)

    def service_counts(
        self, first_month: str, last_month: str, community: str | None
    ) -> list[Count]:
        """Instances delivered per community, service type and month within the months given."""
        match: dict[str, Any] = {"month": {"$gte": first_month, "$lte": last_month}}
        if community is not None:
            match["community"] = community
        rows = self.services.aggregate(
            [
                {"$match": match},
                {
                    "$group": {
                        "_id": {
                            "community": "$community",
                            "type": "$service_type",
                            "month": "$month",
                        },
                        "instances": {"$sum": "$instances"},
                    }
                },
            ]
        )
        return [
            Count(
                row["_id"]["community"], row["_id"]["type"], row["_id"]["month"], row["instances"]
            )
            for row in rows
        ]
