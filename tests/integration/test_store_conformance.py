"""The exact MongoDB operations the product relies on, run against the store CI uses.

A server that gets one wrong fails here by name. Operations that FerretDB v1 gets wrong
without an error are not used by the product and so are not listed: `$pull` by a condition on
sub-document fields (removes nothing), `$push` with `$slice` (ignored), and `$project` with an
expression such as `{"community": "$_id"}` (stores the literal string), and `$group` with
`$sum` of a field (wrong sums). Projections include or exclude fields only, renaming happens in
Python, and `$group` only counts (`$sum: 1`); amounts are added up in Python.
"""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from bson import ObjectId
from pymongo import ASCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError, WriteError

from shared.mongo import INSERT_CHUNK, apply_versioned, connect, insert_many_once, insert_once
from shared.outbox import OUTBOX

HOLDS_EVENTS = {f"{OUTBOX}.0": {"$exists": True}}


@pytest.fixture
def collection(settings):
    db = connect(settings)
    yield db["conformance"]
    db.client.drop_database(db.name)


def test_insert_and_find_with_filter_sort_skip_limit(collection):
    collection.insert_many(
        [{"_id": f"e{i}", "n": i, "c": "a" if i % 2 else "b"} for i in range(10)]
    )
    found = collection.find({"c": "a"}).sort("n", ASCENDING).skip(1).limit(2)
    assert [d["_id"] for d in found] == ["e3", "e5"]
    assert collection.count_documents({"c": "b"}) == 5


@pytest.mark.parametrize("indexed", [False, True])
def test_equality_on_a_string_matches_the_string_or_an_array_holding_it(collection, indexed):
    """The development store narrows such a query in SQL before matching (a build patch):
    it must still match exactly what MongoDB matches."""
    if indexed:
        collection.create_index([("status", ASCENDING)])
    collection.insert_many(
        [
            {"_id": "string", "status": "open", "c": "x-1"},
            {"_id": "array", "status": ["met", "open"], "c": "x-1"},
            {"_id": "other array", "status": ["met"], "c": "x-1"},
            {"_id": "other string", "status": "opened", "c": "x-1"},
            {"_id": "number", "status": 1, "c": "x-1"},
            {"_id": "document", "status": {"open": "open"}, "c": "x-1"},
            {"_id": "missing", "c": "x-1"},
            {"_id": "other community", "status": "open", "c": "x-2"},
            {"_id": "chinese", "status": "开放", "c": "x-1"},
        ]
    )
    found = sorted(d["_id"] for d in collection.find({"status": "open", "c": "x-1"}))
    assert found == ["array", "string"]
    assert collection.count_documents({"status": "open"}) == 3
    assert [d["_id"] for d in collection.find({"status": "开放"})] == ["chinese"]
    assert collection.count_documents({"status": "1"}) == 0


# strings about the bounds, those JSON escapes (quote, ampersand, angle brackets, backslash,
# control and line separator characters), arrays, and other types
RANGED = [
    "1946-11-30", "1946-11-29", "1946-11-3", "1946-11-30x", "1946-1", "1946-11-30 ", "1946",
    '1946"x', "1946&", "1946<", "1946>", "19\\46", "1946\x01", "1946\u2028", "\u2028", '"',
    "开放", "", "0", "2000", " 1946", "a", "a_b", "a\\b", "a_c", "b",
    ["1946-11-29", "2000"], ["2000"], [], ["a<", "z"], [{"x": "1900"}],
    1946, None, {"x": "1900"}, True,
]  # fmt: skip
BOUNDS = [
    {"$lte": "1946-11-30"},
    {"$lt": "1946-11-30"},
    {"$gte": "1946-11-30"},
    {"$gt": "1946"},
    {"$gte": "1946-11-29", "$lte": "1946-11-30"},
    {"$lte": "b"},
    {"$gte": "a_b"},
    {"$gt": "a", "$lt": "a_c"},
]
ORDER = {
    "$lt": lambda v, q: v < q,
    "$lte": lambda v, q: v <= q,
    "$gt": lambda v, q: v > q,
    "$gte": lambda v, q: v >= q,
}


