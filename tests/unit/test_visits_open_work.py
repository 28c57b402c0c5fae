"""Open work answered from what is kept of it (`service_layer.open_work`), on stores in
memory: the same page and total as the obligations' own query, read again only after a
write."""

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from memory_visits import memory_visits
from test_visits_use_cases import NOW, handle, incident, register

from services.visits.service_layer import obligations, queries
from services.visits.service_layer.container import Visits
from services.visits.service_layer.elders import elders_with_contacts

TRIGGERS = ["hospitalised", "family_accident", "neighbour_dispute", "moving_house"]
SORT = [("due_at", 1), ("_id", 1)]


class CountedReads:
    """The obligations' store, counting how often it is asked for open work."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.reads = 0

    def each(self, query: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        self.reads += query.get("status") == "open"
        return self.store.each(query, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


@pytest.fixture
def visits() -> Visits:
    """Eight elders of c01 and two of c02, each with a must-visit open, due at four times."""
    visits = memory_visits(NOW)
    for n in range(10):
        register(visits, f"e-{n}", community="c01" if n < 8 else "c02")
        handle(visits, incident(visits, f"i-{n}", f"e-{n}", TRIGGERS[n % 4]))
    obligations.reassign(visits, "incident:i-1", "wang")
    obligations.reassign(visits, "incident:i-5", "wang")
    return visits


def ids(found: list[Any]) -> list[str]:
    return [o.obligation_id for o in found]


@pytest.mark.parametrize(
    "args",
    [
        {"community": "c01", "status": "open"},
        {"assignee": "wang", "status": "open"},
        {"status": "open"},
        {"community": "c01", "overdue": True},
        {"community": "c01", "status": "open", "due_before": NOW + timedelta(hours=100)},
        {"community": "c01", "status": "open", "due_by": NOW + timedelta(hours=70)},
    ],
)
@pytest.mark.parametrize(("skip", "limit"), [(0, 3), (3, 3), (0, 100)])
def test_a_page_of_open_work_is_the_page_and_total_the_store_query_gives(visits, args, skip, limit):
    query: dict[str, Any] = {k: v for k, v in args.items() if k in ("community", "assignee")}
    query["status"] = "open"
    if "due_before" in args:
        query["due_at"] = {"$lt": args["due_before"]}
    if "due_by" in args:
        query["due_at"] = {"$lte": args["due_by"]}
    if args.get("overdue"):
        query["due_at"] = {"$lt": NOW}
    found, total = queries.obligations(visits, args, skip, limit)
    expected, expected_total = visits.obligations.find(query, SORT, skip, limit)
    assert (ids(found), total) == (ids(expected), expected_total)


def test_open_work_is_read_once_until_an_obligation_is_written(visits):
    counted = CountedReads(visits.obligations)
    visits = replace(visits, obligations=counted)
    asked = {"community": "c01", "status": "open"}
    assert queries.obligations(visits, asked, 0, 3)[1] == 8
    assert queries.obligations(visits, asked, 3, 3)[1] == 8
    assert sum(load.open for load in queries.caseloads(visits, "assignee", "c01")) == 8
    assert counted.reads == 1  # the list's pages and the caseloads share the community's work
    obligations.cancel(visits, "incident:i-0", "moved away")
    found, total = queries.obligations(visits, asked, 0, 100)
    assert total == 7 and "incident:i-0" not in ids(found)
    assert counted.reads == 2
    register(visits, "e-20", community="c01")
    handle(visits, incident(visits, "i-20", "e-20", "hardship"))
    assert queries.obligations(visits, asked, 0, 100)[1] == 8
    assert counted.reads == 3


def test_a_filter_other_than_scope_and_due_time_asks_the_store(visits):
    counted = CountedReads(visits.obligations)
    visits = replace(visits, obligations=counted)
    found, total = queries.obligations(
        visits, {"community": "c01", "status": "open", "trigger": "moving_house"}, 0, 100
    )
    assert total == 2 and {o.trigger for o in found} == {"moving_house"}
    found, total = queries.obligations(visits, {"community": "c01"}, 0, 100)
    assert total == 8  # open and done: not what is kept
    assert counted.reads == 0


def test_the_elders_of_a_worklist_are_kept_until_an_event_about_one(visits):
    ids = ["e-0", "e-1"]
    first = elders_with_contacts(visits, ids)
    assert sorted(elder["elder_id"] for elder in first) == ids
    assert elders_with_contacts(visits, ["e-1", "e-0", "e-1"]) is first  # the same elders
    assert register(visits, "e-1", version=2, name="李四")  # intake's next event about one
    again = {elder["elder_id"]: elder["name"] for elder in elders_with_contacts(visits, ids)}
    assert again["e-1"] == "李四"
