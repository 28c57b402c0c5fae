"""The development store keeps SQLite's statistics of its indexes (devstack/ferretdb.py), so
that a query is narrowed through the index that selects fewest documents: one visitor's open
work through the assignee's index, not every open obligation through the status index."""

import time
from datetime import UTC, datetime, timedelta

from pymongo import ASCENDING, MongoClient

from devstack.ferretdb import start_ferretdb
from devstack.processes import free_port, stop
from services.visits.bootstrap import OBLIGATIONS
from shared.store_specs import create_indexes

NOW = datetime(2026, 12, 7, tzinfo=UTC)


def plan(collection, query: dict) -> str:
    explained = collection.database.command("explain", {"find": collection.name, "filter": query})
    return "\n".join(explained["queryPlanner"]["Plan"])


def test_a_visitors_open_work_is_read_through_the_assignees_index(tmp_path, monkeypatch):
    monkeypatch.setenv("ELDERCARE_STORE_STATISTICS_SECONDS", "1")
    port = free_port()
    start_ferretdb("store-statistics", tmp_path / "run", tmp_path / "data", port)
    client: MongoClient = MongoClient(port=port, tz_aware=True)
    try:
        create_indexes(client["planner"], [OBLIGATIONS])  # visits' own
        obligations = client["planner"][OBLIGATIONS.name]
        obligations.insert_many(
            {
                "_id": f"o{n:04d}",
                "assignee": "visitor" if n < 40 else f"worker-{n % 30}",
                "status": "done" if n % 5 == 4 else "open",
                "community": f"c{n % 3}",
                "due_at": NOW + timedelta(hours=n % 100),
            }
            for n in range(2000)
        )
        mine = {"assignee": "visitor", "status": "open", "due_at": {"$lt": NOW + timedelta(days=7)}}
        deadline = time.monotonic() + 20
        while "assignee_1_status_1_due_at_1" not in plan(obligations, mine):
            assert time.monotonic() < deadline, plan(obligations, mine)
            time.sleep(0.5)
        found = obligations.find(mine).sort("due_at", ASCENDING)
        assert [d["_id"] for d in found] == [f"o{n:04d}" for n in range(40) if n % 5 != 4]
        assert "status_1_due_at_1" in plan(obligations, {"status": "open"})
    finally:
        client.close()
        stop("store-statistics", tmp_path / "run")