def within(value, bounds: dict) -> bool:
    """MongoDB's matching, written out: strings compare by code point (as their UTF-8 bytes
    do), dates with dates; an array matches when each bound is met by one of its elements."""

    def meets(v, op, q):
        return type(v) is type(q) and ORDER[op](v, q)

    if isinstance(value, list):
        return all(any(meets(e, op, q) for e in value) for op, q in bounds.items())
    return all(meets(value, op, q) for op, q in bounds.items())


@pytest.mark.parametrize("indexed", [False, True])
def test_a_range_of_strings_matches_what_mongodb_matches(collection, indexed):
    """The development store narrows such a query in SQL by the field's JSON text (a build
    patch, used by the roll's birth-date bound): escaped characters sort differently there,
    and must still be found."""
    if indexed:
        collection.create_index([("born", ASCENDING)])
    collection.insert_many([{"_id": f"d{n}", "born": v} for n, v in enumerate(RANGED)])
    collection.insert_one({"_id": "missing"})
    for bounds in BOUNDS:
        expected = sorted(f"d{n}" for n, v in enumerate(RANGED) if within(v, bounds))
        assert sorted(d["_id"] for d in collection.find({"born": bounds})) == expected, bounds
        assert collection.count_documents({"born": bounds}) == len(expected), bounds


DUE = datetime(2026, 12, 6, 15, 59, 59, 999000, tzinfo=UTC)  # a week's end in Shanghai
MS = timedelta(milliseconds=1)
DATED = [
    DUE, DUE - MS, DUE + MS, DUE - timedelta(days=400), datetime(1950, 1, 1, tzinfo=UTC),
    datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC), datetime(2300, 1, 1, tzinfo=UTC),
    [DUE + MS, DUE - MS], [DUE + MS], [], [{"at": DUE}],
    int(DUE.timestamp() * 1000) - 1, float(DUE.timestamp() * 1000), "2026-12-01", None,
    {"at": DUE - MS}, True,
]  # fmt: skip
DATE_BOUNDS = [
    {"$lt": DUE},
    {"$lte": DUE},
    {"$gt": DUE},
    {"$gte": DUE - MS},
    {"$gte": datetime(1950, 1, 1, tzinfo=UTC), "$lt": datetime(1970, 1, 1, tzinfo=UTC)},
    {"$gt": DUE - MS, "$lt": DUE + MS},
]


@pytest.mark.parametrize("indexed", [False, True])
def test_a_range_of_dates_matches_what_mongodb_matches(collection, indexed):
    """The development store narrows such a query in SQL by the date's milliseconds (a build
    patch, used by work due before the week's end): numbers, strings and arrays must still
    match as MongoDB matches them."""
    if indexed:
        collection.create_index([("c", ASCENDING), ("due_at", ASCENDING)])
    collection.insert_many([{"_id": f"d{n}", "c": "x", "due_at": v} for n, v in enumerate(DATED)])
    collection.insert_one({"_id": "missing", "c": "x"})
    for bounds in DATE_BOUNDS:
        expected = sorted(f"d{n}" for n, v in enumerate(DATED) if within(v, bounds))
        assert sorted(d["_id"] for d in collection.find({"c": "x", "due_at": bounds})) == expected
        assert collection.count_documents({"due_at": bounds}) == len(expected), bounds


def test_an_id_equality_or_in_matches_what_mongodb_matches(collection):
    """Both backends of the development store select these by the `_id` index (build patches):
    ids of every kind, beside other conditions, must match exactly as in MongoDB."""
    oid = ObjectId()
    collection.insert_many(
        [
            {"_id": "e1", "c": "x"},
            {"_id": "e10", "c": "y"},
            {"_id": "长者", "c": "x"},
            {"_id": 'quote"d', "c": "x"},
            {"_id": 7, "c": "x"},
            {"_id": oid, "c": "x"},
            {"_id": {"k": "e1"}, "c": "x"},
        ]
    )

    def ids(query: dict) -> list:
        return sorted(str(d["_id"]) for d in collection.find(query))

    assert ids({"_id": "e1"}) == ["e1"]
    assert ids({"_id": "长者"}) == ["长者"]
    assert ids({"_id": 'quote"d'}) == ['quote"d']
    assert ids({"_id": oid}) == [str(oid)]
    assert ids({"_id": "e1", "c": "y"}) == []
    assert ids({"_id": {"$in": ["e1", "e10", "长者", "nobody"]}}) == ["e1", "e10", "长者"]
    assert ids({"_id": {"$in": ["e1", oid]}, "c": "x"}) == sorted(["e1", str(oid)])
    assert ids({"_id": {"$in": ["e1", 7]}}) == ["7", "e1"]
    assert ids({"_id": {"$in": []}}) == []
    assert ids({"_id": {"k": "e1"}}) == ["{'k': 'e1'}"]


