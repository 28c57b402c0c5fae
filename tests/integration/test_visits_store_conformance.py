"""The MongoDB operations visits relies on beyond tests/integration/test_store_conformance.py,
run against the store CI uses, so that a server that gets one wrong fails here by name."""

from datetime import UTC, datetime, timedelta

import pytest

from shared.mongo import connect

NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)


@pytest.fixture
def collection(settings):
    db = connect(settings)
    yield db["visits_conformance"]
    db.client.drop_database(db.name)


def test_range_on_instants_with_in_and_not_equal(collection):
    collection.insert_many(
        [
            {"_id": f"o{i}", "due_at": NOW + timedelta(hours=i), "community": c, "escalated": False}
            for i, c in enumerate(["a", "b", "a", "c"])
        ]
    )
    overdue = collection.find({"due_at": {"$lt": NOW + timedelta(hours=2)}, "escalated": False})
    assert sorted(d["_id"] for d in overdue) == ["o0", "o1"]
    elsewhere = collection.find({"community": {"$ne": "a"}, "_id": {"$in": ["o1", "o2", "o3"]}})
    assert sorted(d["_id"] for d in elsewhere) == ["o1", "o3"]
    stored = collection.find_one({"_id": "o1"})["due_at"]
    assert stored == NOW + timedelta(hours=1) and stored.tzinfo is not None


def test_null_matches_unset_and_not_equal_null_matches_set(collection):
    collection.insert_many([{"_id": "a", "follow_up": None}, {"_id": "b", "follow_up": "再访"}])
    assert [d["_id"] for d in collection.find({"follow_up": None})] == ["a"]
    assert [d["_id"] for d in collection.find({"follow_up": {"$ne": None}})] == ["b"]


def test_group_by_a_compound_key_summing_a_field(collection):
    rows = [
        ("x", "medical", "2026-11", 3),
        ("x", "medical", "2026-11", 2),
        ("y", "repairs", "2026-10", 1),
    ]
    collection.insert_many(
        [{"community": c, "service_type": t, "month": m, "instances": n} for c, t, m, n in rows]
    )
    grouped = collection.aggregate(
        [
            {"$match": {"month": {"$gte": "2026-10", "$lte": "2026-11"}}},
            {
                "$group": {
                    "_id": {"community": "$community", "type": "$service_type", "month": "$month"},
                    "instances": {"$sum": "$instances"},
                }
            },
        ]
    )
    assert sorted((r["_id"]["community"], r["_id"]["type"], r["instances"]) for r in grouped) == [
        ("x", "medical", 5),
        ("y", "repairs", 1),
    ]


def test_in_matches_an_array_holding_any_of_the_values(collection):
    collection.insert_many(
        [
            {"_id": "a", "key_target_reasons": ["living_alone", "low_income"]},
            {"_id": "b", "key_target_reasons": []},
            {"_id": "c", "key_target_reasons": ["disabled"]},
            {"_id": "d"},
        ]
    )
    found = collection.find({"key_target_reasons": {"$in": ["low_income", "disabled"]}})
    assert sorted(d["_id"] for d in found) == ["a", "c"]
