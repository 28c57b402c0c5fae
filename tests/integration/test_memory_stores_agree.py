"""The in-memory stores that unit tests of the service layer use answer as the MongoDB ones do:
the same writes, compare-and-set, history and events, and the same records for each kind of
query the services build. Each case runs on both, against the real store."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

import pytest

from shared.clock import FixedClock
from shared.configuration import Configuration
from shared.errors import Conflict
from shared.memory_stores import MemoryConfiguration, MemoryProjection, MemoryRecords
from shared.mongo import connect
from shared.projection import Projection
from shared.records import Records

NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)
CLOCK = FixedClock(NOW)


@dataclass(frozen=True)
class Check:
    on: date
    by: str


@dataclass(frozen=True)
class Task:
    task_id: str
    elder_id: str
    community: str
    status: str
    due_at: datetime
    due_on: date
    tags: tuple[str, ...] = ()
    assignee: str | None = None
    checked: Check | None = None
    version: int = 1


@dataclass(frozen=True)
class Person:
    elder_id: str
    name: str
    community: str
    version: int = 1


TASKS = [
    Task("t1", "e1", "xinhua", "open", NOW - timedelta(hours=1), date(2026, 11, 1), ("a",), "wang"),
    Task("t2", "e1", "xinhua", "met", NOW + timedelta(hours=1), date(2026, 12, 1), ("a", "b")),
    Task("t3", "e2", "dongfeng", "open", NOW + timedelta(hours=5), date(2026, 10, 9), (), "li"),
    Task("t4", "e3", "xinhua", "cancelled", NOW - timedelta(days=2), date(2027, 1, 1), ("b",)),
    Task("t5", "e3", "dongfeng", "open", NOW, date(2026, 11, 29)),
    Task(
        "t6",
        "e4",
        "xinhua",
        "open",
        NOW + timedelta(hours=2),
        date(2026, 11, 2),
        checked=Check(date(2026, 11, 3), "wang"),
    ),
    Task(
        "t7",
        "e5",
        "xinhua",
        "open",
        NOW + timedelta(hours=3),
        date(2026, 11, 2),
        checked=Check(date(2026, 10, 3), "li"),
    ),
]
NOT_CHECKED_SINCE = [{"checked": None}, {"checked.on": {"$lt": "2026-11-01"}}]
QUERIES = [
    {},
    {"status": "open"},
    {"community": "xinhua", "status": {"$in": ["open", "met"]}},
    {"status": {"$nin": ["met", "cancelled"]}, "due_at": {"$lt": NOW}},
    {"due_at": {"$gte": NOW}},
    {"due_on": {"$gte": "2026-11-01", "$lte": "2026-11-30"}},
    {"tags": "b"},
    {"tags": {"$in": ["a"]}},
    {"assignee": None},
    {"assignee": {"$ne": None}},
    {"assignee": {"$exists": True}},
    {"$or": [{"community": "dongfeng"}, {"assignee": "wang"}]},
    {"elder_id": {"$in": ["e1", "e3"]}, "status": {"$ne": "met"}},
    {"status": "open", "due_at": {"$lt": NOW}, "community": "nowhere"},
    {"community": "xinhua", "$and": [{"$or": NOT_CHECKED_SINCE}]},
    {"checked.by": "wang"},
    {"community": {"$regex": "hua"}},
    {"assignee": {"$regex": "an"}, "status": "open"},
]
SORTS = [
    [("_id", 1)],
    [("due_at", 1)],
    [("community", 1), ("due_at", -1)],
    [("assignee", 1), ("_id", -1)],
]


@pytest.fixture(params=["mongodb", "memory"])
def tasks(request, settings):
    clock = FixedClock(NOW)
    if request.param == "memory":
        yield MemoryRecords("tasks", Task, "task", clock)
        return
    db = connect(settings)
    yield Records(db, "tasks", Task, "task", clock)
    db.client.drop_database(db.name)


@dataclass(frozen=True)
class Rules:
    due_day: int = 25
    version: int = 0


@pytest.fixture(params=["mongodb", "memory"])
def rules(request, settings):
    clock = FixedClock(NOW)
    if request.param == "memory":
        yield MemoryConfiguration(Rules, "rules", clock)
        return
    db = connect(settings)
    yield Configuration(db, clock, "rules", Rules, "rules")
    db.client.drop_database(db.name)


@pytest.fixture(params=["mongodb", "memory"])
def people(request, settings):
    if request.param == "memory":
        yield MemoryProjection(Person)
        return
    db = connect(settings)
    yield Projection(db, "people", Person)
    db.client.drop_database(db.name)


def test_each_query_and_sort_finds_the_same_records_in_both(settings):
    db = connect(settings)
    stores = [
        MemoryRecords("tasks", Task, "task", CLOCK),
        Records(db, "tasks", Task, "task", CLOCK),
    ]
    for store in stores:
        for task in TASKS:
            assert store.add(task) is True
    try:
        memory, mongodb = (
            [[t.task_id for t in store.each(query, sort)] for query in QUERIES for sort in SORTS]
            for store in stores
        )
    finally:
        db.client.drop_database(db.name)
    assert memory == mongodb
    assert sum(1 for found in mongodb if found) > len(mongodb) // 2  # most queries find some


def test_a_page_and_its_total_are_the_same(tasks):
    for task in TASKS:
        tasks.add(task)
    page, total = tasks.find({"status": {"$ne": "met"}}, [("due_at", -1)], 1, 2)
    assert ([t.task_id for t in page], total) == (["t7", "t6"], 6)


def test_a_record_is_created_once_and_changed_only_from_its_current_version(tasks):
    first = TASKS[0]
    assert tasks.add(first) is True
    assert tasks.add(replace(first, community="elsewhere")) is False
    met = replace(first, status="met", version=2)
    assert tasks.save(first, met, change="task.met") is True
    assert tasks.save(first, replace(first, status="cancelled", version=2)) is False
    assert tasks.require("t1") == met
    lines = tasks.history("t1")
    assert [line["change"] for line in lines] == ["tasks.created", "task.met"]
    assert lines[1]["after"] == {"status": "met"} and lines[1]["version"] == 2
    assert tasks.get("t-none") is None


def test_records_as_they_stood_and_those_a_change_touched_are_the_same(tasks):
    """`as_of` undoes the history written after a moment; `changed_by` counts a change's
    records however they are stored."""
    for task in TASKS[:3]:
        tasks.add(task)
    tasks.clock.move_to(NOW + timedelta(hours=2))
    tasks.save(TASKS[0], replace(TASKS[0], community="dongfeng", version=2), change="moved")
    tasks.save(TASKS[2], replace(TASKS[2], community="xinhua", version=2), change="moved")
    tasks.clock.move_to(NOW + timedelta(hours=4))
    tasks.add(replace(TASKS[3], task_id="t9"))
    then = {t.task_id: t.community for t in tasks.as_of({}, NOW + timedelta(hours=1))}
    assert then == {"t1": "xinhua", "t2": "xinhua", "t3": "dongfeng"}
    moved = [t.task_id for t in tasks.as_of({"community": "xinhua"}, NOW + timedelta(hours=3))]
    assert moved == ["t2", "t3"]
    assert tasks.require("t1").community == "dongfeng"  # the record itself is as it is
    assert (tasks.changed_by("moved"), tasks.changed_by("nothing")) == (2, 0)


def test_a_projection_keeps_the_newest_version(people):
    assert people.apply("e1", 2, "ev-2", {"name": "王", "community": "xinhua"}) is True
    assert people.apply("e1", 1, "ev-1", {"name": "旧", "community": "old"}) is False
    assert people.apply("e1", 2, "ev-2", {"name": "王", "community": "xinhua"}) is False
    assert people.apply("e1", 3, "ev-3", {"community": "dongfeng"}) is True
    assert people.get("e1") == Person("e1", "王", "dongfeng", 3)
    people.apply("e2", 1, "ev-4", {"name": "李", "community": "dongfeng"})
    found, total = people.list({"community": "dongfeng"}, 0, 10)
    assert ([p.elder_id for p in found], total) == (["e1", "e2"], 2)


def test_events_inserted_ahead_are_applied_once_and_those_held_as_before(people):
    """A batch's first events inserted ahead: each is then applied (once), one whose document
    was held already is applied by version as without, and a later batch forgets the rest."""
    people.apply("held", 1, "ev-0", {"name": "旧", "community": "xinhua"})
    people.insert_ahead(
        [
            ("e1", 1, "ev-1", {"name": "王", "community": "xinhua"}),
            ("held", 2, "ev-2", {"name": "新", "community": "xinhua"}),
            ("e3", 1, "ev-3", {"name": "李", "community": "dongfeng"}),
        ]
    )
    assert people.get("e1") == Person("e1", "王", "xinhua", 1), "stored at once"
    assert people.get("held") == Person("held", "旧", "xinhua", 1), "held: left alone"
    assert people.apply("e1", 1, "ev-1", {"name": "王", "community": "xinhua"}) is True
    assert people.apply("e1", 1, "ev-1", {"name": "王", "community": "xinhua"}) is False
    assert people.apply("held", 2, "ev-2", {"name": "新", "community": "xinhua"}) is True
    assert people.get("held") == Person("held", "新", "xinhua", 2)
    people.insert_ahead([])  # the next batch: e3's event, left unapplied, is as any other
    assert people.apply("e3", 1, "ev-3", {"name": "李", "community": "dongfeng"}) is False


def test_a_configuration_changes_only_from_the_version_it_was_read_at(rules):
    first = rules.get()
    assert first == Rules()  # the defaults before anyone changed it
    rules.save(first, Rules(20, 1), "day set")
    with pytest.raises(Conflict) as stale:  # a second administrator read the defaults too
        rules.save(first, Rules(28, 1), "day set")
    assert stale.value.context["current_version"] == 1
    rules.save(Rules(20, 1), Rules(15, 2), "day set again")
    assert rules.get() == Rules(15, 2)
    assert [line["change"] for line in rules.history()] == ["day set again", "day set"]


def test_a_configuration_stored_before_it_had_a_version_is_changed_once(settings):
    db = connect(settings)
    db["district"].insert_one({"_id": "district", "due_day": 10})  # as an older release left it
    rules = Configuration(db, FixedClock(NOW), "district", Rules, "rules", "district")
    found = rules.get()
    assert found == Rules(10, 0)
    rules.save(found, Rules(12, 1), "day set")
    with pytest.raises(Conflict):
        rules.save(found, Rules(14, 1), "day set")
    assert rules.get() == Rules(12, 1)
    db.client.drop_database(db.name)