def test_a_field_of_the_sub_documents_of_an_array_matches_any_of_them(collection):
    """The register lists elders with an identity correction of a given status."""
    collection.insert_many(
        [
            {"_id": "pending", "corrections": [{"status": "rejected"}, {"status": "pending"}]},
            {"_id": "decided", "corrections": [{"status": "approved"}]},
            {"_id": "none", "corrections": []},
        ]
    )
    assert [d["_id"] for d in collection.find({"corrections.status": "pending"})] == ["pending"]
    assert collection.count_documents({"corrections.status": "approved"}) == 1


def test_a_document_of_every_kind_of_value_reads_back_as_written(collection):
    """The development store reads its documents with a reader of its own (a build patch):
    every type, nesting and spelling of a string must come back exactly."""
    strings = [
        "",
        "plain",
        "王秀英 住院",
        'a "quoted" \\ back\\slash',
        "line\nbreak\ttab\u0001control",
        "<html> & \u2028 separators \u2029",
        "emoji \U0001f600 and \u00e9",
        '{"cloudevent": {"data": [1, "two", null]}}',
    ]
    document = {
        "_id": "every-kind",
        "strings": strings,
        "int": -2_147_483_648,
        "long": 9_007_199_254_740_993,
        "double": -0.5e-300,
        "whole double": 3.0,
        "true": True,
        "false": False,
        "none": None,
        "date": datetime(1936, 2, 29, 23, 59, 58, 123000, tzinfo=UTC),
        "object id": ObjectId("65f0c0ffee0123456789abcd"),
        "bytes": b"\x00\xffbinary",
        "empty document": {},
        "empty array": [],
        "nested": {"a": [{"b": [{}, {"c": [None, 1, "x"]}]}], "with space key": 1},
        "keys <&>": {"中文": 1, "with space": 2},
        "outbox": [{"id": "e1", "value": '{"specversion": "1.0", "data": {"name": "王"}}'}],
    }
    odd_keys = {"_id": "odd keys", "keys": {'quote"d': 1, "back\\slash": 2, "tab\t": 3}}
    collection.insert_many([document, odd_keys])
    collection.update_one({"_id": "every-kind"}, {"$set": {"updated": "yes"}})
    found = collection.find_one({"_id": "every-kind"})
    assert found == {**document, "updated": "yes"}
    assert collection.find_one({"_id": "odd keys"}) == odd_keys
    # equality alone would take 3 for 3.0 and False for 0
    assert isinstance(found["whole double"], float) and isinstance(found["long"], int)
    assert found["false"] is False


def test_unique_index_refuses_a_second_value(collection):
    collection.create_index([("national_id", ASCENDING)], unique=True)
    collection.insert_one({"_id": "a", "national_id": "x"})
    with pytest.raises(DuplicateKeyError):
        collection.insert_one({"_id": "b", "national_id": "x"})


def test_compound_index_and_sort(collection):
    collection.create_index([("community", ASCENDING), ("name", ASCENDING)])
    collection.insert_many([{"community": "x", "name": n} for n in ("c", "a", "b")])
    names = [d["name"] for d in collection.find({"community": "x"}).sort("name", ASCENDING)]
    assert names == ["a", "b", "c"]


def test_set_inc_push_each_add_to_set(collection):
    collection.insert_one({"_id": "a", "version": 1, "tags": [], "log": []})
    collection.update_one(
        {"_id": "a"},
        {
            "$set": {"name": "x"},
            "$inc": {"version": 1},
            "$push": {"log": {"$each": [{"k": 1}, {"k": 2}]}},
            "$addToSet": {"tags": "t"},
        },
    )
    collection.update_one({"_id": "a"}, {"$addToSet": {"tags": "t"}})
    document = collection.find_one({"_id": "a"})
    assert document["version"] == 2
    assert document["log"] == [{"k": 1}, {"k": 2}]  # sub-documents stay sub-documents
    assert document["tags"] == ["t"]


def test_pull_all_of_exact_sub_documents_removes_only_those(collection):
    entries = [{"id": "1", "v": "a"}, {"id": "2", "v": "b"}, {"id": "3", "v": "c"}]
    collection.insert_one({"_id": "a", "_outbox": entries})
    assert collection.count_documents(HOLDS_EVENTS) == 1
    collection.update_one({"_id": "a"}, {"$pullAll": {"_outbox": entries[:2]}})
    assert collection.find_one({"_id": "a"})["_outbox"] == entries[2:]
    assert collection.count_documents({"_id": "a", "_outbox": {"$size": 0}}) == 0
    collection.update_one({"_id": "a"}, {"$pullAll": {"_outbox": entries[2:]}})
    assert collection.count_documents(HOLDS_EVENTS) == 0
    assert collection.count_documents({"_id": "a", "_outbox": {"$size": 0}}) == 1


def test_an_update_of_many_documents_changes_each_match_and_counts_them(collection):
    """The outbox relay empties a batch's outboxes in one `update_many`, on the condition that
    each still has the length and the first entry it was read with."""
    collection.insert_many(
        [{"_id": f"d{n}", "n": n, OUTBOX: [{"id": str(n)}] * (1 + n % 2)} for n in range(40)]
    )
    ids = [f"d{n}" for n in range(0, 40, 2)] + ["absent"]
    result = collection.update_many(
        {
            "_id": {"$in": ids},
            OUTBOX: {"$size": 1},
            f"{OUTBOX}.0.id": {"$in": [str(n) for n in range(0, 40, 4)] + ["2x"]},
        },
        {"$set": {OUTBOX: []}, "$inc": {"n": 100}},
    )
    assert (result.matched_count, result.modified_count) == (10, 10)
    changed = {d["_id"] for d in collection.find({"n": {"$gte": 100}}, {"_id": 1})}
    assert changed == {f"d{n}" for n in range(0, 40, 4)}
    assert collection.count_documents(HOLDS_EVENTS) == 30
    assert collection.find_one({"_id": "d4"}) == {"_id": "d4", "n": 104, OUTBOX: []}
    assert collection.find_one({"_id": "d2"})[OUTBOX] == [{"id": "2"}]


def test_an_update_of_many_that_fails_keeps_the_documents_changed_before(collection):
    """MongoDB's `update_many` is not atomic: documents changed before a failure stay changed."""
    collection.insert_many([{"_id": 1, "a": 1}, {"_id": 2, "a": "text"}, {"_id": 3, "a": 3}])
    with pytest.raises(WriteError, match="non-numeric"):
        collection.update_many({}, {"$inc": {"a": 1}})
    assert [d["a"] for d in collection.find({}, sort=[("_id", ASCENDING)])] == [2, "text", 3]


def test_compare_and_set_on_a_version_field(collection):
    collection.insert_one({"_id": "a", "version": 1})
    won = collection.find_one_and_update(
        {"_id": "a", "version": 1},
        {"$set": {"x": 1}, "$inc": {"version": 1}},
        return_document=ReturnDocument.AFTER,
    )
    lost = collection.find_one_and_update(
        {"_id": "a", "version": 1}, {"$set": {"x": 2}, "$inc": {"version": 1}}
    )
    assert won["version"] == 2 and lost is None
    assert collection.find_one({"_id": "a"})["x"] == 1


def test_a_single_document_write_is_atomic_under_concurrency(collection):
    """Compare-and-set and the outbox relay rely on it: of several writers that saw the same
    version, exactly one wins; a `$pullAll` racing with changes loses none of them."""
    collection.insert_one({"_id": "a", "version": 0, "changes": [], OUTBOX: []})
    wins: list[tuple[int, int]] = []
    done = threading.Event()

    def change(writer: int) -> None:
        for _ in range(25):
            seen = collection.find_one({"_id": "a"})["version"]
            result = collection.update_one(
                {"_id": "a", "version": seen},
                {
                    "$set": {"version": seen + 1},
                    "$push": {"changes": writer, OUTBOX: {"$each": [{"v": seen + 1}]}},
                },
            )
            if result.matched_count:
                wins.append((writer, seen + 1))

    def relay() -> None:
        while not done.is_set():
            pending = collection.find_one({"_id": "a"})[OUTBOX]
            if pending:
                collection.update_one({"_id": "a"}, {"$pullAll": {OUTBOX: pending}})

    relaying = threading.Thread(target=relay)
    relaying.start()
    writers = [threading.Thread(target=change, args=(n,)) for n in range(6)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    relaying.join()
    document = collection.find_one({"_id": "a"})
    versions = sorted(version for _, version in wins)
    assert versions == list(range(1, len(wins) + 1)), "a version was won twice"
    assert document["version"] == len(wins)
    assert document["changes"] == [writer for writer, _ in sorted(wins, key=lambda w: w[1])]


def test_versioned_upsert_applies_each_version_once_and_never_goes_back(collection):
    assert apply_versioned(collection, "e", 1, "ev1", {"name": "a"})
    assert not apply_versioned(collection, "e", 1, "ev1", {"name": "a"})
    assert apply_versioned(collection, "e", 3, "ev3", {"name": "c"})
    assert not apply_versioned(collection, "e", 2, "ev2", {"name": "b"})
    document = collection.find_one({"_id": "e"})
    assert (document["name"], document["version"], document["last_event_id"]) == ("c", 3, "ev3")


@pytest.mark.parametrize("indexed", [False, True])
def test_or_of_clauses_on_sub_document_fields_beside_a_string_equality(collection, indexed):
    """Elders due a higher card: (category 60 and born by a date) or (70 and born by another),
    among the active ones; dates are ISO strings."""
    if indexed:
        collection.create_index([("status", ASCENDING)])
        collection.create_index([("born", ASCENDING)])
    collection.insert_many(
        [
            {"_id": "60 due", "status": "active", "card": {"c": "60"}, "born": "1950-01-01"},
            {"_id": "60 young", "status": "active", "card": {"c": "60"}, "born": "1960-01-01"},
            {"_id": "70 due", "status": "active", "card": {"c": "70"}, "born": "1940-01-01"},
            {"_id": "70 young", "status": "active", "card": {"c": "70"}, "born": "1950-01-01"},
            {"_id": "60 dead", "status": "deceased", "card": {"c": "60"}, "born": "1950-01-01"},
            {"_id": "no card", "status": "active", "card": None, "born": "1930-01-01"},
        ]
    )
    query = {
        "status": "active",
        "$or": [
            {"card.c": "60", "born": {"$lte": "1956-01-01"}},
            {"card.c": "70", "born": {"$lte": "1946-01-01"}},
        ],
    }
    assert sorted(d["_id"] for d in collection.find(query)) == ["60 due", "70 due"]
    assert collection.count_documents(query) == 2
    assert collection.count_documents({"card.c": {"$in": []}}) == 0


def test_insert_once_by_derived_id(collection):
    assert insert_once(collection, {"_id": "from-event-1", "x": 1})
    assert not insert_once(collection, {"_id": "from-event-1", "x": 2})
    assert collection.find_one({"_id": "from-event-1"})["x"] == 1


def test_insert_many_once_skips_existing_keys_across_its_batches(collection):
    """A large insert goes in batches (INSERT_CHUNK); the positions skipped are the caller's."""
    collection.insert_many([{"_id": f"k{n:05d}", "x": "old"} for n in (5, INSERT_CHUNK + 7)])
    documents = [{"_id": f"k{n:05d}", "x": "new"} for n in range(2 * INSERT_CHUNK + 10)]
    documents.append({"_id": "k00009", "x": "twice"})  # twice in the same insert
    skipped = insert_many_once(collection, documents)
    assert skipped == [5, INSERT_CHUNK + 7, len(documents) - 1]
    assert collection.count_documents({}) == 2 * INSERT_CHUNK + 10
    assert collection.count_documents({"x": "old"}) == 2
    assert insert_many_once(collection, documents[:3]) == [0, 1, 2]


def test_aggregation_basics(collection):
    collection.insert_many(
        [{"community": c, "age": a} for c, a in [("x", 80), ("x", 91), ("y", 70), ("y", 85)]]
    )
    rows = list(
        collection.aggregate(
            [
                {"$match": {"age": {"$gte": 80}}},
                {"$group": {"_id": "$community", "n": {"$sum": 1}}},
                {"$sort": {"_id": 1}},
                {"$project": {"n": 1}},
            ]
        )
    )
    assert rows == [{"_id": "x", "n": 2}, {"_id": "y", "n": 1}]
    assert list(collection.aggregate([{"$match": {"community": "y"}}, {"$count": "n"}])) == [
        {"n": 2}
    ]
